"""@NAME@'s logic without AWS: decoding and flattening the records, the
schema's dtypes, the date partitions, and the call handed to the writer."""
import base64
import json
import os

import pytest

import config
import lambda_function
import schema

EVENTS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "events")
CFG = config.load({"RAW_BUCKET": "lake-raw"})


def kinesis_event(*docs):
    return {"Records": [{"kinesis": {"data": base64.b64encode(json.dumps(d).encode()).decode(),
                                     "sequenceNumber": str(i),
                                     "approximateArrivalTimestamp": 1764720000.5}}
                        for i, d in enumerate(docs)]}



def test_the_sample_event_is_written(write):
    with open(os.path.join(EVENTS, "sample.json")) as f:
        event = json.load(f)

    out = lambda_function.handle(event, CFG, write)

    assert out == {"table": "@TABLE@", "rows": 2, "partitions": ["2026-12-03", "2026-12-04"],
                   "unknown_columns": []}
    (call,) = write.calls
    assert call["database"] == "datalake_raw" and call["table"] == "@TABLE@"
    assert call["path"] == "s3://lake-raw/@TABLE@/"
    assert call["mode"] == "append" and call["dataset"] is True
    assert call["partition_cols"] == ["year", "month", "day"]
    assert call["dtype"] == dict(schema.COLUMNS, year="string", month="string", day="string")
    frame = call["df"]
    assert list(frame.columns) == list(schema.COLUMNS) + ["year", "month", "day"]
    assert list(frame["customer_country"]) == ["PT", "ES"]
    assert list(frame["sequence_number"]) == ["1", "2"]


def test_dtypes_follow_the_schema(write):
    event = kinesis_event({"id": "o-9", "amount": 3, "created_at": "2026-01-31T23:59:59+00:00",
                           "extra": {"deep": 1}})

    out = lambda_function.handle(event, CFG, write)

    frame = write.calls[0]["df"]
    assert str(frame["amount"].dtype) == "float64"
    assert str(frame["status"].dtype) == "string"
    assert str(frame["created_at"].dtype) == "datetime64[ns]"
    assert str(frame["arrived_at"].dtype) == "datetime64[ns]"
    assert "extra_deep" not in frame.columns and out["unknown_columns"] == ["extra_deep"]
    assert (frame["year"][0], frame["month"][0], frame["day"][0]) == ("2026", "01", "31")


def test_a_record_that_is_not_an_object_fails_the_batch(write):
    with pytest.raises(ValueError):
        lambda_function.handle(kinesis_event([1, 2]), CFG, write)


def test_a_record_without_its_time_has_no_partition(write):
    with pytest.raises(ValueError):
        lambda_function.handle(kinesis_event({"id": "o-1"}), CFG, write)


def test_an_empty_batch_writes_nothing(write):
    assert lambda_function.handle({"Records": []}, CFG, write)["rows"] == 0
    assert write.calls == []
