"""Where the last successful run stopped: one small JSON object in S3,
written only after the rows up to it are in the lake, so a failed run is
read again from the same point by the next one."""
import json


def key(table):
    return f"checkpoints/{table}.json"


def load(s3, bucket, table, default):
    """The last run's "until", or default when there is none yet."""
    try:
        body = s3.get_object(Bucket=bucket, Key=key(table))["Body"].read()
    except s3.exceptions.NoSuchKey:
        return default
    return json.loads(body)["until"]


def save(s3, bucket, table, until):
    s3.put_object(Bucket=bucket, Key=key(table),
                  Body=json.dumps({"until": until}).encode(),
                  ContentType="application/json")
