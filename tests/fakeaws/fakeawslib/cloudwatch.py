"""CloudWatch over the query protocol (Version 2010-08-01, signing name
monitoring): alarms (DescribeAlarms, DescribeAlarmHistory, SetAlarmState)
here, metrics (GetMetricData, PutMetricData) in cloudwatch_metrics.

The alarms come from the seed (seed/ENV-alarms.json, loaded by
cloudwatch_seed: MetricAlarm fields, or CompositeAlarm fields when
AlarmRule is set). As the service does, DescribeAlarms and
DescribeAlarmHistory without AlarmTypes answer metric alarms only.
"""

import json
import time

from . import cloudwatch_metrics, cloudwatch_seed
from .cloudwatch_seed import alarm_type, iso_ms, parse_iso
from .cloudwatch_wire import (NS, Raw, empty_response, max_records, members,
                              result, timestamp, token, untoken, validation,
                              xml)
from .errors import AwsError, query_response

VERSION = "2010-08-01"
STATES = ("OK", "ALARM", "INSUFFICIENT_DATA")
TYPES = ("CompositeAlarm", "MetricAlarm")
HISTORY_TYPES = ("ConfigurationUpdate", "StateUpdate", "Action",
                 "AlarmContributorStateUpdate", "AlarmContributorAction")
SCAN = ("TimestampDescending", "TimestampAscending")
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


def _record(alarm, fields):
    return {k: alarm[k] for k in fields if k in alarm}


def _types(params):
    types = members(params, "AlarmTypes") or ["MetricAlarm"]
    for t in types:
        if t not in TYPES:
            raise validation("alarmTypes", t, "Member must satisfy enum "
                             "value set: [CompositeAlarm, MetricAlarm]")
    return types


# What SetAlarmState changes; nothing else of an alarm changes here.
STATE_FIELDS = ("StateValue", "StateReason", "StateReasonData",
                "StateUpdatedTimestamp", "StateTransitionedTimestamp")


def _rendered(cache, alarm, fields):
    """The alarm as a <member>'s XML, from the cache while its state is the
    one it was rendered in (indent 8: a member of the result's list)."""
    stamp = tuple(alarm.get(k) for k in STATE_FIELDS)
    hit = cache.get(alarm["AlarmName"])
    if hit is None or hit[0] != stamp:
        hit = (stamp, Raw(xml(_record(alarm, fields), 8)))
        cache[alarm["AlarmName"]] = hit
    return hit[1]


def describe_alarms(ctx, params):
    names = members(params, "AlarmNames")
    prefix = params.get("AlarmNamePrefix")
    if names and prefix:
        raise AwsError(400, "InvalidParameterCombination",
                       "AlarmNames and AlarmNamePrefix cannot be specified "
                       "together.")
    if len(names) > 100:
        raise validation("alarmNames", names, "Member must have length "
                         "less than or equal to 100")
    for p in ("ChildrenOfAlarmName", "ParentsOfAlarmName"):
        if p in params:
            raise AwsError(400, "ValidationError", "fakeaws does not "
                           "implement %s" % p)
    state = params.get("StateValue")
    if state is not None and state not in STATES:
        raise validation("stateValue", state, "Member must satisfy enum "
                         "value set: [INSUFFICIENT_DATA, ALARM, OK]")
    types = _types(params)
    action = params.get("ActionPrefix")
    limit, (start,) = max_records(params), untoken(params)
    with ctx.state.lock:
        alarms = sorted(ctx.caller.account.alarms,
                        key=lambda a: a["AlarmName"])
        cap = cloudwatch_seed.store(ctx.caller.account).page_cap
    if cap:
        limit = min(limit, cap)
    picked = [a for a in alarms
              if alarm_type(a) in types and
              (not names or a["AlarmName"] in names) and
              (not prefix or a["AlarmName"].startswith(prefix)) and
              (not state or a["StateValue"] == state) and
              (not action or any(x.startswith(action) for x in
                                 a.get("AlarmActions", [])))]
    page = picked[start:start + limit]
    with ctx.state.lock:
        rendered = cloudwatch_seed.store(ctx.caller.account).rendered
        metric = [_rendered(rendered, a, METRIC_FIELDS) for a in page
                  if "AlarmRule" not in a]
        composite = [_rendered(rendered, a, COMPOSITE_FIELDS) for a in page
                     if "AlarmRule" in a]
    body = {}
    if "CompositeAlarm" in types:
        body["CompositeAlarms"] = composite
    body["MetricAlarms"] = metric
    if start + limit < len(picked):
        body["NextToken"] = token(start + limit)
    return query_response("DescribeAlarms", result(body), ctx.request_id, NS)


