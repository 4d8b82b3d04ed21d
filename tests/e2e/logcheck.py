#!/usr/bin/env python3
"""Compares what `dlc logs --format json` printed with what fakeaws holds.

  logcheck.py ENDPOINT OUT.ndjson SINCE_MS UNTIL_MS GROUP [GROUP...]

Every event of the groups with SINCE_MS <= timestamp <= UNTIL_MS (and, for
a follow run, ingested by UNTIL_MS) must appear exactly once, nothing else
may appear, and the output must be in time order. Prints "ok" or what
differs. Options: --ingested-by MS (only events ingested by then are
required), --contains TEXT (only events whose message contains TEXT), --unordered-ok.
"""
import json
import sys
import urllib.parse
import urllib.request


def written(endpoint, group):
    q = urllib.parse.urlencode({"group": group, "all": "1", "account": "alpha"})
    with urllib.request.urlopen("%s/_fakeaws/logs/written?%s" % (endpoint, q)) as r:
        return json.load(r)["events"]


def main(argv):
    args, opts = [], {}
    it = iter(argv[1:])
    for a in it:
        if a.startswith("--"):
            opts[a] = next(it) if a != "--unordered-ok" else True
        else:
            args.append(a)
    endpoint, out, since, until, groups = args[0], args[1], int(args[2]), int(args[3]), args[4:]
    ingested_by = int(opts.get("--ingested-by", "0"))
    contains = opts.get("--contains")
    shown = [json.loads(l) for l in open(out, encoding="utf-8") if l.strip()]
    ids = [e["eventId"] for e in shown]
    problems = []
    if len(set(ids)) != len(ids):
        dup = len(ids) - len(set(ids))
        problems.append("%d events shown twice" % dup)
    want, held = {}, {}
    for g in groups:
        for e in written(endpoint, g):
            if contains is not None and contains not in e["message"]:
                continue
            held[e["eventId"]] = e
            if since <= e["timestamp"] <= until:
                want[e["eventId"]] = e
    required = {i for i, e in want.items() if not ingested_by or e["ingestionTime"] <= ingested_by}
    if not ingested_by:
        held = want     # a history run must show nothing outside its window
    missing = required - set(ids)
    extra = set(ids) - set(held)
    if missing:
        problems.append("%d events lost (of %d), e.g. %s" % (len(missing), len(required),
                        json.dumps(want[sorted(missing)[0]])[:300]))
    if extra:
        problems.append("%d events shown that were not written, e.g. %s" % (len(extra), sorted(extra)[0]))
    for e in shown:
        w = held.get(e["eventId"])
        if w is not None and (w["message"] != e["message"] or w["timestamp"] != e["timestamp"]):
            problems.append("event %s differs: %r vs %r" % (e["eventId"], e["message"][:80], w["message"][:80]))
            break
    if not opts.get("--unordered-ok"):
        ts = [e["timestamp"] for e in shown]
        bad = sum(1 for a, b in zip(ts, ts[1:]) if b < a)
        if bad:
            problems.append("%d events out of time order" % bad)
    print("ok" if not problems else "; ".join(problems))
    print("shown %d, required %d, late %d" % (len(shown), len(required),
          sum(1 for a, b in zip(shown, shown[1:]) if b["timestamp"] < a["timestamp"])), file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv)
