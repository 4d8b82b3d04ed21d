"""Admin knobs for CloudWatch (unsigned, under /_fakeaws/cloudwatch/):

POST /_fakeaws/cloudwatch/alarms   {"account": "alpha",
    "page_size_cap": 5 | null,      DescribeAlarms pages hold at most 5
    "extra": 1000,                  1000 more alarms (datalake-ENV-bench-*)
    "functions": [NAME...] | "all"} the three dlc new alarms for each
POST /_fakeaws/cloudwatch/state    {"account", "alarm", "state", "reason",
    "reason_data"}                  as SetAlarmState (history included)
POST /_fakeaws/cloudwatch/metrics  {"account", "namespace", "metric",
    "dimensions": {"FunctionName": "f"}, "points": [{"timestamp": epoch s,
    "value": v} | {"timestamp", "values": [..], "counts": [..]}]}
                                    datapoints in any namespace, AWS/Lambda
                                    included (which PutMetricData refuses)
"""

import json
import time

from . import cloudwatch, cloudwatch_metrics, cloudwatch_seed
from .cloudwatch_seed import iso_ms
from .errors import AwsError, json_response


def handle(server, ctx, account_of):
    try:
        doc = json.loads(ctx.body or b"{}")
        if not isinstance(doc, dict):
            raise ValueError("body must be a JSON object")
        acct = server.state.accounts[account_of(server, doc)]
        what = ctx.path.rstrip("/").rsplit("/", 1)[-1]
        if ctx.method != "POST" or what not in KNOBS:
            return json_response({"error": "no admin endpoint %s %s"
                                  % (ctx.method, ctx.path)}, 404)
        with server.state.lock:
            return json_response(KNOBS[what](acct, doc))
    except AwsError as e:
        return json_response({"error": "%s: %s" % (e.code, e.message)}, 400)
    except (ValueError, KeyError, TypeError) as e:
        return json_response({"error": "bad cloudwatch knob body: %s" % e},
                             400)


def _alarms(acct, doc):
    st = cloudwatch_seed.store(acct)
    unknown = set(doc) - {"account", "page_size_cap", "extra", "functions"}
    if unknown:
        raise ValueError("unknown knob %s" % ", ".join(sorted(unknown)))
    if "page_size_cap" in doc:
        cap = doc["page_size_cap"]
        if cap is not None and (not isinstance(cap, int) or cap < 1):
            raise ValueError("page_size_cap must be a positive integer "
                             "or null")
        st.page_cap = cap
    added = 0
    if "extra" in doc:
        n = doc["extra"]
        if not isinstance(n, int) or not 0 <= n <= 100000:
            raise ValueError("extra must be an integer 0..100000")
        added += cloudwatch_seed.add_alarms(
            acct, cloudwatch_seed.extra_alarms(acct, n))
    if "functions" in doc:
        names = doc["functions"]
        if names == "all":
            names = sorted(acct.functions)
        if not isinstance(names, list):
            raise ValueError("functions must be a list of names or \"all\"")
        added += cloudwatch_seed.add_function_alarms(acct, names)
    return {"account": acct.environment, "added": added,
            "alarms": len(acct.alarms), "page_size_cap": st.page_cap}


def _state(acct, doc):
    a = cloudwatch.set_state(acct, doc["alarm"], doc.get("state"),
                             doc.get("reason", "Set by fakeaws admin"),
                             doc.get("reason_data"))
    return {"alarm": a["AlarmName"], "state": a["StateValue"],
            "updated": a["StateUpdatedTimestamp"],
            "transitioned": a["StateTransitionedTimestamp"]}


def _metrics(acct, doc):
    dims = [{"Name": k, "Value": v}
            for k, v in (doc.get("dimensions") or {}).items()]
    now = time.time()
    checked = []
    for i, p in enumerate(doc["points"]):
        d = {"MetricName": doc["metric"], "Dimensions": dims,
             "Timestamp": iso_ms(float(p.get("timestamp", now)))}
        if "values" in p:
            d["Values"] = [str(v) for v in p["values"]]
            if "counts" in p:
                d["Counts"] = [str(c) for c in p["counts"]]
        else:
            d["Value"] = str(p["value"])
        checked.append(cloudwatch_metrics.check_datum(
            doc["namespace"], d, "points[%d]" % i, now))
    cloudwatch_metrics.store_data(acct, checked)
    return {"namespace": doc["namespace"], "metric": doc["metric"],
            "added": len(checked)}


KNOBS = {"alarms": _alarms, "state": _state, "metrics": _metrics}
