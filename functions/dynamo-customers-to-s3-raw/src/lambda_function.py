"""Export the customers DynamoDB table to the raw zone as JSON lines."""
import datetime
import json
import os

import boto3
import boto3.dynamodb.types
from flattenjson import flatten

RAW_BUCKET = os.environ.get("RAW_BUCKET", "datalake_raw")
TABLE = os.environ.get("TABLE", "customers")

dynamodb = boto3.client("dynamodb")
s3 = boto3.client("s3")
deserialize = boto3.dynamodb.types.TypeDeserializer().deserialize


def lambda_handler(event, context):
    day = datetime.date.today().isoformat()
    lines = []
    for page in dynamodb.get_paginator("scan").paginate(TableName=TABLE):
        for item in page["Items"]:
            row = {k: deserialize(v) for k, v in item.items()}
            lines.append(json.dumps(flatten(row), default=str))
    key = f"dynamodb/{TABLE}/dt={day}/items.jsonl"
    s3.put_object(Bucket=RAW_BUCKET, Key=key, Body="\n".join(lines).encode())
    return {"table": TABLE, "items": len(lines), "key": key}
