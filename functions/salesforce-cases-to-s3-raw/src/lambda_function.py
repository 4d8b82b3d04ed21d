"""Land Salesforce cases changed since the last run in the raw zone."""
import datetime
import json
import os
import urllib.parse
import urllib.request

import boto3

RAW_BUCKET = os.environ.get("RAW_BUCKET", "datalake_raw")
SF_URL = os.environ["SALESFORCE_URL"]
QUERY = "SELECT Id, CaseNumber, Status, Priority, CreatedDate, LastModifiedDate FROM Case " \
        "WHERE LastModifiedDate >= {since}"

s3 = boto3.client("s3")
ssm = boto3.client("ssm")


def lambda_handler(event, context):
    token = ssm.get_parameter(Name=os.environ["SF_TOKEN_PARAM"], WithDecryption=True)["Parameter"]["Value"]
    since = event.get("since") or (datetime.datetime.utcnow() - datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    url = f"{SF_URL}/services/data/v59.0/query?q=" + urllib.parse.quote(QUERY.format(since=since))
    req = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(req, timeout=30) as resp:
        records = json.load(resp)["records"]
    key = f"salesforce/cases/dt={datetime.date.today().isoformat()}/cases.json"
    s3.put_object(Bucket=RAW_BUCKET, Key=key, Body=json.dumps(records).encode())
    return {"cases": len(records), "key": key}
