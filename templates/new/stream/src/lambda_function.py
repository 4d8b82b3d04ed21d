"""@NAME@: @DESCRIPTION@,
as deltas (@DELTA_ROW@)."""
import logging

import config
import frame
import records
import writer

log = logging.getLogger()
log.setLevel(logging.INFO)


def handle(event, cfg, write):
    """One batch: decode, type, write. Returns what was written."""
    rows = records.decode(event)
    if not rows:
        return {"table": cfg.table, "rows": 0, "partitions": []}
    batch, unknown = frame.build(rows)
    if unknown:
        log.warning("columns not in the schema, left out: %s", ", ".join(unknown))
    write(batch, cfg, frame.PARTITION_COLS, frame.dtype())
    written = {"table": cfg.table, "rows": len(batch), "partitions": frame.partitions(batch)}
    log.info("wrote %s", written)
    return written


def lambda_handler(event, context):
    return handle(event, config.load(), writer.write)
