#!/usr/bin/env python3
"""The functions view's health columns, for test-console-health.sh.

  healthcheck.py expect LS_JSON ALARMS_JSON
      what the ALARMS column must say for each row ("NAME<TAB>CELL"), from
      `dlc ls -o json` (the row names) and `aws cloudwatch describe-alarms`
      (the alarms), matched to functions as dlc(1) documents it: the
      FunctionName dimension (of the alarm, else of its metric queries),
      else the longest function name the alarm's name holds between word
      boundaries (start, end, or one of - _ . /).
  healthcheck.py cells SCREEN TITLE
      the cells of column TITLE on a captured screen ("NAME<TAB>CELL"),
      found under the column titles' positions.
  healthcheck.py window NOW
      the console's 24 h grid for a time NOW (epoch seconds): "START
      START-ISO END-ISO",
      the hour in progress the last of 24 (fn-metrics.h).
  healthcheck.py queries LS_JSON
      GetMetricData queries (Invocations and Errors, Sum, 1 h) for every
      function, as the aws CLI takes them.
  healthcheck.py spark SCREEN LS_JSON CLI_JSON START ASCII
      checks the INVOCATIONS and ERRORS cells (two hours each) against the
      aws CLI's answer for the same grid: a blank exactly where the CLI has
      no datapoint in both hours, the highest level on the cell of the
      finished hour with the largest value (when this hour's, still
      growing, was below it then),
      and a total between the finished hours' and the CLI's; prints "ok"
      or what differs.
"""
import json
import sys

SEPARATORS = "-_./"


def function_of(alarm, names):
    queries = [q.get("MetricStat", {}).get("Metric", {}) for q in alarm.get("Metrics", [])]
    for dims in [alarm.get("Dimensions", [])] + [q.get("Dimensions", []) for q in queries]:
        for d in dims:
            if d["Name"] == "FunctionName":
                return d["Value"]
    name, best = alarm["AlarmName"], None
    for fn in names:
        at = name.find(fn)
        while at >= 0:
            end = at + len(fn)
            if (at == 0 or name[at - 1] in SEPARATORS) and \
                    (end == len(name) or name[end] in SEPARATORS):
                if best is None or len(fn) > len(best):
                    best = fn
                break
            at = name.find(fn, at + 1)
    return best


def cell(states):
    alarm, insuff = states.count("ALARM"), states.count("INSUFFICIENT_DATA")
    if alarm and insuff:
        return "%d ALARM %d INSUFF" % (alarm, insuff)
    if alarm:
        return "%d ALARM" % alarm
    if insuff:
        return "%d INSUFF" % insuff
    return "ok" if states else "-"


def expect(ls_path, alarms_path):
    fns = json.load(open(ls_path))["Functions"]
    doc = json.load(open(alarms_path))
    names = [f["FunctionName"] for f in fns]
    states = {n: [] for n in names}
    for a in doc.get("MetricAlarms", []) + doc.get("CompositeAlarms", []):
        fn = function_of(a, names)
        if fn in states:
            states[fn].append(a["StateValue"])
    for f in fns:
        print("%s\t%s" % (f["LocalFunction"] or f["FunctionName"], cell(states[f["FunctionName"]])))


def cells(screen_path, title):
    lines = open(screen_path, encoding="utf-8").read().split("\n")
    for i, line in enumerate(lines):
        if line.startswith("FUNCTION"):
            break
    else:
        sys.exit("no column titles on the screen")
    header = lines[i]
    starts = [j for j in range(len(header)) if header[j] != " " and (j == 0 or header[j - 1] == " ")]
    at = header.find(title)
    if at not in starts:
        sys.exit("no column %s on the screen" % title)
    end = next((s for s in starts if s > at), None)
    for row in lines[i + 1:]:
        if not row.strip():
            break
        # Only trailing blanks go: a sparkline's first hours may be gaps.
        print("%s\t%s" % (row[:starts[1]].strip() if len(starts) > 1 else row.strip(),
                          row[at:end].rstrip()))


HOURS = 24
CELLS = 12      # two hours a cell
LEVELS = {False: "\u2581\u2582\u2583\u2584\u2585\u2586\u2587\u2588", True: "_.:-=+*#"}
METRICS = (("INVOCATIONS", "Invocations", "inv"), ("ERRORS", "Errors", "err"))


