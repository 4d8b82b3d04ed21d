"""The reconciliation of a source with datalake_raw, as
functions/RECONCILIATION.md defines it (format version 1): per table and
date, the row count and an order-independent checksum of the key columns
on each side, compared into one JSON document, and the CloudWatch metrics
of each comparison. Both reconciliation functions use it through this
layer, so that both sides of every check, and both functions, compute
the same arithmetic. Pure Python; CloudWatch is a seam (Metrics).
"""
import datetime
import decimal
import json
import zlib

FORMAT = 1
DATABASE = "datalake_raw"
NAMESPACE = "Datalake/Reconciliation"
ZERO = "%016x" % 0
_MOD = 1 << 64
_SEP = "\x1f"


def value_text(v):
    """A key value as text: None is empty, a whole number has no decimals
    (7, not 7.0 or 7.00), so that DynamoDB's Decimal, pandas' float and
    Athena's bigint of the same key give the same text."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float, decimal.Decimal)):
        d = decimal.Decimal(str(v)) if isinstance(v, float) else decimal.Decimal(v)
        if d == d.to_integral_value():
            return str(int(d))
        return format(d.normalize(), "f")
    return str(v)


def row_crc(key_values):
    return zlib.crc32(_SEP.join(value_text(v) for v in key_values).encode("utf-8"))


def summarise(items):
    """items: (table, date, key_values) triples -> {(table, date): [rows, checksum]}
    with checksum the sum of the rows' CRC-32 modulo 2^64."""
    out = {}
    for table, date, key_values in items:
        acc = out.setdefault((table, date), [0, 0])
        acc[0] += 1
        acc[1] = (acc[1] + row_crc(key_values)) % _MOD
    return out


def compare(source, lake, expected=()):
    """The rows of the document from two summaries; expected (table, date)
    pairs are compared even when neither side has rows (both 0: ok)."""
    keys = set(source) | set(lake) | set(expected)
    rows = []
    for table, date in sorted(keys):
        s = source.get((table, date), [0, 0])
        l = lake.get((table, date), [0, 0])
        rows.append({
            "table": table, "date": date,
            "source_rows": s[0], "lake_rows": l[0], "row_diff": l[0] - s[0],
            "source_checksum": "%016x" % s[1], "lake_checksum": "%016x" % l[1],
            "status": "ok" if s == l else "mismatch",
        })
    return rows


def document(function, source, date_from, date_to, rows, now):
    bad = sum(1 for r in rows if r["status"] != "ok")
    return {
        "reconciliation": FORMAT,
        "function": function,
        "source": source,
        "database": DATABASE,
        "from": date_from,
        "to": date_to,
        "generated_at": now.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "ok": bad == 0,
        "checked": len(rows),
        "mismatches": bad,
        "rows": rows,
    }


def log_line(doc):
    """The document as the one log line a search finds."""
    return "RECONCILIATION " + json.dumps(doc, sort_keys=True, separators=(",", ":"))


def metric_data(function, rows):
    """put_metric_data's MetricData for the rows: four metrics each."""
    data = []
    for r in rows:
        when = datetime.datetime.strptime(r["date"], "%Y-%m-%d").replace(tzinfo=datetime.timezone.utc)
        dims = [{"Name": "Function", "Value": function}, {"Name": "Table", "Value": r["table"]}]
        for name, value in (("SourceRows", r["source_rows"]), ("LakeRows", r["lake_rows"]),
                            ("RowDiff", r["row_diff"]),
                            ("Mismatch", 0 if r["status"] == "ok" else 1)):
            data.append({"MetricName": name, "Dimensions": dims, "Timestamp": when,
                         "Value": float(value), "Unit": "Count"})
    return data


def days(date_from, date_to):
    """Every date from date_from to date_to (inclusive), as YYYY-MM-DD."""
    a = datetime.date.fromisoformat(date_from)
    b = datetime.date.fromisoformat(date_to)
    if b < a:
        raise ValueError("the range ends (%s) before it starts (%s)" % (date_to, date_from))
    if (b - a).days > 31:
        raise ValueError("at most 32 days at once (%s to %s)" % (date_from, date_to))
    return [(a + datetime.timedelta(days=i)).isoformat() for i in range((b - a).days + 1)]


def date_range(event, today):
    """The dates an invocation checks: the event's "date", or its "from"
    and "to", else yesterday (a whole day, finished)."""
    event = event or {}
    if event.get("date"):
        return event["date"], event["date"]
    if event.get("from"):
        return event["from"], event.get("to") or event["from"]
    y = (today - datetime.timedelta(days=1)).isoformat()
    return y, y


class Metrics:
    """The CloudWatch seam: put_metric_data, 1000 values a call at most."""

    def __init__(self, client=None):
        if client is None:
            import boto3
            client = boto3.client("cloudwatch")
        self.client = client

    def put(self, data, namespace=NAMESPACE):
        for i in range(0, len(data), 1000):
            self.client.put_metric_data(Namespace=namespace, MetricData=data[i:i + 1000])
