"""@NAME@'s logic without AWS: unmarshalling every DynamoDB type, the
tombstone of a REMOVE, the schema's dtypes, the date partitions, and the
call handed to the writer."""
import base64
import json
import os

import pytest

import config
import lambda_function
import records
import schema

EVENTS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "events")
CFG = config.load({"BUCKET": "lake-bucket"})


def kinesis_event(*changes):
    return {"Records": [{"kinesis": {"data": base64.b64encode(json.dumps(c).encode()).decode()}}
                        for c in changes]}


def change(name, stamp, keys, new=None, old=None):
    item = {"ApproximateCreationDateTime": stamp, "Keys": keys}
    if new is not None:
        item["NewImage"] = new
    if old is not None:
        item["OldImage"] = old
    return {"eventID": f"id-{name}-{stamp}", "eventName": name, "dynamodb": item}



def test_unmarshal_every_type():
    assert records.unmarshal({"S": "x"}) == "x"
    assert records.unmarshal({"N": "42"}) == 42
    assert records.unmarshal({"N": "4.25"}) == 4.25
    assert records.unmarshal({"BOOL": False}) is False
    assert records.unmarshal({"NULL": True}) is None
    assert records.unmarshal({"M": {"a": {"N": "1"}, "b": {"L": [{"S": "y"}]}}}) == {"a": 1, "b": ["y"]}
    assert records.unmarshal({"SS": ["b", "a"]}) == ["a", "b"]
    assert records.unmarshal({"NS": ["3", "1.5"]}) == [1.5, 3]
    assert records.unmarshal({"B": "AAE="}) == "AAE="
    assert records.unmarshal({"BS": ["Ag==", "AQ=="]}) == ["AQ==", "Ag=="]
    with pytest.raises(ValueError):
        records.unmarshal({"Q": "?"})


def test_the_sample_event_is_written_with_its_tombstone(write):
    with open(os.path.join(EVENTS, "sample.json")) as f:
        event = json.load(f)

    out = lambda_function.handle(event, CFG, write)

    assert out == {"table": "@TABLE@", "rows": 2,
                   "partitions": ["year=2025/month=12/day=03", "year=2025/month=12/day=04"]}
    (frame, cfg, partition_cols, dtype), = write.calls
    assert cfg is CFG
    assert partition_cols == ["year", "month", "day"]
    assert dtype == dict(schema.COLUMNS, year="string", month="string", day="string")
    assert list(frame.columns) == list(schema.COLUMNS) + ["year", "month", "day"]
    assert list(frame["event_name"]) == ["INSERT", "REMOVE"]
    assert list(frame["is_deleted"]) == [False, True]
    assert list(frame["address_city"]) == ["Lisbon", "Lisbon"]
    assert list(frame["id"]) == ["c-1", "c-1"]


def test_dtypes_follow_the_schema_even_when_a_column_is_empty(write):
    event = kinesis_event(change("INSERT", 1764720000123, {"pk": {"S": "k"}, "sk": {"N": "7"}},
                                 new={"pk": {"S": "k"}, "sk": {"N": "7"}, "visits": {"NULL": True},
                                      "surprise": {"S": "not in the schema"}}))

    lambda_function.handle(event, CFG, write)

    frame = write.calls[0][0]
    assert str(frame["visits"].dtype) == "Int64"
    assert str(frame["amount"].dtype) == "float64"
    assert str(frame["active"].dtype) == "boolean"
    assert str(frame["status"].dtype) == "string"
    assert str(frame["event_time"].dtype) == "datetime64[ns]"
    assert "surprise" not in frame.columns
    assert frame["id"][0] == "k#7"


def test_a_remove_without_old_image_keeps_its_keys(write):
    event = kinesis_event(change("REMOVE", 1764720000, {"pk": {"S": "gone"}}))

    lambda_function.handle(event, CFG, write)

    frame = write.calls[0][0]
    assert list(frame["is_deleted"]) == [True]
    assert list(frame["id"]) == ["gone"]
    assert list(frame["day"]) == ["03"]


def test_an_empty_batch_writes_nothing(write):
    assert lambda_function.handle({"Records": []}, CFG, write)["rows"] == 0
    assert write.calls == []
