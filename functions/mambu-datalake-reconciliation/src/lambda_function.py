"""Compare Mambu's record counts with what landed in the raw zone today."""
import datetime
import os
import sys

# The build pip-installs the requirements into vendor/, next to this file.
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "vendor"))

import awswrangler as wr
import requests

RAW_BUCKET = os.environ.get("RAW_BUCKET", "datalake_raw")
MAMBU_URL = os.environ["MAMBU_URL"]


def _mambu_count(entity, api_key):
    r = requests.get(f"{MAMBU_URL}/api/{entity}", params={"paginationDetails": "ON", "limit": 1},
                     headers={"apikey": api_key}, timeout=30)
    r.raise_for_status()
    return int(r.headers.get("items-total", 0))


def lambda_handler(event, context):
    day = event.get("day") or datetime.date.today().isoformat()
    api_key = os.environ["MAMBU_API_KEY"]
    report = {}
    for entity in ("loans", "clients", "deposits"):
        df = wr.s3.read_json(f"s3://{RAW_BUCKET}/mambu/{entity}/dt={day}/")
        report[entity] = {"mambu": _mambu_count(entity, api_key), "lake": len(df)}
    report["ok"] = all(v["mambu"] == v["lake"] for v in report.values())
    return report
