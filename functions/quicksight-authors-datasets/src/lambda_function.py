"""List QuickSight authors and their datasets into the curated zone."""
import datetime
import json
import os

import boto3

CURATED_BUCKET = os.environ.get("CURATED_BUCKET", "datalake_curated")
ACCOUNT_ID = os.environ["ACCOUNT_ID"]

quicksight = boto3.client("quicksight")
s3 = boto3.client("s3")


def lambda_handler(event, context):
    users = []
    for page in quicksight.get_paginator("list_users").paginate(AwsAccountId=ACCOUNT_ID, Namespace="default"):
        users += [u for u in page["UserList"] if u["Role"] in ("AUTHOR", "ADMIN")]
    datasets = []
    for page in quicksight.get_paginator("list_data_sets").paginate(AwsAccountId=ACCOUNT_ID):
        datasets += page["DataSetSummaries"]
    body = {"authors": [u["UserName"] for u in users],
            "datasets": [{"id": d["DataSetId"], "name": d["Name"]} for d in datasets]}
    key = f"quicksight/authors-datasets/dt={datetime.date.today().isoformat()}.json"
    s3.put_object(Bucket=CURATED_BUCKET, Key=key, Body=json.dumps(body, default=str).encode())
    return {"authors": len(users), "datasets": len(datasets)}
