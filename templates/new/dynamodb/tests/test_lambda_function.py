"""@NAME@'s handler without AWS: the sample event and its tombstone, every
column typed by the schema, the date partitions, and the call handed to
the writer (datalake_raw, appended)."""
import json
import os

import lambda_function
import schema
from streamevents import change, kinesis_event

EVENTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "events")
ITEM = {"pk": {"S": "k-1"}, "status": {"S": "open"}, "amount": {"N": "2.5"},
        "visits": {"NULL": True}, "active": {"BOOL": True},
        "address": {"M": {"city": {"S": "Lisbon"}}}, "surprise": {"S": "not in the schema"}}


def test_the_sample_event_is_written_with_its_tombstone(monkeypatch, write):
    monkeypatch.setenv("RAW_BUCKET", "lake-raw")
    with open(os.path.join(EVENTS, "sample.json")) as f:
        event = json.load(f)

    got = lambda_function.lambda_handler(event, None, writer=write)

    assert got["rows"] == 2 and got["tombstones"] == 1
    assert got["partitions"] == ["2025-12-03", "2025-12-04"]
    (call,) = write.calls
    assert call["database"] == "datalake_raw" and call["table"] == "@TABLE@"
    assert call["path"] == "s3://lake-raw/@TABLE@/"
    assert call["mode"] == "append" and call["dataset"] is True
    assert call["partition_cols"] == ["year", "month", "day"]
    df = call["df"]
    assert list(df["_event_name"]) == ["INSERT", "REMOVE"]
    assert list(df["_is_deleted"]) == [False, True]
    assert list(df["address_city"]) == ["Lisbon", "Lisbon"]


def test_every_column_is_typed_even_when_empty(monkeypatch, write):
    monkeypatch.setenv("RAW_BUCKET", "lake-raw")
    monkeypatch.setenv("SOURCE_TABLE", "customers")

    got = lambda_function.lambda_handler(kinesis_event(change("INSERT", {"pk": {"S": "k-1"}}, new=ITEM)),
                                         None, writer=write)

    df = write.calls[0]["df"]
    assert {c: str(df[c].dtype) for c in schema.COLUMNS} == {
        "pk": "string", "status": "string", "amount": "float64", "visits": "Int64",
        "active": "boolean", "address_city": "string"}
    assert set(write.calls[0]["dtype"]) == set(df.columns)
    assert got["unknown_columns"] == ["surprise"]


def test_the_key_is_a_schema_column():
    assert all(k in schema.COLUMNS for k in schema.KEY)


def test_an_empty_batch_writes_nothing(monkeypatch, write):
    monkeypatch.setenv("RAW_BUCKET", "lake-raw")
    assert lambda_function.lambda_handler({"Records": []}, None, writer=write)["rows"] == 0
    assert write.calls == []
