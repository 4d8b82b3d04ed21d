"""CloudWatch Logs over json 1.1 (X-Amz-Target Logs_20140328.<Op>).

DescribeLogGroups, DescribeLogStreams, FilterLogEvents, GetLogEvents,
PutLogEvents and CreateLogStream over the LogStore, with the service's
paging rules: FilterLogEvents pages hold at most 10,000 events or 1 MB,
may be empty while still carrying a nextToken (--empty-pages makes that
happen on purpose), and include endTime; GetLogEvents excludes endTime,
has f/ and b/ tokens and returns the token it was sent at the end.
"""

import base64
import bisect
import json
import re

from . import filterpattern
from .errors import AwsError, Response, json_response
from .logstore import EVENT_OVERHEAD, now_ms

PREFIX = "Logs_20140328"
CONTENT_TYPE = "application/x-amz-json-1.1"
PAGE_BYTES = 1024 * 1024
DAY_MS = 24 * 3600 * 1000
TOKEN_RE = re.compile(r"^([fb])/(\d{56})/s$")


def _answer(obj):
    return json_response(obj, content_type=CONTENT_TYPE)


def _invalid(message):
    return AwsError(400, "InvalidParameterException", message)


def _group_missing():
    return AwsError(400, "ResourceNotFoundException",
                    "The specified log group does not exist.")


def _stream_missing():
    return AwsError(400, "ResourceNotFoundException",
                    "The specified log stream does not exist.")


def _constraint(field, value, text):
    return _invalid("1 validation error detected: Value '%s' at '%s' failed "
                    "to satisfy constraint: %s" % (value, field, text))


def _int(doc, field, lo=None, hi=None, default=None):
    value = doc.get(field, default)
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool):
        raise AwsError(400, "SerializationException",
                       "NUMBER_VALUE can not be converted to an Integer")
    if lo is not None and value < lo:
        raise _constraint(field, value, "Member must have value greater "
                          "than or equal to %d" % lo)
    if hi is not None and value > hi:
        raise _constraint(field, value, "Member must have value less than "
                          "or equal to %d" % hi)
    return value


def _str(doc, field, required=False):
    value = doc.get(field)
    if value is None:
        if required:
            raise _constraint(field, "null", "Member must not be null")
        return None
    if not isinstance(value, str):
        raise AwsError(400, "SerializationException",
                       "Unexpected value type for %s" % field)
    return value


