#!/usr/bin/env python3
"""fakeaws CloudWatch over raw HTTP: the alarms seed, DescribeAlarms and
DescribeAlarmHistory filters and paging, SetAlarmState and its history,
GetMetricData (statistics, paging, validation), PutMetricData and the
/_fakeaws/cloudwatch/ knobs. test_with_aws_cli.py checks the same
operations with AWS's own client."""

import json
import os
import sys
import time
import xml.etree.ElementTree as ET
from datetime import datetime, timezone
from urllib.parse import urlencode

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from harness import Checks, FakeAws  # noqa: E402
from test_server import ALPHA, SANDBOX, Client  # noqa: E402

NS = "{http://monitoring.amazonaws.com/doc/2010-08-01/}"
FORM = [("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")]
RECON = "datalake-alpha-mambu-datalake-reconciliation"
IDLE = "datalake-alpha-dynamo-customers-to-s3-raw"


class Cw:
    def __init__(self, c, keys=ALPHA):
        self.c, self.keys = c, keys

    def call(self, action, **params):
        params.update(Action=action, Version="2010-08-01")
        r, data = self.c.send("POST", "/", urlencode(params).encode(), FORM,
                              keys=self.keys, service="monitoring")
        return r.status, data, ET.fromstring(data)

    def error(self, action, **params):
        status, data, root = self.call(action, **params)
        return (status, root.findtext(".//%sCode" % NS),
                root.findtext(".//%sMessage" % NS))


def names(root, kind):
    return [m.findtext(NS + "AlarmName") for el in root.iter(NS + kind)
            for m in el.findall(NS + "member")]


def all_alarms(cw, **params):
    out, token = [], None
    for _ in range(200):
        extra = dict(params, **({"NextToken": token} if token else {}))
        _, _, root = cw.call("DescribeAlarms", **extra)
        out += names(root, "MetricAlarms") + names(root, "CompositeAlarms")
        token = root.findtext(".//%sNextToken" % NS)
        if not token:
            return out
    return out


def query(i, qid, fn, metric="Invocations", stat="Sum", period=3600,
          ns="AWS/Lambda"):
    p = "MetricDataQueries.member.%d." % i
    q = {p + "Id": qid, p + "MetricStat.Metric.Namespace": ns,
         p + "MetricStat.Metric.MetricName": metric,
         p + "MetricStat.Period": str(period), p + "MetricStat.Stat": stat}
    if fn:
        q[p + "MetricStat.Metric.Dimensions.member.1.Name"] = "FunctionName"
        q[p + "MetricStat.Metric.Dimensions.member.1.Value"] = fn
    return q


def iso(t):
    return datetime.fromtimestamp(t, timezone.utc).strftime(
        "%Y-%m-%dT%H:%M:%SZ")


def results(root):
    out = {}
    for m in root.iter(NS + "MetricDataResults"):
        for r in m.findall(NS + "member"):
            out[r.findtext(NS + "Id")] = {
                "label": r.findtext(NS + "Label"),
                "status": r.findtext(NS + "StatusCode"),
                "t": [e.text for e in r.find(NS + "Timestamps")],
                "v": [float(e.text) for e in r.find(NS + "Values")]}
    return out


def gmd(cw, queries, start, end, **params):
    p = {}
    for q in queries:
        p.update(q)
    return cw.call("GetMetricData", StartTime=iso(start), EndTime=iso(end),
                   **p, **params)


