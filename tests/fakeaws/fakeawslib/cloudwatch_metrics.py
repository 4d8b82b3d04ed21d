"""CloudWatch metrics: GetMetricData (MetricStat queries) and PutMetricData.

Data: the synthetic AWS/Lambda metrics (cloudwatch_synth) plus whatever
PutMetricData (or the admin knob, which may write AWS/ namespaces) added.
Metric math (Expression) and Metrics Insights are not implemented and are
refused by name rather than answered wrongly.
"""

import math
import re
import time
from datetime import datetime, timezone

from . import cloudwatch_seed, cloudwatch_synth
from .cloudwatch_wire import (NS, empty_response, nested, result,
                              timestamp, token, untoken, validation)
from .errors import AwsError, query_response

MAX_QUERIES = 500
MAX_DATAPOINTS = 100800
MAX_PUT = 1000
ID = re.compile(r"^[a-z][a-zA-Z0-9_]*$")
PERCENTILE = re.compile(r"^p(\d{1,2}(\.\d{1,10})?|100)$")
STATS = ("SampleCount", "Average", "Sum", "Minimum", "Maximum")


def _bad(message, code="ValidationError"):
    return AwsError(400, code, message)


def _stat_ok(stat):
    return stat in STATS or bool(PERCENTILE.match(stat or ""))


def _dims(raw):
    return tuple(sorted((d.get("Name", ""), d.get("Value", ""))
                        for d in raw or []))


def _query(q, i):
    """One MetricDataQuery checked: (id, label, ns, metric, dims, period,
    stat, return_data)."""
    where = "MetricDataQueries.member.%d" % i
    qid = q.get("Id")
    if not qid:
        raise validation("metricDataQueries.%d.member.id" % i, "null",
                         "Member must not be null")
    if not ID.match(qid):
        raise _bad("The value %s for parameter %s.Id is not valid: it must "
                   "start with a lowercase letter and contain only letters, "
                   "numbers and underscores." % (qid, where))
    if "Expression" in q:
        raise _bad("fakeaws does not implement metric math or Metrics "
                   "Insights (%s.Expression)" % where)
    stat = q.get("MetricStat")
    if not isinstance(stat, dict):
        raise _bad("The parameter %s.MetricStat is required." % where,
                   "MissingParameter")
    metric = stat.get("Metric") or {}
    period = stat.get("Period", q.get("Period"))
    if period is None or not period.isdigit() or int(period) < 1:
        raise _bad("The parameter %s.MetricStat.Period must be a positive "
                   "integer." % where)
    period = int(period)
    if period not in (1, 5, 10, 30) and period % 60:
        raise _bad("The parameter %s.MetricStat.Period must be 1, 5, 10, "
                   "30, or a multiple of 60." % where)
    name = stat.get("Stat")
    if not _stat_ok(name):
        raise _bad("The value %s for parameter %s.MetricStat.Stat is not a "
                   "valid statistic." % (name, where))
    dims = metric.get("Dimensions") or []
    if len(dims) > 30:
        raise _bad("The collection %s.MetricStat.Metric.Dimensions must not "
                   "have a size greater than 30." % where)
    return (qid, q.get("Label") or metric.get("MetricName", ""),
            metric.get("Namespace", ""), metric.get("MetricName", ""),
            _dims(dims), period, name,
            q.get("ReturnData", "true") != "false")


def _compute(samples, stat):
    """One statistic over [(value, count)] and statistic sets
    [(None, (count, sum, min, max))]."""
    count = sum(c if v is not None else c[0] for v, c in samples)
    if count <= 0:
        return None
    if stat == "SampleCount":
        return float(count)
    total = sum(v * c if v is not None else c[1] for v, c in samples)
    if stat == "Sum":
        return float(total)
    if stat == "Average":
        return total / count
    if stat == "Minimum":
        return float(min(v if v is not None else c[2] for v, c in samples))
    if stat == "Maximum":
        return float(max(v if v is not None else c[3] for v, c in samples))
    # A percentile needs raw values: statistic sets carry none.
    raw = sorted((v, c) for v, c in samples if v is not None)
    if not raw:
        return None
    want = float(stat[1:]) / 100 * sum(c for _, c in raw)
    seen = 0
    for v, c in raw:
        seen += c
        if seen >= want:
            return float(v)
    return float(raw[-1][0])


