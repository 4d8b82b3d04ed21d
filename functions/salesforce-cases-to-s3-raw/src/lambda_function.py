"""Salesforce cases changed since the last successful run into
datalake_raw.salesforce_cases (parquet, appended deltas, partitioned by
the case's LastModifiedDate). Scheduled by EventBridge.

The seams: SalesforceSource (the REST query API, token from SSM),
SsmCheckpoint (the last successful window's end, in SSM Parameter Store)
and the writer (rawframe.wrangler_writer, of the aws-wrangler layer).
boto3 is imported inside them only."""
import datetime
import json
import os
import urllib.parse
import urllib.request

import cases
import rawframe

API_VERSION = "v59.0"


class SalesforceSource:
    """The Salesforce REST query API (/services/data/vNN/query)."""

    def __init__(self, instance_url, token, timeout=30):
        self.instance_url = instance_url.rstrip("/")
        self.token = token
        self.timeout = timeout

    def _get(self, path):
        req = urllib.request.Request(self.instance_url + path, headers={
            "Authorization": "Bearer " + self.token, "Accept": "application/json"})
        with urllib.request.urlopen(req, timeout=self.timeout) as resp:
            return json.load(resp)

    def query(self, soql):
        return self._get("/services/data/%s/query?q=%s" % (API_VERSION, urllib.parse.quote(soql)))

    def next_page(self, url):
        return self._get(url)


class SsmCheckpoint:
    """The checkpoint: one String parameter in SSM Parameter Store."""

    def __init__(self, name):
        import boto3
        self.name = name
        self.ssm = boto3.client("ssm")

    def get(self):
        try:
            return self.ssm.get_parameter(Name=self.name)["Parameter"]["Value"]
        except self.ssm.exceptions.ParameterNotFound:
            return None

    def put(self, value):
        self.ssm.put_parameter(Name=self.name, Value=value, Type="String", Overwrite=True)


def ssm_secret(name):
    import boto3
    return boto3.client("ssm").get_parameter(Name=name, WithDecryption=True)["Parameter"]["Value"]


def run(now, source, checkpoint, writer, bucket, since_override=None):
    """One run: read the window, write it, then move the checkpoint (only
    after the write succeeded, so a failed run's window is read again)."""
    stored = since_override or checkpoint.get()
    since = cases.parse_checkpoint(stored) if stored else None
    w = cases.window(since, now)
    if w is None:
        return {"table": cases.TABLE, "cases": 0, "since": stored, "until": stored, "pages": 0}
    records, pages = cases.fetch_all(source, cases.soql(*w))
    if records:
        df, _ = rawframe.to_frame(cases.to_rows(records, now), cases.SCHEMA, cases.PARTITION_FROM)
        writer(**rawframe.write_call(df, bucket, cases.TABLE, cases.SCHEMA, "append"))
    until = cases.soql_time(w[1])
    checkpoint.put(until)
    return {"table": cases.TABLE, "cases": len(records), "since": cases.soql_time(w[0]),
            "until": until, "pages": pages}


def lambda_handler(event, context):
    source = SalesforceSource(os.environ["SALESFORCE_URL"], ssm_secret(os.environ["SF_TOKEN_PARAM"]))
    summary = run(datetime.datetime.now(datetime.timezone.utc), source,
                  SsmCheckpoint(os.environ["CHECKPOINT_PARAM"]), rawframe.wrangler_writer,
                  os.environ["RAW_BUCKET"], (event or {}).get("since"))
    print(json.dumps(summary))
    return summary