def check_seed(t, cw, sb):
    everything = all_alarms(cw, **{"AlarmTypes.member.1": "MetricAlarm",
                                   "AlarmTypes.member.2": "CompositeAlarm"})
    t.equal("alpha: 26 alarms, each once", (len(everything),
                                            len(set(everything))), (26, 26))
    fns = ["mambu-to-s3-raw", "mambu-datalake-reconciliation",
           "dynamodb-datalake-reconciliation", "dynamo-customers-to-s3-raw",
           "dynamo-sls-cards-to-s3-raw", "salesforce-cases-to-s3-raw",
           "quicksight-authors-datasets-to-s3-curated"]
    want = {"datalake-alpha-%s-%s" % (f, k) for f in fns
            for k in ("errors", "throttles", "duration")}
    want |= {"legacy-export-job-" + k for k in ("errors", "throttles",
                                                 "duration")}
    want.discard("datalake-alpha-salesforce-cases-to-s3-raw-throttles")
    t.check("every alpha function has dlc new's three alarms but "
            "salesforce-cases-to-s3-raw's throttles", want <= set(everything)
            and "datalake-alpha-salesforce-cases-to-s3-raw-throttles" not in
            everything, sorted(want - set(everything)))
    _, data, root = cw.call("DescribeAlarms", **{
        "AlarmNames.member.1": "datalake-alpha-dynamo-sls-cards-to-s3-raw-"
        "duration", "AlarmNames.member.2": "lambda-errors-7f3a",
        "AlarmNames.member.3": "datalake-alpha-mambu-to-s3-raw-freshness"})
    alarms = {m.findtext(NS + "AlarmName"): m for m in root.iter(NS + "member")
              if m.find(NS + "AlarmName") is not None}
    d = alarms.get("datalake-alpha-dynamo-sls-cards-to-s3-raw-duration")
    t.check("sls-cards duration alarm: actions disabled, 80% of 300 s",
            d is not None and d.findtext(NS + "ActionsEnabled") == "false" and
            d.findtext(NS + "Threshold") == "240000.0" and
            d.findtext(NS + "Statistic") == "Maximum", data[:300])
    d = alarms.get("lambda-errors-7f3a")
    t.check("lambda-errors-7f3a names its function only by dimension",
            d is not None and d.findtext(".//%sValue" % NS) ==
            "datalake-alpha-dynamodb-datalake-reconciliation", data[:300])
    d = alarms.get("datalake-alpha-mambu-to-s3-raw-freshness")
    reason = d.findtext(NS + "StateReason") if d is not None else ""
    t.check("freshness alarm: no FunctionName, hostile 1023-char reason",
            d is not None and b"FunctionName" not in ET.tostring(d) and
            len(reason) == 1023 and "\u009b2J" in reason and
            "\u202e" in reason and "<b>&amp;</b>" in reason, reason[:120])
    t.check("the hostile reason is escaped in the XML",
            b"&lt;b&gt;&amp;amp;&lt;/b&gt;" in data, data[:200])
    for env_cw, env, want_alarm in (
            (cw, "alpha", ["datalake-alpha-mambu-datalake-reconciliation-"
                           "errors", "datalake-alpha-mambu-to-s3-raw-"
                           "freshness", "datalake-alpha-pipeline-health"]),
            (sb, "sandbox", ["datalake-sandbox-dynamo-sls-cards-to-s3-raw-"
                             "errors"])):
        got = all_alarms(env_cw, StateValue="ALARM", **{
            "AlarmTypes.member.1": "MetricAlarm",
            "AlarmTypes.member.2": "CompositeAlarm"})
        t.equal("%s: the alarms in ALARM" % env, got, want_alarm)
    insuff = all_alarms(cw, StateValue="INSUFFICIENT_DATA")
    t.equal("alpha: the idle function's alarms are INSUFFICIENT_DATA",
            insuff, ["%s-%s" % (IDLE, k) for k in ("duration", "errors",
                                                    "throttles")])
    _, _, root = cw.call("DescribeAlarms", AlarmNamePrefix=RECON)
    m = [m for m in next(iter(root.iter(NS + "MetricAlarms"))).findall(
        NS + "member") if m.findtext(NS + "AlarmName") == RECON + "-errors"][0]
    since = datetime.fromisoformat(m.findtext(
        NS + "StateTransitionedTimestamp").replace("Z", "+00:00"))
    age = time.time() - since.timestamp()
    t.check("the ALARM has been in ALARM 2h 14m (relative seed time)",
            2 * 3600 + 14 * 60 - 5 < age < 2 * 3600 + 14 * 60 + 60, age)
    t.equal("AlarmNamePrefix", names(root, "MetricAlarms"),
            ["%s-%s" % (RECON, k) for k in ("duration", "errors",
                                             "throttles")])
    t.equal("ActionPrefix", len(all_alarms(
        cw, ActionPrefix="arn:aws:sns:eu-west-1:111111111111:")), 25)
    _, data, root = cw.call("DescribeAlarms", **{
        "AlarmTypes.member.1": "CompositeAlarm"})
    t.check("AlarmTypes CompositeAlarm only: an empty MetricAlarms",
            names(root, "CompositeAlarms") == [
                "datalake-alpha-pipeline-health"] and
            names(root, "MetricAlarms") == [] and
            root.findtext(".//%sAlarmRule" % NS).startswith(
                'ALARM("datalake-alpha-mambu-datalake-reconciliation-errors")'
                ' OR '), data[:400])