def _points(acct, q, start, end, now):
    """[(t, value)] oldest first for one checked query."""
    _, _, ns, metric, dims, period, stat, _ = q
    st = cloudwatch_seed.store(acct)
    rows = cloudwatch_synth.series(acct, st.metric_profiles, ns, metric,
                                   list(dims), start, end, now, period)
    for t, samples, sset in st.put.get((ns, metric, dims), []):
        if start <= t < end:
            rows.append((t, samples if sset is None else [(None, sset)]))
    buckets = {}
    for t, samples in rows:
        buckets.setdefault(int(start + (t - start) // period * period),
                           []).extend(samples)
    out = []
    for b in sorted(buckets):
        v = _compute(buckets[b], stat)
        if v is not None:
            out.append((b, v))
    return out


def _round_start(start, period, now):
    """CloudWatch rounds StartTime down (GetMetricData's documentation)."""
    age = now - start
    step = 60 if age < 15 * 86400 else 300 if age < 63 * 86400 else 3600
    if period < 60:
        step = period
    return start - start % step


def _iso(t):
    return datetime.fromtimestamp(t, timezone.utc).strftime(
        "%Y-%m-%dT%H:%M:%SZ")


def get_metric_data(ctx, params):
    queries = nested(params, "MetricDataQueries")
    if not queries:
        raise validation("metricDataQueries", "null",
                         "Member must not be null")
    if len(queries) > MAX_QUERIES:
        raise _bad("The collection MetricDataQueries must not have a size "
                   "greater than %d." % MAX_QUERIES)
    start = timestamp(params, "StartTime", True)
    end = timestamp(params, "EndTime", True)
    if start >= end:
        raise _bad("The parameter StartTime must be less than the "
                   "parameter EndTime.")
    scan = params.get("ScanBy", "TimestampDescending")
    if scan not in ("TimestampDescending", "TimestampAscending"):
        raise validation("scanBy", scan, "Member must satisfy enum value "
                         "set: [TimestampDescending, TimestampAscending]")
    raw = params.get("MaxDatapoints", str(MAX_DATAPOINTS))
    if not raw.isdigit() or int(raw) < 1:
        raise _bad("The parameter MaxDatapoints must be a positive "
                   "integer.")
    budget = int(raw)
    checked = [_query(q, i + 1) for i, q in enumerate(queries)]
    ids = [q[0] for q in checked]
    if len(set(ids)) != len(ids):
        raise _bad("The values for parameter id in MetricDataQueries are "
                   "not unique.")
    first_q, first_p = untoken(params, 2)
    if first_q >= len(checked):
        raise AwsError(400, "InvalidNextToken", "The service returned an "
                       "invalid next token.")
    now = time.time()
    with ctx.state.lock:
        acct = ctx.caller.account
        results, next_at = [], None
        for qi in range(first_q, len(checked)):
            q = checked[qi]
            if not q[7]:
                continue
            pts = _points(acct, q, _round_start(start, q[5], now), end, now)
            if scan == "TimestampDescending":
                pts.reverse()
            skip = first_p if qi == first_q else 0
            pts = pts[skip:]
            status = "Complete"
            if len(pts) > budget:
                pts, status, next_at = pts[:budget], "PartialData", (
                    qi, skip + budget)
            budget -= len(pts)
            results.append({"Timestamps": [_iso(t) for t, _ in pts],
                            "Label": q[1],
                            "Values": [v for _, v in pts],
                            "Id": q[0], "StatusCode": status})
            if next_at:
                break
            if budget == 0 and qi + 1 < len(checked):
                next_at = (qi + 1, 0)
                break
    body = {"MetricDataResults": results}
    if next_at:
        body["NextToken"] = token(*next_at)
    body["Messages"] = []
    return query_response("GetMetricData", result(body), ctx.request_id,
                          NS)


def _number(raw, where):
    try:
        v = float(raw)
    except (TypeError, ValueError):
        raise _bad("The value %s for parameter %s is invalid." % (raw, where),
                   "InvalidParameterValue") from None
    if math.isnan(v) or math.isinf(v):
        raise _bad("The value %s for parameter %s is invalid." % (raw, where),
                   "InvalidParameterValue")
    return v


def check_datum(namespace, d, where, now):
    """One MetricDatum (a nested dict) as (key, (t, samples, set))."""
    name = d.get("MetricName")
    if not name:
        raise _bad("The parameter %s.MetricName is required." % where,
                   "MissingParameter")
    when = now
    if d.get("Timestamp"):
        when = timestamp(d, "Timestamp")
        if when > now + 7200:
            raise _bad("The parameter %s.Timestamp must specify a time no "
                       "more than two hours in the future." % where,
                       "InvalidParameterValue")
        if when < now - 14 * 86400:
            raise _bad("The parameter %s.Timestamp must specify a time "
                       "within the past two weeks." % where,
                       "InvalidParameterValue")
    has = [k for k in ("Value", "Values", "StatisticValues") if k in d]
    if len(has) > 1:
        raise _bad("The parameters %s.%s and %s.%s are mutually exclusive "
                   "and you have specified both." % (where, has[0], where,
                                                    has[1]),
                   "InvalidParameterCombination")
    samples, sset = [], None
    if "Value" in d:
        samples = [(_number(d["Value"], where + ".Value"), 1)]
    elif "Values" in d:
        values = d["Values"] if isinstance(d["Values"], list) else []
        counts = d.get("Counts") or [1] * len(values)
        if len(counts) != len(values):
            raise _bad("The parameters %s.Values and %s.Counts must be of "
                       "the same size." % (where, where),
                       "InvalidParameterValue")
        samples = [(_number(v, where + ".Values"),
                    _number(c, where + ".Counts"))
                   for v, c in zip(values, counts)]
    elif "StatisticValues" in d:
        s = d["StatisticValues"]
        sset = tuple(_number(s.get(k), "%s.StatisticValues.%s" % (where, k))
                     for k in ("SampleCount", "Sum", "Minimum", "Maximum"))
    else:
        raise _bad("The parameter %s.Value is required." % where,
                   "MissingParameter")
    return (namespace, name, _dims(d.get("Dimensions"))), (when, samples,
                                                           sset)


def store_data(acct, checked):
    put = cloudwatch_seed.store(acct).put
    for key, entry in checked:
        put.setdefault(key, []).append(entry)


def put_metric_data(ctx, params):
    namespace = params.get("Namespace")
    if not namespace:
        raise validation("namespace", "null", "Member must not be null")
    if namespace.startswith("AWS/"):
        raise _bad("The value %s for parameter Namespace is invalid."
                   % namespace, "InvalidParameterValue")
    data = nested(params, "MetricData")
    if not data:
        raise validation("metricData", "null", "Member must not be null")
    if len(data) > MAX_PUT:
        raise _bad("The collection MetricData must not have a size greater "
                   "than %d." % MAX_PUT, "InvalidParameterValue")
    now = time.time()
    # All or nothing, as the service does: check every datum first.
    checked = [check_datum(namespace, d, "MetricData.member.%d" % (i + 1),
                           now) for i, d in enumerate(data)]
    with ctx.state.lock:
        store_data(ctx.caller.account, checked)
    return empty_response("PutMetricData", ctx.request_id)
