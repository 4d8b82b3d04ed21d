"""@NAME@'s settings, from the environment Lambda gives it (Terraform's
environment_variables), read once per invocation so a test passes its own."""
import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Config:
    database: str
    table: str
    path: str
    bucket: str


def load(environ=None):
    """The settings; a missing BUCKET fails here, before any record is read."""
    env = os.environ if environ is None else environ
    bucket = env.get("BUCKET", "")
    if not bucket:
        raise KeyError("BUCKET is not set: the raw zone's bucket, "
                       "from the function's environment_variables in Terraform")
    database = env.get("DATABASE", "datalake_raw")
    table = env.get("TABLE", "@TABLE@")
    return Config(database=database, table=table, bucket=bucket,
                  path=f"s3://{bucket}/{database}/{table}/")