def check_describe_errors(t, cw):
    t.equal("bad NextToken", cw.error("DescribeAlarms", NextToken="bogus")[
        :2], (400, "InvalidNextToken"))
    t.equal("MaxRecords 101", cw.error("DescribeAlarms", MaxRecords="101")[
        :2], (400, "ValidationError"))
    t.equal("bad StateValue", cw.error("DescribeAlarms", StateValue="ON")[
        :2], (400, "ValidationError"))
    t.equal("bad AlarmTypes", cw.error("DescribeAlarms", **{
        "AlarmTypes.member.1": "LogAlarm"})[:2], (400, "ValidationError"))
    t.equal("AlarmNames with AlarmNamePrefix", cw.error(
        "DescribeAlarms", AlarmNamePrefix="x",
        **{"AlarmNames.member.1": "y"})[:2],
        (400, "InvalidParameterCombination"))
    t.equal("bad HistoryItemType", cw.error(
        "DescribeAlarmHistory", HistoryItemType="Everything")[:2],
        (400, "ValidationError"))
    t.equal("bad ScanBy", cw.error("DescribeAlarmHistory", ScanBy="Up")[:2],
            (400, "ValidationError"))
    t.equal("unknown operation", cw.error("DescribeAnomalyDetectors")[:2],
            (400, "InvalidAction"))


def check_history(t, cw):
    name = RECON + "-errors"

    def items(**params):
        out, token = [], None
        for _ in range(50):
            extra = dict(params, **({"NextToken": token} if token else {}))
            _, _, root = cw.call("DescribeAlarmHistory", **extra)
            out += [{k: m.findtext(NS + k) for k in (
                "AlarmName", "Timestamp", "HistoryItemType",
                "HistorySummary", "HistoryData", "AlarmType")}
                for el in root.iter(NS + "AlarmHistoryItems")
                for m in el.findall(NS + "member")]
            token = root.findtext(".//%sNextToken" % NS)
            if not token:
                break
        return out
    mine = items(AlarmName=name)
    stamps = [i["Timestamp"] for i in mine]
    t.check("history of the ALARM: newest first, created ... OK to ALARM, "
            "then the SNS action", stamps == sorted(stamps, reverse=True) and
            mine[0]["HistoryItemType"] == "Action" and
            mine[1]["HistorySummary"] == "Alarm updated from OK to ALARM" and
            mine[-1]["HistoryItemType"] == "ConfigurationUpdate",
            [(i["HistoryItemType"], i["HistorySummary"]) for i in mine])
    data = json.loads(mine[1]["HistoryData"])
    t.check("StateUpdate HistoryData is a JSON string with old and new "
            "state", data["oldState"]["stateValue"] == "OK" and
            data["newState"]["stateValue"] == "ALARM", data)
    asc = items(AlarmName=name, ScanBy="TimestampAscending")
    t.equal("ScanBy TimestampAscending", asc, mine[::-1])
    t.equal("HistoryItemType StateUpdate", {i["HistoryItemType"] for i in
                                            items(AlarmName=name,
                                                  HistoryItemType=
                                                  "StateUpdate")},
            {"StateUpdate"})
    paged = items(AlarmName=name, MaxRecords="2")
    t.equal("MaxRecords 2 pages through the same items", paged, mine)
    cut = mine[1]["Timestamp"]
    t.equal("StartDate keeps what is at or after it",
            items(AlarmName=name, StartDate=cut), mine[:2])
    t.equal("EndDate keeps what is at or before it",
            items(AlarmName=name, EndDate=cut), mine[1:])
    every = items()
    t.check("without AlarmTypes, no composite alarm's history",
            every and all(i["AlarmType"] == "MetricAlarm" for i in every),
            len(every))
    comp = items(AlarmName="datalake-alpha-pipeline-health",
                 **{"AlarmTypes.member.1": "CompositeAlarm"})
    t.check("with AlarmTypes CompositeAlarm, the composite's history",
            comp and comp[0]["AlarmType"] == "CompositeAlarm", comp[:1])