def describe_alarm_history(ctx, params):
    name = params.get("AlarmName")
    kind = params.get("HistoryItemType")
    if kind is not None and kind not in HISTORY_TYPES:
        raise validation("historyItemType", kind, "Member must satisfy "
                         "enum value set: [%s]" % ", ".join(HISTORY_TYPES))
    scan = params.get("ScanBy", "TimestampDescending")
    if scan not in SCAN:
        raise validation("scanBy", scan, "Member must satisfy enum value "
                         "set: [TimestampDescending, TimestampAscending]")
    types = _types(params)
    start = timestamp(params, "StartDate")
    end = timestamp(params, "EndDate")
    limit, (offset,) = max_records(params), untoken(params)
    with ctx.state.lock:
        history = list(cloudwatch_seed.store(ctx.caller.account).history)
    items = [i for i in history
             if (not name or i["AlarmName"] == name) and
             i["AlarmType"] in types and
             (not kind or i["HistoryItemType"] == kind) and
             (start is None or parse_iso(i["Timestamp"]) >= start) and
             (end is None or parse_iso(i["Timestamp"]) <= end)]
    items.sort(key=lambda i: i["Timestamp"], reverse=scan == SCAN[0])
    body = {"AlarmHistoryItems": items[offset:offset + limit]}
    if offset + limit < len(items):
        body["NextToken"] = token(offset + limit)
    return query_response("DescribeAlarmHistory", result(body),
                          ctx.request_id, NS)


def set_state(acct, name, state, reason, reason_data=None, now=None):
    """SetAlarmState's effect (also the admin knob's): the new state and
    reason, StateUpdatedTimestamp now, and on a change of state
    StateTransitionedTimestamp now and a StateUpdate history item."""
    if state not in STATES:
        raise validation("stateValue", state, "Member must satisfy enum "
                         "value set: [INSUFFICIENT_DATA, ALARM, OK]")
    if reason is None:
        raise validation("stateReason", "null", "Member must not be null")
    if len(reason) > 1023:
        raise validation("stateReason", reason, "Member must have length "
                         "less than or equal to 1023")
    if reason_data is not None:
        try:
            json.loads(reason_data)
        except ValueError:
            raise AwsError(400, "InvalidFormat", "Invalid JSON format "
                           "for StateReasonData") from None
    alarm = next((a for a in acct.alarms if a["AlarmName"] == name), None)
    if alarm is None:
        raise AwsError(404, "ResourceNotFound", "Alarm %s not found" % name)
    when = iso_ms(now or time.time())
    old, old_reason = alarm["StateValue"], alarm.get("StateReason", "")
    alarm.update(StateValue=state, StateReason=reason,
                 StateUpdatedTimestamp=when)
    if reason_data is not None:
        alarm["StateReasonData"] = reason_data
    else:
        alarm.pop("StateReasonData", None)
    if old != state:
        alarm["StateTransitionedTimestamp"] = when
        item = cloudwatch_seed.state_item(alarm, when, old, state,
                                          old_reason, reason)
        cloudwatch_seed.store(acct).history.append(item)
    return alarm


def set_alarm_state(ctx, params):
    with ctx.state.lock:
        set_state(ctx.caller.account, params.get("AlarmName", ""),
                  params.get("StateValue"), params.get("StateReason"),
                  params.get("StateReasonData"))
    return empty_response("SetAlarmState", ctx.request_id)


OPERATIONS = {"DescribeAlarms": describe_alarms,
              "DescribeAlarmHistory": describe_alarm_history,
              "SetAlarmState": set_alarm_state,
              "GetMetricData": cloudwatch_metrics.get_metric_data,
              "PutMetricData": cloudwatch_metrics.put_metric_data}


def handle(ctx, params):
    action = params.get("Action", "")
    op = OPERATIONS.get(action)
    if params.get("Version") not in (None, VERSION) or op is None:
        raise AwsError(400, "InvalidAction",
                       "Could not find operation %s for version %s"
                       % (action, params.get("Version", VERSION)))
    return op(ctx, params)
