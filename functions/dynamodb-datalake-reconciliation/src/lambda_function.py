"""Compare DynamoDB item counts with the raw zone's exports."""
import datetime
import os
import sys

# The build pip-installs the requirements into vendor/, next to this file.
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "vendor"))

import awswrangler as wr
import boto3
from tenacity import retry, stop_after_attempt, wait_exponential

RAW_BUCKET = os.environ.get("RAW_BUCKET", "datalake_raw")
TABLES = os.environ.get("TABLES", "customers,sls-cards").split(",")

dynamodb = boto3.client("dynamodb")


@retry(stop=stop_after_attempt(5), wait=wait_exponential(multiplier=1, max=20))
def _item_count(table):
    # ItemCount is refreshed about every six hours: good enough for a daily check.
    return dynamodb.describe_table(TableName=table)["Table"]["ItemCount"]


def lambda_handler(event, context):
    day = event.get("day") or datetime.date.today().isoformat()
    report = {}
    for table in TABLES:
        items = _item_count(table)
        df = wr.s3.read_json(f"s3://{RAW_BUCKET}/dynamodb/{table}/dt={day}/", lines=True)
        report[table] = {"dynamodb": items, "lake": len(df)}
    return report
