"""Reconciles Mambu (loans, clients, deposits) with the day's snapshot in
datalake_raw: the row count and a checksum of the ids on each side, the
mismatches as one JSON document (the response, and a RECONCILIATION log
line; see functions/RECONCILIATION.md) and as CloudWatch metrics.
Scheduled after mambu-to-s3-raw; an event {"date": "YYYY-MM-DD"} checks
another day's snapshot (against Mambu as it is now).

The seams: MambuApi (requests, vendored by the build; the credentials
from Secrets Manager, as mambu-to-s3-raw's), AthenaLake (awswrangler) and
reconcile.Metrics. boto3, awswrangler and requests are imported inside
them only."""
import datetime
import json
import os
import sys

# The build pip-installs the requirements (requests) into vendor/, next to this file.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "vendor"))

import mambu_reconcile  # noqa: E402
import reconcile  # noqa: E402

FUNCTION = "mambu-datalake-reconciliation"


def secret_config(secret_id):
    import boto3
    return json.loads(boto3.client("secretsmanager").get_secret_value(SecretId=secret_id)["SecretString"])


class MambuApi:
    """Mambu's REST API v2: the entity's records, BASIC details."""

    def __init__(self, config, timeout=30):
        import requests
        self.session = requests.Session()
        self.session.headers["Accept"] = "application/vnd.mambu.v2+json"
        if config.get("apikey"):
            self.session.headers["apikey"] = config["apikey"]
        else:
            self.session.auth = (config["username"], config["password"])
        self.base = "https://%s.mambu.com/api" % config["subdomain"]
        self.timeout = timeout

    def fetcher(self, entity):
        def fetch(offset, limit):
            r = self.session.get("%s/%s" % (self.base, entity), timeout=self.timeout, params={
                "offset": offset, "limit": limit, "paginationDetails": "OFF", "detailsLevel": "BASIC"})
            r.raise_for_status()
            return r.json()
        return fetch


class AthenaLake:
    def __init__(self, workgroup):
        self.workgroup = workgroup

    def query(self, sql):
        import awswrangler as wr
        return wr.athena.read_sql_query(sql, database=reconcile.DATABASE, workgroup=self.workgroup,
                                        ctas_approach=False).to_dict("records")


def run(event, now, mambu, lake, metrics, entities=None):
    entities = entities or mambu_reconcile.ENTITIES
    date = mambu_reconcile.snapshot_date(event, now)
    src, lk = [], []
    for entity, (table, key) in sorted(entities.items()):
        rows = lake.query(mambu_reconcile.lake_sql(table, key, date))
        lk += mambu_reconcile.lake_triples(table, key, rows, date)
        records = mambu_reconcile.page_all(mambu.fetcher(entity))
        src += mambu_reconcile.source_triples(table, key, records, date, mambu_reconcile.cutoff(rows))
    expected = [(table, date) for table, _ in entities.values()]
    out = reconcile.compare(reconcile.summarise(src), reconcile.summarise(lk), expected)
    doc = reconcile.document(FUNCTION, "mambu", date, date, out, now)
    metrics.put(reconcile.metric_data(FUNCTION, out))
    print(reconcile.log_line(doc))
    return doc


def lambda_handler(event, context):
    return run(event, datetime.datetime.now(datetime.timezone.utc),
               MambuApi(secret_config(os.environ["MAMBU_SECRET"])),
               AthenaLake(os.environ.get("ATHENA_WORKGROUP", "primary")), reconcile.Metrics())