def check_set_state(t, cw, fa):
    name = "datalake-alpha-quicksight-authors-datasets-to-s3-curated-errors"
    before = time.time()
    status, data, _ = cw.call("SetAlarmState", AlarmName=name,
                              StateValue="ALARM",
                              StateReason="set by test_cloudwatch")
    t.check("SetAlarmState: 200 without a Result element",
            status == 200 and b"<SetAlarmStateResponse" in data and
            b"SetAlarmStateResult" not in data, data)
    _, _, root = cw.call("DescribeAlarms", **{"AlarmNames.member.1": name})
    m = next(iter(root.iter(NS + "MetricAlarms"))).find(NS + "member")

    def epoch(k):
        return datetime.fromisoformat(m.findtext(NS + k).replace(
            "Z", "+00:00")).timestamp()
    t.check("the alarm is in ALARM, updated and transitioned now",
            m.findtext(NS + "StateValue") == "ALARM" and
            m.findtext(NS + "StateReason") == "set by test_cloudwatch" and
            before - 1 <= epoch("StateUpdatedTimestamp") <= time.time() and
            epoch("StateTransitionedTimestamp") ==
            epoch("StateUpdatedTimestamp"), ET.tostring(m)[:300])
    _, _, root = cw.call("DescribeAlarmHistory", AlarmName=name,
                         MaxRecords="1")
    t.equal("its newest history item is the StateUpdate",
            root.findtext(".//%sHistorySummary" % NS),
            "Alarm updated from OK to ALARM")
    trans = m.findtext(NS + "StateTransitionedTimestamp")
    _, _, root = cw.call("DescribeAlarmHistory", AlarmName=name,
                         HistoryItemType="StateUpdate")
    count = len(list(root.iter(NS + "HistorySummary")))
    time.sleep(0.01)
    cw.call("SetAlarmState", AlarmName=name, StateValue="ALARM",
            StateReason="still failing")
    _, _, root = cw.call("DescribeAlarms", **{"AlarmNames.member.1": name})
    t.check("the same state again: updated, not transitioned",
            root.findtext(".//%sStateTransitionedTimestamp" % NS) == trans and
            root.findtext(".//%sStateReason" % NS) == "still failing",
            ET.tostring(root)[:300])
    _, _, root = cw.call("DescribeAlarmHistory", AlarmName=name,
                         HistoryItemType="StateUpdate")
    t.equal("...and no second history item",
            len(list(root.iter(NS + "HistorySummary"))), count)
    t.equal("SetAlarmState on a missing alarm", cw.error(
        "SetAlarmState", AlarmName="nope", StateValue="OK",
        StateReason="x"), (404, "ResourceNotFound", "Alarm nope not found"))
    t.equal("SetAlarmState with a bad state", cw.error(
        "SetAlarmState", AlarmName=name, StateValue="FIRING",
        StateReason="x")[:2], (400, "ValidationError"))
    t.equal("SetAlarmState with a 1024-char reason", cw.error(
        "SetAlarmState", AlarmName=name, StateValue="OK",
        StateReason="x" * 1024)[:2], (400, "ValidationError"))
    t.equal("SetAlarmState with bad StateReasonData", cw.error(
        "SetAlarmState", AlarmName=name, StateValue="OK", StateReason="x",
        StateReasonData="{not json")[:2], (400, "InvalidFormat"))
    cw.call("SetAlarmState", AlarmName=name, StateValue="OK",
            StateReason="raw \x1b[2J escape")
    status, data, root = cw.call("DescribeAlarms",
                                 **{"AlarmNames.member.1": name})
    t.check("a C0 control in a reason comes back as U+FFFD (XML 1.0 "
            "cannot carry it)", status == 200 and
            root.findtext(".//%sStateReason" % NS) == "raw \ufffd[2J escape",
            data[:300])
    r = fa.admin("POST", "cloudwatch/state", {
        "account": "alpha", "alarm": name, "state": "INSUFFICIENT_DATA",
        "reason": "knob"})
    _, _, root = cw.call("DescribeAlarms", **{"AlarmNames.member.1": name})
    t.check("the state knob does what SetAlarmState does",
            r["state"] == "INSUFFICIENT_DATA" and
            root.findtext(".//%sStateValue" % NS) == "INSUFFICIENT_DATA", r)


