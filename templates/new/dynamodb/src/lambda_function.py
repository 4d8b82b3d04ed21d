"""@NAME@: @DESCRIPTION@, through its Kinesis Data Stream, appended as
deltas (@DELTA_ROW@). Decoding, flattening, typing and the write are the
layers' (flattenjson's ddbexport, aws-wrangler's rawframe); this folder
holds the table's schema, its settings and the handler."""
import json
import logging

import config
import ddbexport
import rawframe
import schema

logging.getLogger().setLevel(logging.INFO)


def lambda_handler(event, context, writer=rawframe.wrangler_writer):
    cfg = config.load()
    summary = ddbexport.export_changes(event, cfg.source_table, cfg.table, schema.COLUMNS,
                                       cfg.bucket, writer)
    print(json.dumps(summary))
    return summary
