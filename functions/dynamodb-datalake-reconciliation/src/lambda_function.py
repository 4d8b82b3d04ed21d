"""Reconciles the DynamoDB tables (customers, sls-cards) with their
datalake_raw tables: per table and date, the row count and a checksum of
the keys on each side; the mismatches as one JSON document (the
response, and a RECONCILIATION log line; see functions/RECONCILIATION.md)
and as CloudWatch metrics. Scheduled daily by EventBridge; an event
{"date": "YYYY-MM-DD"} or {"from": ..., "to": ...} checks other dates.

The seams: DynamoDbSource (a paginated scan), AthenaLake (awswrangler's
read_sql_query, retried with tenacity on throttling) and reconcile.Metrics.
boto3, awswrangler and tenacity are imported inside them only."""
import datetime
import json
import os
import sys

# The build pip-installs the requirements (tenacity) into vendor/, next to this file.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "vendor"))

import ddb_reconcile  # noqa: E402
import reconcile  # noqa: E402

FUNCTION = "dynamodb-datalake-reconciliation"


class DynamoDbSource:
    def __init__(self):
        import boto3
        self.dynamodb = boto3.resource("dynamodb")

    def items(self, table_name, scan_args):
        """Every item the scan returns, page by page (plain values)."""
        table = self.dynamodb.Table(table_name)
        args = dict(scan_args)
        while True:
            page = table.scan(**args)
            yield from page.get("Items", [])
            if "LastEvaluatedKey" not in page:
                return
            args["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def _throttled(e):
    text = repr(e)
    return "TooManyRequests" in text or "Throttl" in text or "SlowDown" in text


class AthenaLake:
    def __init__(self, workgroup):
        self.workgroup = workgroup

    def query(self, sql):
        """The query's rows as dicts (awswrangler, retried when throttled)."""
        import awswrangler as wr
        from tenacity import retry, retry_if_exception, stop_after_attempt, wait_exponential

        @retry(retry=retry_if_exception(_throttled), stop=stop_after_attempt(5),
               wait=wait_exponential(multiplier=1, max=20), reraise=True)
        def read():
            return wr.athena.read_sql_query(sql, database=reconcile.DATABASE,
                                            workgroup=self.workgroup, ctas_approach=False)

        return read().to_dict("records")


def run(event, now, source, lake, metrics, tables=None):
    tables = tables or ddb_reconcile.TABLES
    date_from, date_to = reconcile.date_range(event, now.date())
    dates = reconcile.days(date_from, date_to)
    src, lk = [], []
    for table, cfg in sorted(tables.items()):
        items = source.items(cfg["source_table"], ddb_reconcile.scan_filter(cfg, date_from, date_to))
        src += ddb_reconcile.source_triples(table, cfg, items, dates)
        lk += ddb_reconcile.lake_triples(table, cfg, lake.query(ddb_reconcile.lake_sql(table, cfg, date_from, date_to)))
    expected = [(t, d) for t in tables for d in dates]
    rows = reconcile.compare(reconcile.summarise(src), reconcile.summarise(lk), expected)
    doc = reconcile.document(FUNCTION, "dynamodb", date_from, date_to, rows, now)
    metrics.put(reconcile.metric_data(FUNCTION, rows))
    print(reconcile.log_line(doc))
    return doc


def lambda_handler(event, context):
    tables = json.loads(os.environ["TABLES_JSON"]) if os.environ.get("TABLES_JSON") else None
    return run(event, datetime.datetime.now(datetime.timezone.utc), DynamoDbSource(),
               AthenaLake(os.environ.get("ATHENA_WORKGROUP", "primary")), reconcile.Metrics(), tables)
