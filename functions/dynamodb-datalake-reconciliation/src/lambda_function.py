"""Compare DynamoDB item counts with the raw zone's exports."""
import datetime
import os

import awswrangler as wr
import boto3

RAW_BUCKET = os.environ.get("RAW_BUCKET", "datalake_raw")
TABLES = os.environ.get("TABLES", "customers,sls-cards").split(",")

dynamodb = boto3.client("dynamodb")


def lambda_handler(event, context):
    day = event.get("day") or datetime.date.today().isoformat()
    report = {}
    for table in TABLES:
        # ItemCount is refreshed about every six hours: good enough for a daily check.
        items = dynamodb.describe_table(TableName=table)["Table"]["ItemCount"]
        df = wr.s3.read_json(f"s3://{RAW_BUCKET}/dynamodb/{table}/dt={day}/", lines=True)
        report[table] = {"dynamodb": items, "lake": len(df)}
    return report
