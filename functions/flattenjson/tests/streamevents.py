"""Kinesis events carrying DynamoDB change records, as Lambda delivers
them, for the layer's and the DynamoDB exports' tests."""
import base64
import json


def change(name, keys, new=None, old=None, table="customers", ms=1764756000000, event_id="e1"):
    ddb = {"ApproximateCreationDateTime": ms, "Keys": keys, "SizeBytes": 100}
    if new is not None:
        ddb["NewImage"] = new
    if old is not None:
        ddb["OldImage"] = old
    return {"awsRegion": "eu-west-1", "eventID": event_id, "eventName": name,
            "recordFormat": "application/json", "tableName": table,
            "dynamodb": ddb, "eventSource": "aws:dynamodb"}


def kinesis_event(*changes):
    records = []
    for i, c in enumerate(changes):
        records.append({
            "kinesis": {"kinesisSchemaVersion": "1.0", "partitionKey": "k%d" % i,
                        "sequenceNumber": "4959%020d" % i,
                        "data": base64.b64encode(json.dumps(c).encode()).decode(),
                        "approximateArrivalTimestamp": 1764756001.5},
            "eventSource": "aws:kinesis", "eventID": "shardId-000:%d" % i,
        })
    return {"Records": records}


class RecordingWriter:
    """The writer seam's fake: keeps every call's keyword arguments."""

    def __init__(self):
        self.calls = []

    def __call__(self, **kwargs):
        self.calls.append(kwargs)
        return {"paths": [kwargs["path"] + "part-0.parquet"]}