def _token(obj):
    raw = json.dumps(obj, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(b"fakeaws-logs:" + raw).decode()


def _untoken(doc):
    token = doc.get("nextToken")
    if token is None:
        return None
    try:
        raw = base64.urlsafe_b64decode(token.encode())
        if raw.startswith(b"fakeaws-logs:"):
            obj = json.loads(raw[len(b"fakeaws-logs:"):])
            if isinstance(obj, dict):
                return obj
    except (ValueError, TypeError, AttributeError):
        pass
    raise _invalid("The specified nextToken is invalid.")


def _store(ctx):
    return ctx.state.logs


def _group_arn(ctx, name):
    return "arn:aws:logs:%s:%s:log-group:%s" % (
        ctx.state.region, ctx.caller.account.account_id, name)


def _group(ctx, doc, required=True):
    """The Group the request names by logGroupName or logGroupIdentifier."""
    name = _str(doc, "logGroupName")
    ident = _str(doc, "logGroupIdentifier")
    if name is not None and ident is not None:
        raise _invalid("LogGroup name and LogGroup ARN are mutually "
                       "exclusive parameters.")
    if ident is not None:
        name = ident
        if ident.startswith("arn:"):
            parts = ident.split(":", 6)
            if len(parts) < 7 or parts[5] != "log-group" or \
                    parts[4] != ctx.caller.account.account_id:
                raise _group_missing()
            name = parts[6][:-2] if parts[6].endswith(":*") else parts[6]
    if name is None:
        if required:
            raise _invalid("Either logGroupName or logGroupIdentifier "
                           "must be specified.")
        return None
    group = _store(ctx).group(ctx.caller.account.account_id, name)
    if group is None:
        raise _group_missing()
    return group


# DescribeLogGroups / DescribeLogStreams -----------------------------------

def describe_log_groups(ctx, doc):
    prefix = _str(doc, "logGroupNamePrefix")
    pattern = _str(doc, "logGroupNamePattern")
    if prefix is not None and pattern is not None:
        raise _invalid("LogGroup name prefix and LogGroup name pattern are "
                       "mutually exclusive parameters.")
    limit = _int(doc, "limit", 1, 50, 50)
    after = (_untoken(doc) or {}).get("after")
    store = _store(ctx)
    with store.lock:
        groups = sorted(store.groups(ctx.caller.account.account_id).values(),
                        key=lambda g: g.name)
        groups = [g for g in groups
                  if (prefix is None or g.name.startswith(prefix)) and
                  (pattern is None or pattern in g.name) and
                  (after is None or g.name > after)]
    page = groups[:limit]
    out = {"logGroups": []}
    for g in page:
        item = {"logGroupName": g.name, "creationTime": g.creation_time}
        if pattern is not None:
            # With a pattern the service answers only these three fields.
            item["arn"] = _group_arn(ctx, g.name) + ":*"
            out["logGroups"].append(item)
            continue
        if g.retention:
            item["retentionInDays"] = g.retention
        item.update(metricFilterCount=0, arn=_group_arn(ctx, g.name) + ":*",
                    storedBytes=g.stored_bytes, logGroupClass="STANDARD",
                    logGroupArn=_group_arn(ctx, g.name))
        out["logGroups"].append(item)
    if len(groups) > limit:
        out["nextToken"] = _token({"after": page[-1].name})
    return _answer(out)


def _stream_item(ctx, group, stream, now):
    events = stream.visible(now)
    item = {"logStreamName": stream.name,
            "creationTime": stream.creation_time}
    if events:
        item.update(firstEventTimestamp=min(e.timestamp for e in events),
                    lastEventTimestamp=max(e.timestamp for e in events),
                    lastIngestionTime=max(e.ingestion for e in events))
    item.update(uploadSequenceToken="%056d" % stream.upload_seq,
                arn="%s:log-stream:%s" % (_group_arn(ctx, group.name),
                                          stream.name),
                storedBytes=0)
    return item


def describe_log_streams(ctx, doc):
    group = _group(ctx, doc)
    prefix = _str(doc, "logStreamNamePrefix")
    order = _str(doc, "orderBy") or "LogStreamName"
    if order not in ("LogStreamName", "LastEventTime"):
        raise _constraint("orderBy", order, "Member must satisfy enum value "
                          "set: [LogStreamName, LastEventTime]")
    if prefix is not None and order == "LastEventTime":
        raise _invalid("Cannot order by LastEventTime with a "
                       "logStreamNamePrefix.")
    descending = bool(doc.get("descending", False))
    limit = _int(doc, "limit", 1, 50, 50)
    start = (_untoken(doc) or {}).get("offset", 0)
    now = now_ms()
    with _store(ctx).lock:
        items = [_stream_item(ctx, group, s, now)
                 for s in group.streams.values()
                 if prefix is None or s.name.startswith(prefix)]
    if order == "LogStreamName":
        items.sort(key=lambda i: i["logStreamName"], reverse=descending)
    else:
        items.sort(key=lambda i: (i.get("lastEventTimestamp", 0),
                                  i["logStreamName"]), reverse=descending)
    out = {"logStreams": items[start:start + limit]}
    if start + limit < len(items):
        out["nextToken"] = _token({"offset": start + limit})
    return _answer(out)


# FilterLogEvents --------------------------------------------------------

def _pattern(doc, field="filterPattern"):
    text = _str(doc, field)
    if text is not None and len(text) > 1024:
        raise _constraint(field, text, "Member must have length less than "
                          "or equal to 1024")
    try:
        return filterpattern.compile(text)
    except ValueError:
        raise _invalid("Invalid filter pattern")


def _stream_filter(doc):
    names = doc.get("logStreamNames")
    prefix = _str(doc, "logStreamNamePrefix")
    if names is not None and prefix is not None:
        raise _invalid("Cannot specify both logStreamNames and "
                       "logStreamNamePrefix")
    if names is not None:
        if not isinstance(names, list) or not 1 <= len(names) <= 100:
            raise _constraint("logStreamNames", names, "Member must have "
                              "length between 1 and 100")
        wanted = set(names)
        return lambda name: name in wanted
    if prefix is not None:
        return lambda name: name.startswith(prefix)
    return lambda name: True


def filter_log_events(ctx, doc):
    group = _group(ctx, doc)
    streams = _stream_filter(doc)
    start_time = _int(doc, "startTime", 0)
    end_time = _int(doc, "endTime", 0)
    match = _pattern(doc)
    limit = _int(doc, "limit", 1, 10000, 10000)
    tok = _untoken(doc)
    position = tuple(tok["k"]) if tok and tok.get("k") else None
    opts = ctx.state.log_options
    now = now_ms()
    store = _store(ctx)
    found, size, more = [], 0, False
    with store.lock:
        events = group.events
        if position is not None:
            i = bisect.bisect_right(events, position, key=lambda e: e.key)
        elif start_time is not None:
            i = bisect.bisect_left(events, start_time,
                                   key=lambda e: e.timestamp)
        else:
            i = 0
        for ev in events[i:]:
            if end_time is not None and ev.timestamp > end_time:
                break
            if start_time is not None and ev.timestamp < start_time:
                continue
            if ev.ingestion > now or not streams(ev.stream) or \
                    not match(ev.message):
                continue
            if len(found) >= limit or size + ev.size > PAGE_BYTES:
                more = True
                break
            found.append(ev)
            size += ev.size
        if found and not (tok and tok.get("e")) and opts.empty_page():
            # An empty page that still carries a token, as the service
            # answers when a scan window held nothing: same place, marked
            # so the next answer is never empty again.
            return _answer({"events": [], "searchedLogStreams": [],
                            "nextToken": _token({"k": position and
                                                 list(position), "e": 1})})
        out = {"events": [{"logStreamName": e.stream,
                           "timestamp": e.timestamp, "message": e.message,
                           "ingestionTime": e.ingestion,
                           "eventId": e.event_id} for e in found],
               "searchedLogStreams": []}
    if more:
        out["nextToken"] = _token({"k": list(found[-1].key)})
    return _answer(out)


# GetLogEvents -------------------------------------------------------------

def _pos_token(direction, key):
    return "%s/%020d%020d%016d/s" % (direction, key[0], key[1], key[2])


def _parse_pos(token):
    m = TOKEN_RE.match(token or "")
    if not m:
        raise _invalid("The specified nextToken is invalid.")
    d = m.group(2)
    return m.group(1), (int(d[:20]), int(d[20:40]), int(d[40:]))


def _stream(ctx, doc, group):
    name = _str(doc, "logStreamName", required=True)
    stream = group.streams.get(name)
    if stream is None:
        raise _stream_missing()
    return stream


def _fit(events, limit):
    """How many of events (taken in order) fit one page."""
    size = 0
    for n, ev in enumerate(events):
        if n >= limit or size + ev.size > PAGE_BYTES:
            return n
        size += ev.size
    return len(events)


def get_log_events(ctx, doc):
    group = _group(ctx, doc)
    start_time = _int(doc, "startTime", 0)
    end_time = _int(doc, "endTime", 0)
    limit = _int(doc, "limit", 1, 10000, 10000)
    head = bool(doc.get("startFromHead", False))
    token = _str(doc, "nextToken")
    direction, pos = _parse_pos(token) if token is not None else (None, None)
    with _store(ctx).lock:
        stream = _stream(ctx, doc, group)
        events = [e for e in stream.visible(now_ms())
                  if (start_time is None or e.timestamp >= start_time) and
                  (end_time is None or e.timestamp < end_time)]
    if direction == "f" or (direction is None and head):
        if pos is not None:
            events = [e for e in events if e.key > pos]
        page = events[:_fit(events, limit)]
    else:
        if pos is not None:
            events = [e for e in events if e.key < pos]
        n = _fit(events[::-1], limit)
        page = events[len(events) - n:]
    if page:
        fwd = _pos_token("f", page[-1].key)
        back = _pos_token("b", page[0].key)
    else:
        here = pos or (0, 0, 0)
        fwd = token if direction == "f" else _pos_token("f", here)
        back = token if direction == "b" else _pos_token("b", here)
    return _answer({"events": [{"timestamp": e.timestamp,
                                "message": e.message,
                                "ingestionTime": e.ingestion} for e in page],
                    "nextForwardToken": fwd, "nextBackwardToken": back})


# PutLogEvents / CreateLogStream -------------------------------------------

def put_log_events(ctx, doc):
    group = _group(ctx, doc)
    events = doc.get("logEvents")
    if not isinstance(events, list) or not 1 <= len(events) <= 10000:
        raise _constraint("logEvents", "null" if events is None else
                          len(events), "Member must have length between 1 "
                          "and 10000")
    total = 0
    for i, ev in enumerate(events):
        if not isinstance(ev, dict) or not isinstance(ev.get("message"),
                                                      str) or \
                not ev["message"] or not isinstance(ev.get("timestamp"),
                                                    int):
            raise _constraint("logEvents.%d.member" % (i + 1), ev,
                              "Member must have a timestamp and a "
                              "non-empty message")
        total += len(ev["message"].encode("utf-8", "surrogatepass")) + \
            EVENT_OVERHEAD
        if i and ev["timestamp"] < events[i - 1]["timestamp"]:
            raise _invalid("Log events in a single PutLogEvents request must "
                           "be in chronological order.")
    if total > PAGE_BYTES:
        raise _invalid("Upload too large: %d bytes exceeds the maximum "
                       "allowed size of 1048576 bytes." % total)
    if events[-1]["timestamp"] - events[0]["timestamp"] > DAY_MS:
        raise _invalid("The batch of log events in a single PutLogEvents "
                       "request cannot span more than 24 hours.")
    now = now_ms()
    too_new = too_old = expired = None
    keep = []
    for i, ev in enumerate(events):
        ts = ev["timestamp"]
        if ts > now + 2 * 3600 * 1000:
            too_new = i if too_new is None else too_new
        elif group.retention and ts < now - group.retention * DAY_MS:
            expired = i
        elif ts < now - 14 * DAY_MS:
            too_old = i
        else:
            keep.append(ev)
    store = _store(ctx)
    with store.lock:
        stream = _stream(ctx, doc, group)
        for ev in keep:
            store.add(group, stream.name, ev["timestamp"], ev["message"],
                      now, written=True)
        stream.upload_seq += 1
        out = {"nextSequenceToken": "%056d" % stream.upload_seq}
    info = {}
    if too_new is not None:
        info["tooNewLogEventStartIndex"] = too_new
    if too_old is not None:
        info["tooOldLogEventEndIndex"] = too_old
    if expired is not None:
        info["expiredLogEventEndIndex"] = expired
    if info:
        out["rejectedLogEventsInfo"] = info
    return _answer(out)


def create_log_stream(ctx, doc):
    group = _group(ctx, {"logGroupName": _str(doc, "logGroupName",
                                              required=True)})
    name = _str(doc, "logStreamName", required=True)
    if not 1 <= len(name) <= 512 or ":" in name or "*" in name:
        raise _constraint("logStreamName", name, "Member must satisfy "
                          "regular expression pattern: [^:*]*")
    with _store(ctx).lock:
        if name in group.streams:
            raise AwsError(400, "ResourceAlreadyExistsException",
                           "The specified log stream already exists")
        group.stream(name, now_ms())
    return Response(200, b"", CONTENT_TYPE)


OPERATIONS = {"DescribeLogGroups": describe_log_groups,
              "DescribeLogStreams": describe_log_streams,
              "FilterLogEvents": filter_log_events,
              "GetLogEvents": get_log_events,
              "PutLogEvents": put_log_events,
              "CreateLogStream": create_log_stream}
