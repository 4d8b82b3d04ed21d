"""@NAME@: @DESCRIPTION@, appended as deltas (@DELTA_ROW@). The
typing and the write are the aws-wrangler layer's (rawframe, through
lake.py); this folder holds the decoding, the schema, its settings and the
handler."""
import json
import logging

import config
import lake
import rawframe
import records

logging.getLogger().setLevel(logging.INFO)


def handle(event, cfg, writer):
    """One batch: decoded, typed, written. Returns what was written."""
    summary = {"table": cfg.table}
    summary.update(lake.append(records.decode(event), cfg, writer))
    return summary


def lambda_handler(event, context, writer=rawframe.wrangler_writer):
    summary = handle(event, config.load(), writer)
    print(json.dumps(summary))
    return summary