def check_metrics(t, cw):
    now = time.time()
    end = now - now % 3600     # whole hours: the same numbers every call
    start = end - 24 * 3600
    status, data, root = gmd(cw, [
        query(1, "inv", RECON), query(2, "err", RECON, "Errors"),
        query(3, "idle", IDLE), query(4, "p99", RECON, "Duration", "p99"),
        query(5, "p50", RECON, "Duration", "p50"),
        query(6, "dmax", RECON, "Duration", "Maximum"),
        query(7, "n", RECON, "Duration", "SampleCount"),
        query(8, "avg", RECON, "Duration", "Average"),
        query(9, "dmin", RECON, "Duration", "Minimum")], start, end)
    res = results(root)
    t.check("GetMetricData: 200, results in query order, Messages",
            status == 200 and list(res) == ["inv", "err", "idle", "p99",
                                            "p50", "dmax", "n", "avg",
                                            "dmin"] and
            b"<Messages>" in data and b"<Label>Invocations</Label>" in data,
            data[:500])
    inv, err = res["inv"], res["err"]
    t.check("24 hourly sums, newest first, on the hour",
            len(inv["v"]) == 24 and inv["t"] == sorted(inv["t"],
                                                       reverse=True) and
            all(x.endswith(":00:00Z") for x in inv["t"]) and
            inv["status"] == "Complete", inv["t"][:3])
    t.check("the failing function errs every hour, 20-40% of invocations",
            len(err["v"]) == 24 and all(0.2 * i <= e <= 0.45 * i + 1 for
                                        e, i in zip(err["v"], inv["v"])),
            list(zip(err["v"], inv["v"]))[:4])
    t.equal("the idle function: no datapoints at all (gaps)",
            (res["idle"]["t"], res["idle"]["v"], res["idle"]["status"]),
            ([], [], "Complete"))
    ok = all(res["dmin"]["v"][i] <= res["p50"]["v"][i] <=
             res["p99"]["v"][i] <= res["dmax"]["v"][i] and
             res["dmin"]["v"][i] <= res["avg"]["v"][i] <= res["dmax"]["v"][i]
             for i in range(24))
    t.check("Duration: Minimum <= p50 <= p99 <= Maximum, Average between",
            ok, {k: res[k]["v"][:2] for k in ("dmin", "p50", "p99", "dmax")})
    t.equal("Duration SampleCount equals Invocations", res["n"]["v"],
            inv["v"])
    _, _, root2 = gmd(cw, [query(1, "inv", RECON)], start, end)
    t.equal("the same numbers on a second call (deterministic)",
            results(root2)["inv"]["v"], inv["v"])
    _, _, root = gmd(cw, [query(1, "inv", RECON)], start, end,
                     ScanBy="TimestampAscending")
    t.equal("ScanBy TimestampAscending", results(root)["inv"]["t"],
            inv["t"][::-1])
    # Paging by MaxDatapoints: 3 queries x 24 points, 10 a page.
    got, token, pages = {}, None, 0
    while pages < 20:
        extra = {"MaxDatapoints": "10"}
        if token:
            extra["NextToken"] = token
        _, _, root = gmd(cw, [query(1, "a", RECON),
                              query(2, "b", RECON, "Errors"),
                              query(3, "c", RECON, "Throttles")],
                         start, end, **extra)
        pages += 1
        for qid, r in results(root).items():
            assert len(r["v"]) <= 10
            got.setdefault(qid, []).extend(r["v"])
            if r["status"] != "Complete":
                t.check("a cut result says PartialData",
                        r["status"] == "PartialData", r["status"])
        token = root.findtext(".//%sNextToken" % NS)
        if not token:
            break
    t.check("MaxDatapoints 10: 8 pages, every point once",
            pages == 8 and got["a"] == inv["v"] and got["b"] == err["v"] and
            len(got["c"]) == 24, (pages, {k: len(v) for k, v in
                                          got.items()}))
    # 100 functions x 2 metrics in one call: the console's batch.
    many = []
    for i in range(250):
        many.append(query(2 * i + 1, "i%d" % i, RECON))
        many.append(query(2 * i + 2, "e%d" % i, RECON, "Errors"))
    t0 = time.time()
    status, _, root = gmd(cw, many, start, end)
    took = time.time() - t0
    t.check("500 queries in one call", status == 200 and
            len(results(root)) == 500, status)
    print("     (500 queries x 24 h took %.2f s)" % took)
    status, code, msg = cw.error("GetMetricData", StartTime=iso(start),
                                 EndTime=iso(end), **{
                                     k: v for q in many + [query(
                                         501, "x", RECON)]
                                     for k, v in q.items()})
    t.check("501 queries: ValidationError", (status, code) == (
        400, "ValidationError") and "500" in msg, (status, code, msg))


