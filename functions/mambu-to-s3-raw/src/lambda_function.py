"""Copy Mambu entities into the data lake's raw bucket, one JSON file a page."""
import datetime
import json
import os
import sys

# The build pip-installs the requirements into vendor/, next to this file.
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "vendor"))

import boto3
import requests

RAW_BUCKET = os.environ.get("RAW_BUCKET", "datalake_raw")
MAMBU_URL = os.environ["MAMBU_URL"]
ENTITIES = ("loans", "clients", "deposits")
PAGE = 500

s3 = boto3.client("s3")
secrets = boto3.client("secretsmanager")


def _api_key():
    return secrets.get_secret_value(SecretId=os.environ["MAMBU_SECRET"])["SecretString"]


def lambda_handler(event, context):
    day = datetime.date.today().isoformat()
    headers = {"apikey": _api_key(), "Accept": "application/vnd.mambu.v2+json"}
    written = {}
    for entity in ENTITIES:
        offset = 0
        while True:
            r = requests.get(f"{MAMBU_URL}/api/{entity}", headers=headers,
                             params={"offset": offset, "limit": PAGE}, timeout=30)
            r.raise_for_status()
            rows = r.json()
            if not rows:
                break
            key = f"mambu/{entity}/dt={day}/part-{offset // PAGE:05d}.json"
            s3.put_object(Bucket=RAW_BUCKET, Key=key, Body=json.dumps(rows).encode())
            offset += len(rows)
        written[entity] = offset
    return {"day": day, "written": written}
