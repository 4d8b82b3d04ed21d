"""Kinesis records (base64 JSON documents) turned into flat rows, with
when each reached the stream and its sequence number, so a replayed
batch can be told from a new one."""
import base64
import json

import schema
from flattenjson import flatten


def decode(event):
    """The rows of one Kinesis batch, in the order they came. A record that
    is not a JSON object fails the batch: Lambda retries it, and
    bisect_batch_on_function_error in Terraform isolates the bad one."""
    rows = []
    for record in event.get("Records", []):
        kinesis = record["kinesis"]
        doc = json.loads(base64.b64decode(kinesis["data"]))
        if not isinstance(doc, dict):
            raise ValueError(f"record {kinesis.get('sequenceNumber')} is not a JSON object")
        row = flatten(doc, sep="_")
        arrived = kinesis.get("approximateArrivalTimestamp")
        row["arrived_at"] = arrived
        if row.get(schema.PARTITION_FROM) is None:
            raise ValueError(f"record {kinesis.get('sequenceNumber')} has no "
                             f"{schema.PARTITION_FROM}: no partition for it")
        row["sequence_number"] = kinesis.get("sequenceNumber")
        rows.append(row)
    return rows