def check_metric_errors(t, cw):
    now = time.time()
    s, e = now - 3600, now

    def err(queries, **params):
        p = {"StartTime": iso(s), "EndTime": iso(e)}
        for q in queries:
            p.update(q)
        p.update(params)
        return cw.error("GetMetricData", **p)
    for label, queries, params, want in (
            ("bad stat", [query(1, "a", RECON, stat="p1000")], {},
             "ValidationError"),
            ("stat Median", [query(1, "a", RECON, stat="Median")], {},
             "ValidationError"),
            ("Id starting upper-case", [query(1, "Abc", RECON)], {},
             "ValidationError"),
            ("duplicate Id", [query(1, "a", RECON), query(2, "a", RECON)],
             {}, "ValidationError"),
            ("Period 45", [query(1, "a", RECON, period=45)], {},
             "ValidationError"),
            ("bad token", [query(1, "a", RECON)], {"NextToken": "zzz"},
             "InvalidNextToken"),
            ("token past the queries", [query(1, "a", RECON)],
             {"NextToken": "ZmFrZWF3cy1jdzo1OjA="}, "InvalidNextToken"),
            ("bad ScanBy", [query(1, "a", RECON)], {"ScanBy": "Sideways"},
             "ValidationError"),
            ("MaxDatapoints 0", [query(1, "a", RECON)],
             {"MaxDatapoints": "0"}, "ValidationError"),
            ("StartTime after EndTime", [query(1, "a", RECON)],
             {"StartTime": iso(e), "EndTime": iso(s)}, "ValidationError"),
            ("no queries", [], {}, "ValidationError"),
            ("bad StartTime", [query(1, "a", RECON)],
             {"StartTime": "yesterday"}, "InvalidParameterValue"),
            ("Expression (not implemented)",
             [{"MetricDataQueries.member.1.Id": "m",
               "MetricDataQueries.member.1.Expression": "SUM(METRICS())"}],
             {}, "ValidationError")):
        status, code, msg = err(queries, **params)
        t.check("GetMetricData %s: 400 %s" % (label, want),
                (status, code) == (400, want), (status, code, msg))
    status, code, msg = err([query(1, "a", RECON, stat="p1000")])
    t.equal("the bad stat's message names it and where",
            msg, "The value p1000 for parameter MetricDataQueries.member.1."
            "MetricStat.Stat is not a valid statistic.")
    p = dict(query(1, "a", "datalake-alpha-gen-0001"), StartTime=iso(s),
             EndTime=iso(e))
    _, _, root = cw.call("GetMetricData", **p)
    gen = results(root)["a"]
    p = dict(query(1, "a", "no-such-function"), StartTime=iso(s),
             EndTime=iso(e))
    _, _, root = cw.call("GetMetricData", **p)
    t.check("--extra-functions' functions have metrics; unknown ones none",
            (gen["v"] != [] or gen["status"] == "Complete") and
            results(root)["a"]["v"] == [], (gen, results(root)))


