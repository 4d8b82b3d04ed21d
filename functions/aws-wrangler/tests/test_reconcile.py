import datetime
import decimal
import json
import zlib

import pytest

import reconcile


def test_key_text_is_the_same_from_every_side():
    assert reconcile.value_text(decimal.Decimal("7")) == "7"
    assert reconcile.value_text(decimal.Decimal("7.00")) == "7"
    assert reconcile.value_text(7.0) == "7" and reconcile.value_text(7) == "7"
    assert reconcile.value_text(decimal.Decimal("2.50")) == "2.5" and reconcile.value_text(2.5) == "2.5"
    assert reconcile.value_text(None) == "" and reconcile.value_text(True) == "true"
    assert reconcile.value_text("c-1") == "c-1"


def test_checksum_is_the_sum_of_crc32s_in_any_order():
    a = [("t", "2026-12-02", ("a",)), ("t", "2026-12-02", ("b", 1))]
    want = (zlib.crc32(b"a") + zlib.crc32(b"b\x1f1")) % (1 << 64)
    assert reconcile.summarise(a) == {("t", "2026-12-02"): [2, want]}
    assert reconcile.summarise(reversed(a)) == reconcile.summarise(a)


def test_a_changed_key_with_the_same_count_is_a_mismatch():
    s = reconcile.summarise([("t", "d", ("a",)), ("t", "d", ("b",))])
    l = reconcile.summarise([("t", "d", ("a",)), ("t", "d", ("c",))])
    (row,) = reconcile.compare(s, l)
    assert row["row_diff"] == 0 and row["status"] == "mismatch"
    assert row["source_checksum"] != row["lake_checksum"]
    assert len(row["source_checksum"]) == 16


def test_one_sided_and_expected_pairs():
    s = reconcile.summarise([("a", "2026-12-02", ("1",))])
    l = reconcile.summarise([("b", "2026-12-02", ("1",)), ("b", "2026-12-02", ("2",))])
    rows = reconcile.compare(s, l, expected=[("c", "2026-12-02")])
    assert [(r["table"], r["source_rows"], r["lake_rows"], r["row_diff"], r["status"]) for r in rows] == [
        ("a", 1, 0, -1, "mismatch"), ("b", 0, 2, 2, "mismatch"), ("c", 0, 0, 0, "ok")]
    assert rows[0]["lake_checksum"] == reconcile.ZERO


def test_the_document_and_its_log_line():
    rows = reconcile.compare(reconcile.summarise([("t", "2026-12-02", ("x",))]),
                             reconcile.summarise([("t", "2026-12-02", ("x",))]))
    now = datetime.datetime(2026, 12, 3, 6, 0, 5, tzinfo=datetime.timezone.utc)
    doc = reconcile.document("f", "dynamodb", "2026-12-02", "2026-12-02", rows, now)
    assert doc == {"reconciliation": 1, "function": "f", "source": "dynamodb",
                   "database": "datalake_raw", "from": "2026-12-02", "to": "2026-12-02",
                   "generated_at": "2026-12-03T06:00:05Z", "ok": True, "checked": 1,
                   "mismatches": 0, "rows": rows}
    line = reconcile.log_line(doc)
    assert line.startswith("RECONCILIATION {") and "\n" not in line
    assert json.loads(line[len("RECONCILIATION "):]) == doc


def test_metrics_four_per_row_dated_by_the_row():
    rows = reconcile.compare({("t", "2026-12-02"): [5, 1]}, {("t", "2026-12-02"): [3, 1]})
    data = reconcile.metric_data("f", rows)
    assert [(d["MetricName"], d["Value"]) for d in data] == [
        ("SourceRows", 5.0), ("LakeRows", 3.0), ("RowDiff", -2.0), ("Mismatch", 1.0)]
    assert data[0]["Timestamp"] == datetime.datetime(2026, 12, 2, tzinfo=datetime.timezone.utc)
    assert data[0]["Dimensions"] == [{"Name": "Function", "Value": "f"}, {"Name": "Table", "Value": "t"}]


def test_metrics_seam_batches_by_a_thousand():
    class Client:
        def __init__(self):
            self.calls = []

        def put_metric_data(self, **kw):
            self.calls.append(kw)

    c = Client()
    reconcile.Metrics(c).put([{"MetricName": "x"}] * 2001)
    assert [len(k["MetricData"]) for k in c.calls] == [1000, 1000, 1]
    assert c.calls[0]["Namespace"] == "Datalake/Reconciliation"


def test_date_ranges():
    today = datetime.date(2026, 12, 3)
    assert reconcile.date_range({}, today) == ("2026-12-02", "2026-12-02")
    assert reconcile.date_range({"date": "2026-11-30"}, today) == ("2026-11-30", "2026-11-30")
    assert reconcile.date_range({"from": "2026-11-29", "to": "2026-11-30"}, today) == ("2026-11-29", "2026-11-30")
    assert reconcile.days("2026-11-29", "2026-12-01") == ["2026-11-29", "2026-11-30", "2026-12-01"]
    with pytest.raises(ValueError, match="before"):
        reconcile.days("2026-12-02", "2026-12-01")
    with pytest.raises(ValueError, match="32 days"):
        reconcile.days("2026-01-01", "2026-03-01")
