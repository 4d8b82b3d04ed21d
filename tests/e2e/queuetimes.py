#!/usr/bin/env python3
"""What the deploy queue's end-to-end tests assert, from evidence dlc did
not write: the lines queue-stamp.sh appends from inside each build, and
fakeaws's own request log (--log-requests).

  queuetimes.py jobs TIMES REQUESTS NAME...
      one line per NAME: "NAME START END" in ns, START the build's start
      and END the later of the build's end and the last Lambda request
      about function NAME at or after START (its upload, waiter polls and
      verify); "NAME missing" when its build never ran
  queuetimes.py overlaps TIMES REQUESTS NAME...
      the pairs of those jobs whose intervals overlap ("A~B" a line);
      nothing when they ran strictly one at a time
  queuetimes.py build-overlaps TIMES NAME...
      how many pairs of those builds ran at the same time
  queuetimes.py start TIMES NAME      the build's start (ns)
  queuetimes.py runs TIMES NAME       how many times the build started
"""

import json
import re
import sys


def stamps(path):
    starts, ends, runs = {}, {}, {}
    with open(path) as f:
        for line in f:
            parts = line.split()
            if len(parts) != 3:
                continue
            what, name, ns = parts[0], parts[1], int(parts[2])
            if what == "start":
                runs[name] = runs.get(name, 0) + 1
                starts.setdefault(name, ns)
            elif what == "end":
                ends[name] = ns
    return starts, ends, runs


def requests(path):
    out = []
    with open(path) as f:
        for line in f:
            try:
                r = json.loads(line)
            except ValueError:
                continue
            out.append((int(r["time"] * 1e9), r.get("path", "")))
    return out


def jobs(times, reqs, names):
    starts, ends, _ = stamps(times)
    log = requests(reqs)
    out = {}
    for name in names:
        if name not in starts:
            out[name] = None
            continue
        pat = re.compile(r"/functions/%s(/|\?|$)" % re.escape(name))
        last = max([t for t, p in log if pat.search(p) and
                    t >= starts[name]] + [ends.get(name, starts[name])])
        out[name] = (starts[name], last)
    return out


def overlapping(spans):
    names = sorted(spans)
    pairs = []
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            (s1, e1), (s2, e2) = spans[a], spans[b]
            if s1 < e2 and s2 < e1:
                pairs.append("%s~%s" % (a, b))
    return pairs


def main(argv):
    cmd = argv[1]
    if cmd == "jobs":
        for name, span in jobs(argv[2], argv[3], argv[4:]).items():
            print("%s missing" % name if span is None else
                  "%s %d %d" % (name, span[0], span[1]))
    elif cmd == "overlaps":
        spans = jobs(argv[2], argv[3], argv[4:])
        missing = [n for n, s in spans.items() if s is None]
        for n in missing:
            print("%s:missing" % n)
        print("\n".join(overlapping({n: s for n, s in spans.items()
                                     if s is not None})))
    elif cmd == "build-overlaps":
        starts, ends, _ = stamps(argv[2])
        spans = {n: (starts[n], ends[n]) for n in argv[3:]
                 if n in starts and n in ends}
        print(len(overlapping(spans)))
    elif cmd == "start":
        print(stamps(argv[2])[0].get(argv[3], ""))
    elif cmd == "runs":
        print(stamps(argv[2])[2].get(argv[3], 0))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