def check_put(t, cw, fa):
    now = time.time()
    base = now - now % 60 - 600
    params = {"Namespace": "Datalake/Freshness"}
    for i, v in enumerate((10.0, 30.0, 20.0)):
        p = "MetricData.member.%d." % (i + 1)
        params.update({p + "MetricName": "MinutesSinceLastObject",
                       p + "Dimensions.member.1.Name": "Source",
                       p + "Dimensions.member.1.Value": "mambu",
                       p + "Timestamp": iso(base + 60 * i),
                       p + "Value": str(v), p + "Unit": "None"})
    p = "MetricData.member.4."
    params.update({p + "MetricName": "MinutesSinceLastObject",
                   p + "Dimensions.member.1.Name": "Source",
                   p + "Dimensions.member.1.Value": "mambu",
                   p + "Timestamp": iso(base + 300),
                   p + "Values.member.1": "5", p + "Values.member.2": "7",
                   p + "Counts.member.1": "1", p + "Counts.member.2": "3"})
    status, data, _ = cw.call("PutMetricData", **params)
    t.check("PutMetricData: 200 without a Result element",
            status == 200 and b"<PutMetricDataResponse" in data and
            b"Result" not in data, data)
    q = query(1, "f", None, "MinutesSinceLastObject", "Sum", 60,
              "Datalake/Freshness")
    q["MetricDataQueries.member.1.MetricStat.Metric.Dimensions.member.1."
      "Name"] = "Source"
    q["MetricDataQueries.member.1.MetricStat.Metric.Dimensions.member.1."
      "Value"] = "mambu"
    _, _, root = gmd(cw, [q], base - 60, now, ScanBy="TimestampAscending")
    got = results(root)["f"]
    t.equal("...then GetMetricData reads them back per minute",
            got["v"], [10.0, 30.0, 20.0, 26.0])
    q["MetricDataQueries.member.1.MetricStat.Period"] = "600"
    q["MetricDataQueries.member.1.MetricStat.Stat"] = "SampleCount"
    _, _, root = gmd(cw, [q], base, base + 600)
    t.equal("SampleCount counts Counts", results(root)["f"]["v"], [7.0])
    for label, extra, want in (
            ("an AWS/ namespace", {"Namespace": "AWS/Lambda"},
             "InvalidParameterValue"),
            ("NaN", {"MetricData.member.1.Value": "NaN"},
             "InvalidParameterValue"),
            ("Value and Values", {"MetricData.member.1.Values.member.1": "1"},
             "InvalidParameterCombination"),
            ("a timestamp 3 hours ahead",
             {"MetricData.member.1.Timestamp": iso(now + 3 * 3600)},
             "InvalidParameterValue")):
        p = {"Namespace": "Datalake/Test",
             "MetricData.member.1.MetricName": "m",
             "MetricData.member.1.Value": "1"}
        p.update(extra)
        t.equal("PutMetricData with %s" % label, cw.error(
            "PutMetricData", **p)[:2], (400, want))
    # The knob may write AWS/Lambda: a spike for one function.
    fn = "datalake-alpha-salesforce-cases-to-s3-raw"
    t0 = now - now % 60 - 120
    _, _, root = gmd(cw, [query(1, "e", fn, "Errors", "Sum", 60)], t0,
                     t0 + 60)
    before = sum(results(root)["e"]["v"])
    r = fa.admin("POST", "cloudwatch/metrics", {
        "account": "alpha", "namespace": "AWS/Lambda", "metric": "Errors",
        "dimensions": {"FunctionName": fn},
        "points": [{"timestamp": t0 + 5, "value": 42}]})
    _, _, root = gmd(cw, [query(1, "e", fn, "Errors", "Sum", 60)], t0,
                     t0 + 60)
    t.check("the metrics knob adds to AWS/Lambda's synthetic data",
            r["added"] == 1 and sum(results(root)["e"]["v"]) == before + 42,
            (before, results(root)))


