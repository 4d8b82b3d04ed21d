"""Runs the QuickSight datasets' SQL files (sql/*.sql) on Athena into the
curated database, each a full overwrite (drop, then CREATE TABLE AS
SELECT into the run's own S3 folder), then removes the previous runs'
files. Scheduled by EventBridge before QuickSight's SPICE refresh.

The seams: Athena (start the query, wait for its end) and S3 (remove the
previous runs' objects). boto3 is imported inside them only."""
import datetime
import json
import os
import time

import datasets


class Athena:
    def __init__(self, workgroup, poll_seconds=2.0, timeout=600):
        import boto3
        self.client = boto3.client("athena")
        self.workgroup = workgroup
        self.poll = poll_seconds
        self.timeout = timeout

    def run(self, sql):
        """Runs one statement to its end; returns its execution id or raises."""
        qid = self.client.start_query_execution(QueryString=sql, WorkGroup=self.workgroup)["QueryExecutionId"]
        deadline = time.monotonic() + self.timeout
        while True:
            st = self.client.get_query_execution(QueryExecutionId=qid)["QueryExecution"]["Status"]
            if st["State"] == "SUCCEEDED":
                return qid
            if st["State"] in ("FAILED", "CANCELLED"):
                raise RuntimeError("Athena query %s %s: %s" % (qid, st["State"], st.get("StateChangeReason", "")))
            if time.monotonic() > deadline:
                self.client.stop_query_execution(QueryExecutionId=qid)
                raise TimeoutError("Athena query %s still running after %d s" % (qid, self.timeout))
            time.sleep(self.poll)


class S3Folders:
    def __init__(self):
        import boto3
        self.client = boto3.client("s3")

    def remove_except(self, bucket, prefix, keep):
        """Deletes the objects under prefix that are not under keep."""
        keys = []
        for page in self.client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
            keys += [o["Key"] for o in page.get("Contents", []) if not o["Key"].startswith(keep)]
        for i in range(0, len(keys), 1000):
            self.client.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": k} for k in keys[i:i + 1000]]})
        return len(keys)


def run(now, athena, s3, database, bucket, prefix, sql_dir=datasets.SQL_DIR):
    """Every dataset in file order; the first failure stops the run (the
    datasets after it keep their previous table)."""
    run_id = now.strftime("%Y%m%dT%H%M%SZ")
    done = []
    for table, select in datasets.load(sql_dir):
        sqls, location = datasets.statements(database, table, select, bucket, prefix, run_id)
        for sql in sqls:
            athena.run(sql)
        table_prefix = "%s/%s/" % (prefix.strip("/"), table)
        keep = location[len("s3://%s/" % bucket):]
        removed = s3.remove_except(bucket, table_prefix, keep)
        done.append({"table": "%s.%s" % (database, table), "location": location, "old_objects_removed": removed})
    return {"run": run_id, "datasets": done}


def lambda_handler(event, context):
    summary = run(datetime.datetime.now(datetime.timezone.utc), Athena(os.environ.get("ATHENA_WORKGROUP", "primary")),
                  S3Folders(), os.environ.get("CURATED_DATABASE", "datalake_curated"),
                  os.environ["CURATED_BUCKET"], os.environ.get("CURATED_PREFIX", "quicksight"))
    print(json.dumps(summary))
    return summary
