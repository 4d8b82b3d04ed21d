"""@NAME@: on a schedule (EventBridge), the source's rows changed since
the last successful run appended to datalake_raw.@TABLE@ as deltas; the
checkpoint moves only after the write."""
import datetime
import logging
import os

import checkpoint
import config
import lake
import rawframe
import source

log = logging.getLogger()
log.setLevel(logging.INFO)

# The first run, with no checkpoint yet, reads this far back.
FIRST_RUN_DAYS = 1


def handle(event, cfg, fetch, s3, writer, now):
    """One run: rows since the checkpoint (or the event's "since"), typed,
    written, then the checkpoint moved to this run's start."""
    until = now.isoformat()
    default = (now - datetime.timedelta(days=FIRST_RUN_DAYS)).isoformat()
    since = event.get("since") or checkpoint.load(s3, cfg.bucket, cfg.table, default)
    got = source.rows(fetch, since, until)
    written = {"table": cfg.table, "since": since, "until": until}
    written.update(lake.append(got, cfg, writer))
    checkpoint.save(s3, cfg.bucket, cfg.table, until)
    log.info("wrote %s", written)
    return written


def lambda_handler(event, context, writer=rawframe.wrangler_writer):
    import boto3

    # The token lives in Secrets Manager, never in the function's environment.
    secret = boto3.client("secretsmanager").get_secret_value(SecretId=os.environ["SOURCE_SECRET_ID"])
    fetch = source.http_fetch(os.environ["SOURCE_URL"], secret["SecretString"])
    return handle(event or {}, config.load(), fetch, boto3.client("s3"), writer,
                  datetime.datetime.now(datetime.timezone.utc))