def check_knobs(t, cw, fa):
    r = fa.admin("POST", "cloudwatch/alarms", {"account": "alpha",
                                               "page_size_cap": 4})
    _, _, root = cw.call("DescribeAlarms", MaxRecords="100")
    t.check("page_size_cap 4: pages of 4 with a NextToken",
            r["page_size_cap"] == 4 and len(names(root, "MetricAlarms")) == 4
            and root.findtext(".//%sNextToken" % NS), r)
    t.equal("...and paging still sees all 25", len(all_alarms(cw)), 25)
    r = fa.admin("POST", "cloudwatch/alarms", {"account": "alpha",
                                               "page_size_cap": None,
                                               "extra": 1000})
    t.equal("extra 1000: 1000 more alarms", (r["added"], r["alarms"]),
            (1000, 1026))
    every = all_alarms(cw, MaxRecords="100")
    t.equal("DescribeAlarms pages through 1,025 metric alarms",
            (len(every), len(set(every))), (1025, 1025))
    states = all_alarms(cw, StateValue="ALARM")
    t.equal("every 50th bench alarm in ALARM", len(states), 2 + 20)
    r = fa.admin("POST", "cloudwatch/alarms", {
        "account": "sandbox", "functions": ["datalake-sandbox-new-fn"]})
    t.equal("functions: dlc new's three alarms for a new function",
            r["added"], 3)
    r = fa.admin("POST", "cloudwatch/alarms", {
        "account": "sandbox", "functions": "all"})
    t.equal("functions all: three for each --extra-functions function, "
            "none where they exist", r["added"], 3 * 3)
    status, r = fa.admin_raw("POST", "cloudwatch/alarms", {"bogus": 1})
    t.check("an unknown knob is refused by name",
            status == 400 and "bogus" in r["error"], r)
    status, r = fa.admin_raw("POST", "cloudwatch/state", {
        "alarm": "nope", "state": "OK"})
    t.check("the state knob on a missing alarm: 400 naming it",
            status == 400 and "nope" in r["error"], r)
    fa.admin("POST", "reset")
    t.equal("reset: back to the seed", len(all_alarms(cw)), 25)


def main():
    t = Checks("test_cloudwatch")
    with FakeAws("--extra-functions", "3") as fa:
        c = Client(fa)
        cw, sb = Cw(c), Cw(c, SANDBOX)
        check_seed(t, cw, sb)
        check_describe_errors(t, cw)
        check_history(t, cw)
        check_metrics(t, cw)
        check_metric_errors(t, cw)
        check_put(t, cw, fa)
        check_set_state(t, cw, fa)
        check_knobs(t, cw, fa)
    return t.finish()


if __name__ == "__main__":
    sys.exit(main())
