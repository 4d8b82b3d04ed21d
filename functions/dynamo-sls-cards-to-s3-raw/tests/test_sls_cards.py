import lambda_function
from streamevents import RecordingWriter, change, kinesis_event

CARD = {
    "card_id": {"S": "k-9"}, "customer_id": {"S": "c-1"}, "status": {"S": "active"},
    "product": {"S": "debit"}, "last4": {"S": "0042"},
    "expiry_month": {"N": "7"}, "expiry_year": {"N": "2029"}, "contactless": {"BOOL": True},
    "limits": {"M": {"daily": {"N": "500"}, "monthly": {"N": "2500.5"}}},
    "wallets": {"L": [{"S": "apple"}]},
    "issued_at": {"S": "2025-01-01T00:00:00Z"}, "updated_at": {"S": "2025-12-03T10:00:00Z"},
    "pin_tries": {"N": "0"},
}


def test_cards_are_typed_flattened_and_appended(monkeypatch):
    monkeypatch.setenv("RAW_BUCKET", "lake-raw")
    monkeypatch.setenv("SOURCE_TABLE", "sls-cards")
    ev = kinesis_event(change("INSERT", {"card_id": {"S": "k-9"}}, new=CARD, table="sls-cards"),
                       change("INSERT", {"id": {"S": "x"}}, new={"id": {"S": "x"}}, table="customers"))
    w = RecordingWriter()
    got = lambda_function.lambda_handler(ev, None, writer=w)
    # the customers change on the same stream is not this table's
    assert got["rows"] == 1
    # maps are flattened, lists stay one column; pin_tries is not in the schema
    assert got["unknown_columns"] == ["pin_tries"]
    (call,) = w.calls
    df = call["df"]
    assert call["table"] == "sls_cards" and call["database"] == "datalake_raw"
    assert str(df["expiry_month"].dtype) == "Int32" and df["expiry_year"].iloc[0] == 2029
    assert df["last4"].iloc[0] == "0042" and df["limits_monthly"].iloc[0] == 2500.5
    assert call["dtype"]["limits_daily"] == "double" and call["dtype"]["year"] == "string"
    assert df["wallets"].iloc[0] == ["apple"] and call["dtype"]["wallets"] == "array<string>"
