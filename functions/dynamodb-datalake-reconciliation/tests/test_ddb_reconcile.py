import datetime
import decimal

import pytest

import ddb_reconcile
import lambda_function
import reconcile
from lakefakes import FakeLake, FakeMetrics

NOW = datetime.datetime(2026, 12, 3, 6, 0, tzinfo=datetime.timezone.utc)
CUST = ddb_reconcile.TABLES["customers"]


class FakeSource:
    def __init__(self, by_table):
        self.by_table = by_table
        self.scans = []

    def items(self, table_name, scan_args):
        self.scans.append((table_name, scan_args))
        return iter(self.by_table.get(table_name, []))


def test_lake_sql_takes_the_newest_live_version_in_the_dates():
    sql = ddb_reconcile.lake_sql("customers", CUST, "2026-12-01", "2026-12-02")
    assert "PARTITION BY customer_id" in sql and "FROM datalake_raw.customers" in sql
    assert "WHERE rn = 1 AND NOT _is_deleted" in sql
    assert sql.endswith("updated_at >= TIMESTAMP '2026-12-01 00:00:00' AND updated_at < TIMESTAMP '2026-12-03 00:00:00'")
    with pytest.raises(ValueError):
        ddb_reconcile.lake_sql("customers", CUST, "2026-12-01' OR 1=1 --", "2026-12-02")
    with pytest.raises(ValueError):
        ddb_reconcile.lake_sql("customers; drop", CUST, "2026-12-01", "2026-12-02")


def test_scan_filter_is_a_day_wider_and_projects_keys_and_date():
    f = ddb_reconcile.scan_filter(CUST, "2026-12-02", "2026-12-02")
    assert f["ExpressionAttributeNames"] == {"#k0": "customer_id", "#d": "updated_at"}
    assert f["ExpressionAttributeValues"] == {":a": "2026-12-01", ":b": "2026-12-04"}
    assert f["ProjectionExpression"] == "#k0, #d"


def test_source_items_are_dated_in_utc_and_filtered():
    items = [{"customer_id": "a", "updated_at": "2026-12-02T23:30:00-02:00"},  # 01:30Z on the 3rd
             {"customer_id": "b", "updated_at": "2026-12-02T10:00:00Z"},
             {"customer_id": "c"}]
    got = list(ddb_reconcile.source_triples("customers", CUST, items, ["2026-12-02"]))
    assert got == [("customers", "2026-12-02", ("b",))]


def test_a_run_reports_mismatches_and_sends_metrics(capsys):
    src = FakeSource({
        "customers": [{"customer_id": "c1", "updated_at": "2026-12-02T08:00:00Z"},
                      {"customer_id": "c2", "updated_at": "2026-12-02T09:00:00Z"}],
        "sls-cards": [{"card_id": decimal.Decimal("9"), "updated_at": "2026-12-02T01:00:00Z"}],
    })
    lake = FakeLake({
        "customers": [{"customer_id": "c1", "day": "2026-12-02"}],
        "sls_cards": [{"card_id": 9.0, "day": "2026-12-02"}],
    })
    m = FakeMetrics()
    doc = lambda_function.run({}, NOW, src, lake, m)
    assert doc["from"] == doc["to"] == "2026-12-02"
    assert doc["ok"] is False and doc["checked"] == 2 and doc["mismatches"] == 1
    by = {r["table"]: r for r in doc["rows"]}
    assert by["customers"]["source_rows"] == 2 and by["customers"]["row_diff"] == -1
    # a Decimal key in DynamoDB and a float from pandas are the same key
    assert by["sls_cards"]["status"] == "ok"
    assert [s[0] for s in src.scans] == ["customers", "sls-cards"]
    assert len(m.data) == 8 and {d["MetricName"] for d in m.data} == {"SourceRows", "LakeRows", "RowDiff", "Mismatch"}
    out = capsys.readouterr().out
    assert out.startswith("RECONCILIATION {") and out.count("\n") == 1


def test_a_day_with_no_rows_anywhere_is_still_checked():
    doc = lambda_function.run({"from": "2026-11-30", "to": "2026-12-01"}, NOW,
                              FakeSource({}), FakeLake({}), FakeMetrics())
    assert doc["checked"] == 4 and doc["ok"] is True
    assert {r["source_checksum"] for r in doc["rows"]} == {reconcile.ZERO}


def test_the_dynamodb_seam_follows_last_evaluated_key(monkeypatch):
    import sys
    import types

    scans = []

    class Table:
        def scan(self, **kw):
            scans.append(kw)
            if "ExclusiveStartKey" not in kw:
                return {"Items": [{"customer_id": "a"}], "LastEvaluatedKey": {"customer_id": "a"}}
            return {"Items": [{"customer_id": "b"}]}

    boto3 = types.ModuleType("boto3")
    boto3.resource = lambda name: types.SimpleNamespace(Table=lambda n: Table())
    monkeypatch.setitem(sys.modules, "boto3", boto3)
    args = ddb_reconcile.scan_filter(CUST, "2026-12-02", "2026-12-02")
    got = list(lambda_function.DynamoDbSource().items("customers", args))
    assert got == [{"customer_id": "a"}, {"customer_id": "b"}]
    assert scans[0] == args and scans[1]["ExclusiveStartKey"] == {"customer_id": "a"}
    assert "ExclusiveStartKey" not in args


def test_throttling_is_told_from_other_errors():
    assert lambda_function._throttled(Exception("TooManyRequestsException: Rate exceeded"))
    assert not lambda_function._throttled(Exception("COLUMN_NOT_FOUND: line 1"))
