"""The rows appended to datalake_raw.@TABLE@: typed by the schema, split
into date partitions and written (rawframe, of the aws-wrangler layer)
through the writer seam."""
import logging

import rawframe
import schema

log = logging.getLogger(__name__)


def append(rows, cfg, writer):
    """Writes rows (none: nothing) and returns what the handler reports:
    {"rows", "partitions" (YYYY-MM-DD), "unknown_columns"}."""
    summary = {"rows": len(rows), "partitions": [], "unknown_columns": []}
    if not rows:
        return summary
    df, unknown = rawframe.to_frame(rows, schema.COLUMNS, schema.PARTITION_FROM)
    if unknown:
        # a new column reaches the lake only through a schema change
        log.warning("columns not in the schema, left out: %s", ", ".join(unknown))
    writer(**rawframe.write_call(df, cfg.bucket, cfg.table, schema.COLUMNS, "append"))
    summary["partitions"] = sorted({"%s-%s-%s" % p for p in zip(df["year"], df["month"], df["day"])})
    summary["unknown_columns"] = unknown
    return summary
