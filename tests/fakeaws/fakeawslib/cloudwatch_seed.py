"""The CloudWatch alarms of an account: loaded from seed/ENV-alarms.json,
made up for benches (the admin knobs), and their history.

Seed timestamps may be relative ("now-2h14m", "now-9d3h") so that "ALARM
for 2h 14m" reads the same on every run; they are resolved when the seed
is loaded (start-up and /_fakeaws/reset). In a StateReason, {transitioned}
becomes the transition time as AWS writes it in reasons ("03/12/26
14:05:00") and {transitioned_iso} as an ISO timestamp.
"""

import json
import re
import time
from datetime import datetime, timezone

REL = re.compile(r"^now(?:-(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?)?$")
REGION = "eu-west-1"
# What `dlc new`'s Terraform gives every function (src/new-terraform.c).
STANDARD = (("errors", "Errors", "Sum", "failed at least once in 5 minutes"),
            ("throttles", "Throttles", "Sum", "was throttled in 5 minutes"),
            ("duration", "Duration", "Maximum",
             "ran longer than 80% of its timeout"))
OK_REASON = ("Threshold Crossed: no datapoints were received for 1 period "
             "and 1 missing datapoint was treated as [NonBreaching].")


def iso_ms(t):
    """An alarm timestamp as the service writes it: milliseconds, Z."""
    return datetime.fromtimestamp(t, timezone.utc).strftime(
        "%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (int(t * 1000) % 1000)


def parse_iso(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def _resolve(value, now):
    m = REL.match(value)
    if not m:
        return value
    d, h, mi, s = (int(x or 0) for x in m.groups())
    return iso_ms(int(now) - ((d * 24 + h) * 60 + mi) * 60 - s)


def _reason_time(t):
    return datetime.fromtimestamp(t, timezone.utc).strftime(
        "%d/%m/%y %H:%M:%S")


class AlarmStore:
    """What an account's CloudWatch holds besides the alarm list itself
    (which stays Account.alarms): history, page-size cap, put metrics."""

    def __init__(self):
        self.history = []       # dicts as DescribeAlarmHistory answers them
        self.page_cap = None    # admin knob: DescribeAlarms page size cap
        self.metric_profiles = {}   # function -> "failing" | "idle"
        self.put = {}           # (ns, name, dims) -> [(t, [(v, c)], stats)]
        # AlarmName -> (state fields, XML): DescribeAlarms renders an alarm
        # once per state, not on every page (the 1,000-alarm bench)
        self.rendered = {}


def store(acct):
    """The account's AlarmStore, made on first use (and gone on reset,
    which makes new Account objects)."""
    st = acct.__dict__.get("cloudwatch")
    if st is None:
        st = acct.__dict__["cloudwatch"] = AlarmStore()
    return st


def attach(acct, doc, now=None):
    """Load ENV-alarms.json's alarms and metric profiles into acct."""
    if doc is None:
        return
    now = now or time.time()
    st = store(acct)
    st.metric_profiles = dict(doc.get("metric_profiles", {}))
    alarms = []
    for a in doc.get("alarms", []):
        a = dict(a)
        for k, v in a.items():
            if k.endswith("Timestamp") and isinstance(v, str):
                a[k] = _resolve(v, now)
        when = parse_iso(a["StateTransitionedTimestamp"])
        if "StateReason" in a:
            a["StateReason"] = a["StateReason"].replace(
                "{transitioned}", _reason_time(when - 60)).replace(
                "{transitioned_iso}", iso_ms(when))
        alarms.append(a)
    acct.alarms = alarms
    st.history = []
    for a in alarms:
        st.history += seeded_history(a)


def alarm_type(a):
    return "CompositeAlarm" if "AlarmRule" in a else "MetricAlarm"


def history_item(a, when, kind, summary, data):
    return {"AlarmName": a["AlarmName"], "AlarmType": alarm_type(a),
            "Timestamp": when, "HistoryItemType": kind,
            "HistorySummary": summary,
            "HistoryData": json.dumps(data, separators=(",", ":"))}


def state_item(a, when, old, new, old_reason, new_reason):
    return history_item(
        a, when, "StateUpdate", "Alarm updated from %s to %s" % (old, new),
        {"version": "1.0", "oldState": {"stateValue": old,
                                         "stateReason": old_reason},
         "newState": {"stateValue": new, "stateReason": new_reason}})


def seeded_history(a):
    """What the service would have recorded for a seeded alarm: its
    creation, its first evaluation (OK), an earlier incident, its last
    transition at StateTransitionedTimestamp, and the SNS action it ran
    when that went into ALARM."""
    created = parse_iso(a.get("AlarmConfigurationUpdatedTimestamp") or
                        a["StateTransitionedTimestamp"])
    last = parse_iso(a["StateTransitionedTimestamp"])
    created = min(created, last - 120)
    out = [history_item(a, iso_ms(created), "ConfigurationUpdate",
                        'Alarm "%s" created' % a["AlarmName"],
                        {"version": "1.0", "type": "Create",
                         "createdAlarm": {"alarmName": a["AlarmName"]}})]
    state, reason = a["StateValue"], a.get("StateReason", "")
    out.append(state_item(a, iso_ms(created + 60), "INSUFFICIENT_DATA",
                          "OK", "Unchecked: Initial alarm creation",
                          OK_REASON))
    if state == "ALARM" and last - 86400 > created + 120:
        flap = last - 86400
        out.append(state_item(a, iso_ms(flap), "OK", "ALARM", OK_REASON,
                              "Threshold Crossed (an earlier incident)"))
        out.append(state_item(a, iso_ms(flap + 1800), "ALARM", "OK",
                              "Threshold Crossed (an earlier incident)",
                              OK_REASON))
    if state == "OK" and last - 600 > created + 60:
        out.append(state_item(a, iso_ms(last - 600), "OK", "ALARM",
                              OK_REASON, "Threshold Crossed (an earlier "
                              "incident)"))
        out.append(state_item(a, a["StateTransitionedTimestamp"], "ALARM",
                              "OK", "Threshold Crossed (an earlier "
                              "incident)", reason))
    elif state != "OK":
        out.append(state_item(a, a["StateTransitionedTimestamp"], "OK",
                              state, OK_REASON, reason))
    if state == "ALARM" and a.get("ActionsEnabled", True):
        for arn in a.get("AlarmActions", []):
            out.append(history_item(
                a, iso_ms(last + 1), "Action",
                "Successfully executed action %s" % arn,
                {"actionState": "Succeeded", "notificationResource": arn,
                 "stateUpdateTimestamp": int(last * 1000)}))
    return out


def standard_alarms(acct, function, timeout=900, now=None):
    """The three alarms `dlc new` writes for a function, all OK."""
    now = now or time.time()
    env = acct.environment
    local = function
    if function.startswith("datalake-%s-" % env):
        local = function[len("datalake-%s-" % env):]
    topic = "arn:aws:sns:%s:%s:datalake-%s-alerts" % (REGION, acct.account_id,
                                                      env)
    out = []
    for kind, metric, stat, what in STANDARD:
        name = "%s-%s" % (function, kind)
        out.append({
            "AlarmName": name,
            "AlarmArn": "arn:aws:cloudwatch:%s:%s:alarm:%s" % (
                REGION, acct.account_id, name),
            "AlarmDescription": "%s %s" % (local, what),
            "AlarmConfigurationUpdatedTimestamp": iso_ms(now - 86400 * 30),
            "ActionsEnabled": True, "OKActions": [topic],
            "AlarmActions": [topic], "InsufficientDataActions": [],
            "StateValue": "OK", "StateReason": OK_REASON,
            "StateUpdatedTimestamp": iso_ms(now - 300),
            "MetricName": metric, "Namespace": "AWS/Lambda",
            "Statistic": stat,
            "Dimensions": [{"Name": "FunctionName", "Value": function}],
            "Period": 300, "EvaluationPeriods": 1,
            "Threshold": float(timeout * 800) if kind == "duration" else 0.0,
            "ComparisonOperator": "GreaterThanThreshold",
            "TreatMissingData": "notBreaching",
            "StateTransitionedTimestamp": iso_ms(now - 86400 * 29)})
    return out


def extra_alarms(acct, count, now=None):
    """count more alarms for a bench, named datalake-ENV-bench-NNNN-KIND
    after functions datalake-ENV-gen-NNNN (which --extra-functions makes):
    every 50th in ALARM, every 20th INSUFFICIENT_DATA, the rest OK."""
    now = now or time.time()
    have = {a["AlarmName"] for a in acct.alarms}
    out, i = [], 0
    while len(out) < count:
        i += 1
        fn = "datalake-%s-gen-%04d" % (acct.environment, (i - 1) // 3 + 1)
        a = standard_alarms(acct, fn, 60, now)[(i - 1) % 3]
        a["AlarmName"] = a["AlarmName"].replace(
            "-gen-", "-bench-", 1)
        a["AlarmArn"] = a["AlarmArn"].rsplit(":", 1)[0] + ":" + a["AlarmName"]
        if a["AlarmName"] in have:
            continue
        if i % 50 == 0:
            a.update(StateValue="ALARM", StateReason="Threshold Crossed: "
                     "1 out of the last 1 datapoints [3.0] was greater than "
                     "the threshold (0.0).",
                     StateTransitionedTimestamp=iso_ms(now - 60 * i))
        elif i % 20 == 0:
            a.update(StateValue="INSUFFICIENT_DATA",
                     StateReason="Insufficient Data: 1 datapoint was "
                     "unknown.",
                     StateTransitionedTimestamp=iso_ms(now - 60 * i))
        out.append(a)
    return out


def add_alarms(acct, alarms):
    """Append alarms (skipping names the account has) with their seeded
    history; the number added."""
    have = {a["AlarmName"] for a in acct.alarms}
    st = store(acct)
    added = 0
    for a in alarms:
        if a["AlarmName"] in have:
            continue
        acct.alarms.append(a)
        st.history += seeded_history(a)
        have.add(a["AlarmName"])
        added += 1
    return added


def add_function_alarms(acct, functions, now=None):
    """The standard three alarms for each function (its Timeout sets the
    duration threshold): what a scale knob that makes functions calls."""
    out = []
    for fn in functions:
        cfg = acct.functions.get(fn, {}).get("Configuration", {})
        out += standard_alarms(acct, fn, cfg.get("Timeout", 900), now)
    return add_alarms(acct, out)
