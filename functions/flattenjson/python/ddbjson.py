"""DynamoDB change records as they arrive through a Kinesis Data Stream:
decode the base64 Kinesis payload, unmarshal DynamoDB JSON (S, N, BOOL, M,
L, NULL, SS, NS, B, BS) into plain Python, and make one row per change,
REMOVE included (a tombstone: the keys, the old image if the stream has
it, and _is_deleted = True), so that the raw zone keeps deletions.

Shared by the DynamoDB exports through this layer, since each function
deploys alone. Pure Python: no boto3 (its TypeDeserializer gives Decimal
sets and Binary wrappers a frame cannot hold).
"""
import base64
import datetime
import decimal
import json

# metadata columns every DynamoDB export adds to the item's own columns
META_SCHEMA = {
    "_event_id": "string",
    "_event_name": "string",
    "_sequence_number": "string",
    "_approximate_creation_time": "timestamp",
    "_is_deleted": "boolean",
}


def unmarshal(value):
    """One DynamoDB attribute value ({"S": "x"}, ...) as Python: N is an
    exact Decimal, B bytes, M a dict; L is a tuple in its order and sets are
    sorted tuples: flatten expands dicts and leaves tuples whole, so nested
    maps become columns and a list or set stays one (array) column."""
    if not isinstance(value, dict) or len(value) != 1:
        raise ValueError("not a DynamoDB attribute value: %r" % (value,))
    (kind, v), = value.items()
    if kind == "S":
        return v
    if kind == "N":
        return decimal.Decimal(v)
    if kind == "BOOL":
        return bool(v)
    if kind == "NULL":
        return None
    if kind == "B":
        return base64.b64decode(v)
    if kind == "M":
        return {k: unmarshal(x) for k, x in v.items()}
    if kind == "L":
        return tuple(unmarshal(x) for x in v)
    if kind == "SS":
        return tuple(sorted(v))
    if kind == "NS":
        return tuple(sorted(decimal.Decimal(x) for x in v))
    if kind == "BS":
        return tuple(sorted(base64.b64decode(x) for x in v))
    raise ValueError("unknown DynamoDB type %r" % kind)


def unmarshal_image(image):
    """A whole item (NewImage, OldImage, Keys) as a dict."""
    return {k: unmarshal(v) for k, v in (image or {}).items()}


def creation_time(seconds_or_ms):
    """ApproximateCreationDateTime as a UTC datetime. Kinesis Data Streams
    for DynamoDB give milliseconds, DynamoDB Streams seconds: a value past
    the year 5138 in seconds can only be milliseconds."""
    t = float(seconds_or_ms)
    if t > 1e11:
        t /= 1000.0
    return datetime.datetime.fromtimestamp(t, tz=datetime.timezone.utc)


def decode_kinesis(record):
    """A Lambda Kinesis event record's payload (base64 JSON) as a dict."""
    return json.loads(base64.b64decode(record["kinesis"]["data"]))


def change_row(change, sequence_number=None, arrival=None):
    """One DynamoDB change record as a row: the item (NewImage; for REMOVE
    the OldImage if any, then the Keys over it) and the metadata columns.
    arrival (Kinesis's approximateArrivalTimestamp, seconds) stands in for
    a change record without its own creation time."""
    ddb = change.get("dynamodb", {})
    name = change.get("eventName")
    if name not in ("INSERT", "MODIFY", "REMOVE"):
        raise ValueError("unknown eventName %r" % (name,))
    if name == "REMOVE":
        row = unmarshal_image(ddb.get("OldImage"))
    else:
        row = unmarshal_image(ddb.get("NewImage"))
    row.update(unmarshal_image(ddb.get("Keys")))
    row["_event_id"] = change.get("eventID")
    row["_event_name"] = name
    row["_sequence_number"] = sequence_number or ddb.get("SequenceNumber")
    when = ddb.get("ApproximateCreationDateTime")
    if when is None:
        when = arrival
    if when is None:
        raise ValueError("change %s has no ApproximateCreationDateTime" % change.get("eventID"))
    row["_approximate_creation_time"] = creation_time(when)
    row["_is_deleted"] = name == "REMOVE"
    return row


def rows_from_kinesis_event(event, table_name=None):
    """The rows of a Lambda Kinesis event, in the stream's order. With
    table_name, changes of other tables on the same stream are left out."""
    rows = []
    for record in event.get("Records", []):
        change = decode_kinesis(record)
        if table_name is not None and change.get("tableName") not in (None, table_name):
            continue
        k = record["kinesis"]
        rows.append(change_row(change, k.get("sequenceNumber"), k.get("approximateArrivalTimestamp")))
    return rows
