import datetime

import lambda_function
from streamevents import RecordingWriter, change, kinesis_event

CUSTOMER = {
    "customer_id": {"S": "c-1"}, "status": {"S": "active"},
    "first_name": {"S": "Ana"}, "last_name": {"S": "Silva"},
    "birth_date": {"S": "1990-05-01"}, "country": {"S": "PT"},
    "address": {"M": {"city": {"S": "Porto"}, "postcode": {"S": "4000-001"},
                      "line1": {"S": "Rua 1"}}},
    "marketing_opt_in": {"BOOL": False}, "credit_limit": {"N": "1500.50"},
    "loyalty_points": {"N": "120"}, "segments": {"SS": ["retail", "new"]},
    "created_at": {"S": "2025-12-01T09:00:00Z"}, "updated_at": {"S": "2025-12-03T09:59:59Z"},
}


def test_every_column_is_typed_and_written_to_datalake_raw(monkeypatch):
    monkeypatch.setenv("RAW_BUCKET", "lake-raw")
    ev = kinesis_event(
        change("MODIFY", {"customer_id": {"S": "c-1"}}, new=CUSTOMER),
        change("REMOVE", {"customer_id": {"S": "c-2"}}, event_id="e2"),
    )
    w = RecordingWriter()
    got = lambda_function.lambda_handler(ev, None, writer=w)
    assert got["rows"] == 2 and got["tombstones"] == 1 and got["unknown_columns"] == []
    (call,) = w.calls
    df = call["df"]
    assert call["path"] == "s3://lake-raw/customers/" and call["table"] == "customers"
    assert call["mode"] == "append" and call["dataset"] is True
    assert set(call["dtype"]) == set(df.columns)
    assert {c: str(t) for c, t in df.dtypes.items() if c in lambda_function.SCHEMA} == {
        "customer_id": "string", "status": "string", "first_name": "string",
        "last_name": "string", "birth_date": "object", "country": "string",
        "address_city": "string", "address_postcode": "string", "address_line1": "string",
        "marketing_opt_in": "boolean", "credit_limit": "float64", "loyalty_points": "Int64",
        "segments": "object", "created_at": "datetime64[ns]", "updated_at": "datetime64[ns]"}
    first = df.iloc[0]
    assert first["address_city"] == "Porto" and first["credit_limit"] == 1500.5
    assert first["segments"] == ["new", "retail"] and first["birth_date"] == datetime.date(1990, 5, 1)
    tomb = df.iloc[1]
    assert tomb["customer_id"] == "c-2" and bool(tomb["_is_deleted"]) and tomb["status"] is not None
    assert df[["year", "month", "day"]].values.tolist() == [["2025", "12", "03"]] * 2


def test_the_key_is_a_schema_column():
    assert all(k in lambda_function.SCHEMA for k in lambda_function.KEY)
