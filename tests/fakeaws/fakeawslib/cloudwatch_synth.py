"""Synthetic AWS/Lambda metrics: one deterministic row a minute for every
function the account has (seeded, --extra-functions, or made later),
worked out from the function's name and the minute alone, so two runs (and
two servers) agree on every datapoint. Three days back from now.

Per minute, as Lambda publishes them: Invocations (count), Errors and
Throttles (counts, 0 datapoints in minutes that had invocations),
Duration (up to 3 samples, weighted so SampleCount equals Invocations:
percentiles work), ConcurrentExecutions. Minutes without invocations have
no datapoints at all: the gaps a sparkline must show.

Profiles (seed/ENV-alarms.json "metric_profiles"): "failing" errors in
about 30% of invocations every minute (so an Errors > 0 alarm is rightly in
ALARM); "idle" never invoked. Otherwise a name-derived shape: steady
traffic with a daily wave and rare errors, or a schedule every N minutes.
"""

import functools
import math
import time
import zlib
from array import array

WINDOW = 3 * 86400
METRICS = ("Invocations", "Errors", "Throttles", "Duration",
           "ConcurrentExecutions")


def _u(name, minute, salt):
    """A uniform number in [0, 1) from name, minute and salt."""
    return zlib.crc32(("%s|%d|%s" % (name, minute, salt)).encode()) / 2**32


class Shape:
    def __init__(self, name, profile=None):
        h = zlib.crc32(name.encode())
        self.name = name
        self.profile = profile
        self.every = 0 if h % 3 or profile == "failing" else 5 + h % 11
        self.offset = h % 7 if self.every == 0 else h % self.every
        self.rate = 1 + h % 25 if profile != "failing" else 4 + h % 6
        self.phase = (h >> 5) % 1440
        self.duration = 150 + (h >> 9) % 4000

    def invocations(self, m):
        if self.profile == "idle":
            return 0
        if self.every:
            return 1 if m % self.every == self.offset else 0
        wave = 1 + 0.5 * math.sin(2 * math.pi * ((m + self.phase) % 1440)
                                  / 1440)
        n = int(self.rate * wave * (0.5 + _u(self.name, m, "i")) + 0.5)
        return max(n, 1) if self.profile == "failing" else n

    def samples(self, metric, m):
        """[(value, count)] for one metric in minute m (epoch minutes)."""
        inv = self.invocations(m)
        if metric == "Throttles":
            thr = 0
            if self.profile != "idle" and _u(self.name, m, "t") < 0.001:
                thr = 1 + int(_u(self.name, m, "t2") * 2)
            return [(float(thr), 1)] if inv or thr else []
        if not inv:
            return []
        if metric == "Invocations":
            return [(float(inv), 1)]
        if metric == "Errors":
            if self.profile == "failing":
                err = max(1, int(inv * 0.3 + 0.5))
            else:
                err = 1 if _u(self.name, m, "e") < 0.004 else 0
            return [(float(err), 1)]
        if metric == "Duration":
            k = min(inv, 3)
            out = []
            for i in range(k):
                u = _u(self.name, m, "d%d" % i)
                v = self.duration * (0.6 + 0.8 * u)
                if u < 0.02:
                    v *= 5
                count = inv // k + (inv % k if i == k - 1 else 0)
                out.append((round(v, 2), count))
            return out
        if metric == "ConcurrentExecutions":
            return [(float(max(1, math.ceil(inv * self.duration / 60000))),
                     1)]
        return []


SCALAR = ("Invocations", "Errors", "Throttles", "ConcurrentExecutions")


@functools.lru_cache(maxsize=4096)
def _day(name, profile, metric, day):
    """A scalar metric's 1,440 minutes of one day (NaN: no datapoint):
    worked out once, 11 KB, since the console asks every refresh."""
    shape = Shape(name, profile)
    out = array("d")
    for m in range(day * 1440, day * 1440 + 1440):
        s = shape.samples(metric, m)
        out.append(s[0][0] if s else math.nan)
    return out


def _values(name, profile, metric, lo, hi):
    """The datapoints of minutes [lo, hi)."""
    out = []
    while lo < hi:
        day, at = divmod(lo, 1440)
        stop = min(1440, at + hi - lo)
        out += [v for v in _day(name, profile, metric, day)[at:stop]
                if v == v]
        lo += stop - at
    return out


def series(acct, profiles, namespace, metric, dims, start, end, now=None,
           period=60):
    """[(t, [(value, count)])] in [start, end), newest data one minute
    before now, oldest WINDOW back; [] for what Lambda would not publish
    (other namespaces, unknown functions, other dimensions). Scalar
    metrics come one row per period from start (t: the period's start),
    Duration one row per minute."""
    if namespace != "AWS/Lambda" or metric not in METRICS or \
            len(dims) != 1 or dims[0][0] != "FunctionName":
        return []
    name = dims[0][1]
    if name not in acct.functions:
        return []
    now = now or time.time()
    profile = profiles.get(name)
    first = max(int(math.ceil(start / 60)), int((now - WINDOW) // 60))
    last = min(int(math.ceil(end / 60)), int(now // 60))   # exclusive
    out = []
    if metric in SCALAR:
        # One row per period (start-aligned), not per minute: the console
        # asks for 100 functions x 24 h every refresh.
        step = max(60, period)
        b = start
        while b < end:
            lo = max(first, int(math.ceil(b / 60)))
            hi = min(last, int(math.ceil(min(b + step, end) / 60)))
            vals = _values(name, profile, metric, lo, hi)
            if vals:
                out.append((b, [(v, 1) for v in vals]))
            b += step
        return out
    shape = Shape(name, profile)
    for m in range(first, last):
        s = shape.samples(metric, m)
        if s:
            out.append((m * 60, s))
    return out
