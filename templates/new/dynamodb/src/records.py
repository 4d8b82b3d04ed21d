"""DynamoDB change records as they arrive through a Kinesis Data Stream
(base64 payloads wrapping DynamoDB JSON) turned into flat rows. A REMOVE
is kept as a tombstone row (is_deleted true, the old image's values), so
the lake knows the item is gone."""
import base64
import datetime
import decimal
import json

from flattenjson import flatten


def unmarshal(value):
    """One DynamoDB-typed value ({"S": "x"}, {"N": "1"}, ...) as Python."""
    if not isinstance(value, dict) or len(value) != 1:
        raise ValueError(f"not a DynamoDB value: {value!r}")
    (kind, v), = value.items()
    if kind == "S":
        return v
    if kind == "N":
        return _number(v)
    if kind == "BOOL":
        return bool(v)
    if kind == "NULL":
        return None
    if kind == "M":
        return {k: unmarshal(x) for k, x in v.items()}
    if kind == "L":
        return [unmarshal(x) for x in v]
    if kind == "SS":
        return sorted(v)
    if kind == "NS":
        return sorted(_number(x) for x in v)
    if kind == "B":
        return v  # base64 text, as it came: the lake keeps it as a string
    if kind == "BS":
        return sorted(v)
    raise ValueError(f"unknown DynamoDB type {kind!r}")


def _number(text):
    d = decimal.Decimal(text)
    return int(d) if d == d.to_integral_value() else float(d)


def _time(stamp):
    """ApproximateCreationDateTime: milliseconds through Kinesis (seconds
    from a DynamoDB stream) as an ISO time in UTC."""
    seconds = stamp / 1000 if stamp > 1e11 else stamp
    return datetime.datetime.fromtimestamp(seconds, datetime.timezone.utc).isoformat()


def decode(event):
    """The rows of one Kinesis batch, in the order they came."""
    rows = []
    for record in event.get("Records", []):
        change = json.loads(base64.b64decode(record["kinesis"]["data"]))
        item = change["dynamodb"]
        name = change["eventName"]
        keys = {k: unmarshal(v) for k, v in item.get("Keys", {}).items()}
        image = item.get("OldImage" if name == "REMOVE" else "NewImage")
        row = flatten({k: unmarshal(v) for k, v in (image or item.get("Keys", {})).items()},
                      sep="_")
        row["id"] = "#".join(str(keys[k]) for k in sorted(keys))
        row["event_id"] = change.get("eventID")
        row["event_name"] = name
        row["event_time"] = _time(item["ApproximateCreationDateTime"])
        row["is_deleted"] = name == "REMOVE"
        rows.append(row)
    return rows
