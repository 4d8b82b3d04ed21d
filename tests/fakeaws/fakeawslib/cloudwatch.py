"""CloudWatch alarms over the query protocol (Version 2010-08-01, signing
name monitoring): DescribeAlarms and DescribeAlarmHistory.

The alarms come from the seed (ENV.json alarms[]: MetricAlarm fields, or
CompositeAlarm fields when AlarmRule is set). As the service does,
DescribeAlarms without AlarmTypes answers metric alarms only.
"""

import base64
import json
from datetime import datetime, timezone

from .errors import AwsError, query_response, xml_text

VERSION = "2010-08-01"
NS = "http://monitoring.amazonaws.com/doc/2010-08-01/"
STATES = ("OK", "ALARM", "INSUFFICIENT_DATA")
TYPES = ("CompositeAlarm", "MetricAlarm")
# Field order as the service writes them.
METRIC_FIELDS = (
    "AlarmName", "AlarmArn", "AlarmDescription",
    "AlarmConfigurationUpdatedTimestamp", "ActionsEnabled", "OKActions",
    "AlarmActions", "InsufficientDataActions", "StateValue", "StateReason",
    "StateReasonData", "StateUpdatedTimestamp", "MetricName", "Namespace",
    "Statistic", "ExtendedStatistic", "Dimensions", "Period", "Unit",
    "EvaluationPeriods", "DatapointsToAlarm", "Threshold",
    "ComparisonOperator", "TreatMissingData", "Metrics",
    "StateTransitionedTimestamp")
COMPOSITE_FIELDS = (
    "ActionsEnabled", "AlarmActions", "AlarmArn",
    "AlarmConfigurationUpdatedTimestamp", "AlarmDescription", "AlarmName",
    "AlarmRule", "InsufficientDataActions", "OKActions", "StateReason",
    "StateReasonData", "StateUpdatedTimestamp", "StateValue",
    "StateTransitionedTimestamp")


def _validation(field, value, constraint):
    return AwsError(400, "ValidationError",
                    "1 validation error detected: Value '%s' at '%s' failed "
                    "to satisfy constraint: %s" % (value, field, constraint))


def _members(params, name):
    """Name.member.1, Name.member.2, ... in order."""
    out, i = [], 1
    while "%s.member.%d" % (name, i) in params:
        out.append(params["%s.member.%d" % (name, i)])
        i += 1
    return out


def _xml(value, indent):
    """A value as query-protocol XML: lists as <member>, dicts as fields."""
    pad = " " * indent
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "\n" + "".join("%s<%s>%s</%s>\n" % (pad, k, _xml(v, indent + 2),
                                                    k)
                              for k, v in value.items()) + " " * (indent - 2)
    if isinstance(value, list):
        return "\n" + "".join("%s<member>%s</member>\n" % (
            pad, _xml(v, indent + 2)) for v in value) + " " * (indent - 2)
    if isinstance(value, float):
        return repr(value)
    return xml_text(value)


def _record(alarm, fields):
    return {k: alarm[k] for k in fields if k in alarm}


def _max_records(params):
    raw = params.get("MaxRecords")
    if raw is None:
        return 50
    if not raw.isdigit() or not 1 <= int(raw) <= 100:
        raise _validation("maxRecords", raw, "Member must have value "
                          "between 1 and 100")
    return int(raw)


def _token(offset):
    return base64.b64encode(("fakeaws-cw:%d" % offset).encode()).decode()


def _offset(params):
    token = params.get("NextToken")
    if not token:
        return 0
    try:
        prefix, _, num = base64.b64decode(token, validate=True).decode() \
            .partition(":")
        if prefix == "fakeaws-cw" and num.isdigit():
            return int(num)
    except (ValueError, UnicodeDecodeError):
        pass
    raise AwsError(400, "InvalidNextToken", "The service returned an "
                   "invalid next token.")


