"""A DynamoDB table's changes, from its Kinesis Data Stream into its
datalake_raw table: decoded and unmarshalled (ddbjson), nested maps
flattened into snake_case columns (flattenjson, separator _), typed by the
table's explicit schema and partitioned by the change's date (rawframe,
of the aws-wrangler layer, which every function using this one has),
appended through the writer seam. Every change is a row: the raw zone is
the table's history, REMOVE included as a tombstone.
"""
import json
import logging
import os

import ddbjson
import rawframe
from flattenjson import flatten

log = logging.getLogger(__name__)


def schema_of(item_schema):
    """The table's columns: the item's own, then the change metadata."""
    s = dict(item_schema)
    s.update(ddbjson.META_SCHEMA)
    return s


def export_changes(event, source_table, table, item_schema, bucket, writer):
    """Write the event's changes of source_table to datalake_raw.table.
    Returns the summary the handler returns (and logs)."""
    schema = schema_of(item_schema)
    rows = [flatten(r, sep="_") for r in ddbjson.rows_from_kinesis_event(event, source_table)]
    summary = {"table": table, "rows": len(rows), "tombstones": 0, "partitions": [],
               "unknown_columns": []}
    if not rows:
        return summary
    df, unknown = rawframe.to_frame(rows, schema, "_approximate_creation_time")
    if unknown:
        # a new attribute reaches the lake only through a schema change
        log.warning("%s: columns not in the schema, left out: %s", table, ", ".join(unknown))
    writer(**rawframe.write_call(df, bucket, table, schema, "append"))
    summary["tombstones"] = int(df["_is_deleted"].sum())
    summary["partitions"] = sorted({"%s-%s-%s" % p for p in zip(df["year"], df["month"], df["day"])})
    summary["unknown_columns"] = unknown
    return summary


def make_handler(default_source_table, table, item_schema):
    """A DynamoDB export's lambda_handler: its environment gives RAW_BUCKET
    and SOURCE_TABLE (the DynamoDB table whose changes it keeps, since one
    stream may carry several); writer is the seam a test replaces."""
    def lambda_handler(event, context, writer=rawframe.wrangler_writer):
        summary = export_changes(event, os.environ.get("SOURCE_TABLE", default_source_table),
                                 table, item_schema, os.environ["RAW_BUCKET"], writer)
        print(json.dumps(summary))
        return summary
    return lambda_handler
