import ddbexport
from streamevents import RecordingWriter, change, kinesis_event

ITEM = {"id": "string", "address_city": "string", "points": "bigint"}


def test_changes_are_flattened_typed_and_appended_with_tombstones():
    ev = kinesis_event(
        change("INSERT", {"id": {"S": "1"}},
               new={"id": {"S": "1"}, "address": {"M": {"city": {"S": "Porto"}}},
                    "points": {"N": "5"}, "nickname": {"S": "z"}}),
        change("REMOVE", {"id": {"S": "1"}}, ms=1764806400000),
    )
    w = RecordingWriter()
    got = ddbexport.export_changes(ev, "customers", "customers", ITEM, "lake-raw", w)
    assert got == {"table": "customers", "rows": 2, "tombstones": 1,
                   "partitions": ["2025-12-03", "2025-12-04"], "unknown_columns": ["nickname"]}
    (call,) = w.calls
    df = call.pop("df")
    assert call["mode"] == "append" and call["database"] == "datalake_raw"
    assert call["table"] == "customers" and call["partition_cols"] == ["year", "month", "day"]
    assert call["dtype"]["points"] == "bigint" and call["dtype"]["_is_deleted"] == "boolean"
    assert call["dtype"]["_approximate_creation_time"] == "timestamp"
    assert df["address_city"].tolist()[0] == "Porto"
    assert df["_is_deleted"].tolist() == [False, True]
    assert df["points"].isna().tolist() == [False, True]


def test_an_event_without_changes_writes_nothing():
    w = RecordingWriter()
    got = ddbexport.export_changes({"Records": []}, "customers", "customers", ITEM, "b", w)
    assert got["rows"] == 0 and w.calls == []