def window(now):
    import time
    end = (now // 3600 + (now % 3600 != 0)) * 3600
    iso = lambda t: time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))
    print(end - HOURS * 3600, iso(end - HOURS * 3600), iso(end))


def queries(ls_path):
    fns = json.load(open(ls_path))["Functions"]
    out = []
    for i, f in enumerate(fns):
        for _, metric, key in METRICS:
            out.append({"Id": "f%d_%s" % (i, key), "MetricStat": {
                "Metric": {"Namespace": "AWS/Lambda", "MetricName": metric,
                           "Dimensions": [{"Name": "FunctionName", "Value": f["FunctionName"]}]},
                "Period": 3600, "Stat": "Sum"}})
    print(json.dumps(out))


def uncount(text):
    """A total as the console writes it ("4512", "12k", "1.2M"), and how
    far its rounding may be off."""
    scale = {"k": 1e3, "M": 1e6, "G": 1e9}.get(text[-1:], 1)
    digits = text[:-1] if scale != 1 else text
    try:
        x = float(digits)
    except ValueError:
        return None, 0
    step = 0.1 if "." in digits else 1
    return x * scale, step * scale / 2


def parse_time(s):
    from datetime import datetime
    return int(datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp())


def spark(screen_path, ls_path, cli_path, start, ascii_):
    import subprocess
    fns = json.load(open(ls_path))["Functions"]
    results = {r["Id"]: r for r in json.load(open(cli_path))["MetricDataResults"]}
    levels = LEVELS[ascii_]
    bad = []
    for title, _, key in METRICS:
        shown = {}
        out = subprocess.run([sys.executable, __file__, "cells", screen_path, title],
                             capture_output=True, text=True, check=True).stdout
        for line in out.splitlines():
            name, _, c = line.partition("\t")
            shown[name] = c
        for i, f in enumerate(fns):
            name = f["LocalFunction"] or f["FunctionName"]
            r = results["f%d_%s" % (i, key)]
            v = [None] * HOURS
            for t, x in zip(r["Timestamps"], r["Values"]):
                slot = (parse_time(t) - start) // 3600
                if 0 <= slot < HOURS:
                    v[slot] = x
            c = shown.get(name)
            if c is None or len(c) < CELLS + 2:
                bad.append("%s %s: no sparkline in %r" % (name, title, c))
                continue
            line, total = c[:CELLS], c[CELLS:].strip()
            what = "%s %s %r" % (name, title, c)
            # The last cell holds the hour in progress, which moved since.
            for k in range(CELLS - 1):
                gap = v[2 * k] is None and v[2 * k + 1] is None
                if gap != (line[k] == " "):
                    bad.append("%s: cell %d is %r, the CLI has %r" % (what, k, line[k], v[2 * k:2 * k + 2]))
                elif line[k] != " " and line[k] not in levels:
                    bad.append("%s: cell %d is %r, not a level" % (what, k, line[k]))
            done = [x for x in v[:HOURS - 1] if x is not None]
            cell = [max([x for x in v[2 * k:2 * k + 2] if x is not None] or [None]) for k in range(CELLS)]
            # A cell shows the larger of its hours; the last one's second
            # hour only grows, so below the largest at the CLI's time, it
            # was below then.
            seen = [x for x in cell[:CELLS - 1] if x is not None]
            if seen and (cell[CELLS - 1] or 0) < max(seen) and max(seen) > min(seen):
                top = cell.index(max(seen))
                if line[top] != levels[-1]:
                    bad.append("%s: the largest cell (%d) is %r" % (what, top, line[top]))
            lo, hi = sum(done), sum(done) + (v[HOURS - 1] or 0)
            x, tol = uncount(total)
            if x is None or not lo - tol <= x <= hi + tol:
                bad.append("%s: total %s, the CLI says %s to %s" % (what, total, lo, hi))
    print("\n".join(bad) if bad else "ok")


def main(argv):
    if len(argv) == 4 and argv[1] == "expect":
        expect(argv[2], argv[3])
    elif len(argv) == 4 and argv[1] == "cells":
        cells(argv[2], argv[3])
    elif len(argv) == 3 and argv[1] == "window":
        window(int(argv[2]))
    elif len(argv) == 3 and argv[1] == "queries":
        queries(argv[2])
    elif len(argv) == 7 and argv[1] == "spark":
        spark(argv[2], argv[3], argv[4], int(argv[5]), argv[6] == "1")
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