def describe_alarms(ctx, params):
    names = _members(params, "AlarmNames")
    prefix = params.get("AlarmNamePrefix")
    if names and prefix:
        raise AwsError(400, "InvalidParameterCombination",
                       "AlarmNames and AlarmNamePrefix cannot be specified "
                       "together.")
    state = params.get("StateValue")
    if state is not None and state not in STATES:
        raise _validation("stateValue", state, "Member must satisfy enum "
                          "value set: [INSUFFICIENT_DATA, ALARM, OK]")
    types = _members(params, "AlarmTypes") or ["MetricAlarm"]
    for t in types:
        if t not in TYPES:
            raise _validation("alarmTypes", t, "Member must satisfy enum "
                              "value set: [CompositeAlarm, MetricAlarm]")
    action = params.get("ActionPrefix")
    limit, start = _max_records(params), _offset(params)
    with ctx.state.lock:
        alarms = sorted(ctx.caller.account.alarms,
                        key=lambda a: a["AlarmName"])
    picked = [a for a in alarms
              if ("CompositeAlarm" if "AlarmRule" in a else "MetricAlarm")
              in types and (not names or a["AlarmName"] in names) and
              (not prefix or a["AlarmName"].startswith(prefix)) and
              (not state or a["StateValue"] == state) and
              (not action or any(x.startswith(action) for x in
                                 a.get("AlarmActions", [])))]
    page = picked[start:start + limit]
    metric = [_record(a, METRIC_FIELDS) for a in page if "AlarmRule" not in a]
    composite = [_record(a, COMPOSITE_FIELDS) for a in page
                 if "AlarmRule" in a]
    body = {}
    if "CompositeAlarm" in types:
        body["CompositeAlarms"] = composite
    body["MetricAlarms"] = metric
    if start + limit < len(picked):
        body["NextToken"] = _token(start + limit)
    return query_response("DescribeAlarms", _result(body), ctx.request_id, NS)


def _result(body):
    return "".join("    <%s>%s</%s>\n" % (k, _xml(v, 6), k)
                   for k, v in body.items())


def _iso_ms(text):
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(
        tzinfo=timezone.utc)


def _date_param(params, name):
    raw = params.get(name)
    if raw is None:
        return None
    try:
        return datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        raise _validation(name[0].lower() + name[1:], raw,
                          "Member must be a timestamp")


def describe_alarm_history(ctx, params):
    """One StateUpdate item per alarm: its last transition."""
    name = params.get("AlarmName")
    kind = params.get("HistoryItemType")
    start, end = _date_param(params, "StartDate"), _date_param(params,
                                                               "EndDate")
    limit, offset = _max_records(params), _offset(params)
    with ctx.state.lock:
        alarms = list(ctx.caller.account.alarms)
    items = []
    for a in alarms:
        when = _iso_ms(a["StateTransitionedTimestamp"])
        if (name and a["AlarmName"] != name) or \
                (kind and kind != "StateUpdate") or \
                (start and when < start) or (end and when > end):
            continue
        old = "OK" if a["StateValue"] != "OK" else "ALARM"
        data = {"version": "1.0", "oldState": {"stateValue": old},
                "newState": {"stateValue": a["StateValue"],
                             "stateReason": a.get("StateReason", "")}}
        items.append({
            "AlarmName": a["AlarmName"],
            "AlarmType": "CompositeAlarm" if "AlarmRule" in a else
            "MetricAlarm",
            "Timestamp": a["StateTransitionedTimestamp"],
            "HistoryItemType": "StateUpdate",
            "HistorySummary": "Alarm updated from %s to %s" % (
                old, a["StateValue"]),
            "HistoryData": json.dumps(data)})
    items.sort(key=lambda i: i["Timestamp"],
               reverse=params.get("ScanBy") != "TimestampAscending")
    body = {"AlarmHistoryItems": items[offset:offset + limit]}
    if offset + limit < len(items):
        body["NextToken"] = _token(offset + limit)
    return query_response("DescribeAlarmHistory", _result(body),
                          ctx.request_id, NS)


OPERATIONS = {"DescribeAlarms": describe_alarms,
              "DescribeAlarmHistory": describe_alarm_history}


def handle(ctx, params):
    action = params.get("Action", "")
    op = OPERATIONS.get(action)
    if params.get("Version") not in (None, VERSION) or op is None:
        raise AwsError(400, "InvalidAction",
                       "Could not find operation %s for version %s"
                       % (action, params.get("Version", VERSION)))
    return op(ctx, params)
