"""@NAME@'s settings, from the environment Lambda gives it (Terraform's
environment_variables), read once per invocation so a test passes its own."""
import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Config:
    bucket: str
    table: str
    source_table: str


def load(environ=None):
    """The settings; a missing RAW_BUCKET fails here, before any record is read."""
    env = os.environ if environ is None else environ
    bucket = env.get("RAW_BUCKET", "")
    if not bucket:
        raise KeyError("RAW_BUCKET is not set: the raw zone's bucket, "
                       "from the function's environment_variables in Terraform")
    table = env.get("TABLE", "@TABLE@")
    return Config(bucket=bucket, table=table, source_table=env.get("SOURCE_TABLE", table))
