"""Lambda-shaped log events: the start-up history and the live generator.

Nothing here is stored in the seed: a seeded random.Random per function
turns a small description (function name, memory, timeout) into
invocations that look like Lambda's own output: START / application lines
in the text format and in JSON / tracebacks / timeouts / END / REPORT,
in streams named YYYY/MM/DD/[$LATEST]<32 hex>, one per execution
environment. Messages end with "\\n", as Lambda's do.
"""

import json
import random
import threading
import uuid
import zlib
from datetime import datetime, timezone

from .logstore import now_ms

LEVELS = (("DEBUG", 0.10), ("INFO", 0.65), ("WARN", 0.15), ("ERROR", 0.10))
INFO_LINES = [
    "Fetched page {n} of {m} from the source API",
    "Wrote {n} records to s3://datalake-raw/{path}",
    "Checkpoint saved at offset {n}",
    "Processing batch {n} with {m} items",
    "Found credentials in environment variables.",
    "Reconciled {n} rows, {m} mismatches",
]
DEBUG_LINES = ["Request headers: {{'Accept': 'application/json'}}",
               "Cache hit ratio {n}%", "Parsed {n} bytes of JSON"]
WARN_LINES = ["Retrying request after HTTP 429 (attempt {n})",
              "Slow response from upstream: {n} ms",
              "Skipping record {n}: missing field 'id'"]
ERROR_LINES = ["Failed to upload batch {n} to S3",
               "Upstream returned HTTP 500 for page {n}",
               "Reconciliation mismatch on {n} rows"]
TRACEBACK = ("Traceback (most recent call last):\n"
             "  File \"/var/task/lambda_function.py\", line {n}, in "
             "lambda_handler\n    upload(batch)\n"
             "  File \"/var/task/datalake/s3.py\", line 88, in upload\n"
             "    raise UploadError(key) from exc\n"
             "datalake.s3.UploadError: s3://datalake-raw/{path}")

# Lambda's largest event: 256 KiB counting the 26 bytes of overhead.
MAX_EVENT_MESSAGE = 256 * 1024 - 26


def _iso(ms):
    return datetime.fromtimestamp(ms / 1000, timezone.utc).strftime(
        "%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (ms % 1000)


def _level(rng):
    r = rng.random()
    for name, p in LEVELS:
        if r < p:
            return name
        r -= p
    return "INFO"


class FunctionLog:
    """One function's invocations, drawn from its own random stream."""

    def __init__(self, name, memory, timeout, json_lines, seed):
        self.name = name
        self.memory = memory
        self.timeout = timeout
        self.json_lines = json_lines
        self.rng = random.Random(seed)
        self.stream = None
        self.last_end = None

    def _new_stream(self, ms):
        day = datetime.fromtimestamp(ms / 1000, timezone.utc)
        return "%s/[$LATEST]%032x" % (day.strftime("%Y/%m/%d"),
                                      self.rng.getrandbits(128))

    def _app_line(self, ms, rid, level):
        rng = self.rng
        pool = {"DEBUG": DEBUG_LINES, "INFO": INFO_LINES, "WARN": WARN_LINES,
                "ERROR": ERROR_LINES}[level]
        path = "%s/%s.json" % (self.name, rng.randrange(10 ** 6))
        text = rng.choice(pool).format(n=rng.randrange(1, 5000),
                                       m=rng.randrange(1, 500), path=path)
        if level == "ERROR" and rng.random() < 0.4:
            text += "\n" + TRACEBACK.format(n=rng.randrange(20, 300),
                                            path=path)
        if self.json_lines:
            return json.dumps({"timestamp": _iso(ms), "level": level,
                               "message": text, "logger": "root",
                               "requestId": rid}) + "\n"
        return "%s\t%s\t%s\t%s\n" % (_iso(ms), rid, level, text)

    def invocation(self, start, short=False, end=None):
        """[(stream, timestamp, message)] of one invocation at start ms
        (or, given end, one that ends at end ms)."""
        rng = self.rng
        rid = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        timed_out = not short and rng.random() < 0.03
        if short:
            duration = rng.uniform(20, 1500)
        elif timed_out:
            duration = self.timeout * 1000.0
        else:
            duration = rng.uniform(80, min(self.timeout * 1000.0, 60000))
        if end is not None:
            start = end - int(duration)
        cold = (self.stream is None or rng.random() < 0.1 or
                start - (self.last_end or start) > 30 * 60 * 1000)
        if cold:
            self.stream = self._new_stream(start)
        out = [(start, "START RequestId: %s Version: $LATEST\n" % rid)]
        lines = rng.randrange(1, 8)
        for i in range(lines):
            ms = start + int(duration * (i + 1) / (lines + 2))
            out.append((ms, self._app_line(ms, rid, _level(rng))))
        end = start + int(duration)
        if timed_out:
            out.append((end, "%s %s Task timed out after %.2f seconds\n" % (
                _iso(end), rid, self.timeout)))
        out.append((end, "END RequestId: %s\n" % rid))
        report = ("REPORT RequestId: %s\tDuration: %.2f ms\tBilled Duration: "
                  "%d ms\tMemory Size: %d MB\tMax Memory Used: %d MB" % (
                      rid, duration, int(duration) + 1, self.memory,
                      rng.randrange(min(60, self.memory), self.memory + 1)))
        if cold:
            report += "\tInit Duration: %.2f ms" % rng.uniform(150, 1500)
        if timed_out:
            report += "\tStatus: timeout"
        out.append((end, report + "\t\n"))
        self.last_end = end
        return [(self.stream, ms, msg) for ms, msg in out]


def function_logs(account_id, functions):
    """A FunctionLog per function record, seeded by account and name."""
    logs = []
    for i, rec in enumerate(sorted(functions.values(), key=lambda r:
                                   r["Configuration"]["FunctionName"])):
        cfg = rec["Configuration"]
        name = cfg["FunctionName"]
        seed = zlib.crc32(("%s/%s" % (account_id, name)).encode())
        logs.append(FunctionLog(name, cfg.get("MemorySize", 128),
                                cfg.get("Timeout", 3), i % 2 == 1, seed))
    return logs


def fill_history(store, group, flog, end, hours, count):
    """Add about count events of flog's function over hours before end."""
    rng = flog.rng
    span = int(hours * 3600 * 1000)
    starts = sorted(end - rng.randrange(span) for _ in
                    range(max(1, count // 7)))
    added = 0
    for start in starts:
        ingested = 0
        for stream, ms, msg in flog.invocation(start):
            # Lambda ships an invocation's lines in order, so ingestion
            # never goes backwards within one (END stays before REPORT).
            ingested = max(ingested, ms + rng.randrange(2001))
            if ms <= end:
                store.add(group, stream, ms, msg, ingested)
                added += 1
    return added


def hostile_events(store, group, flog, when):
    """Events a terminal must not trust: escapes, odd text, a huge line.

    JSON cannot carry invalid UTF-8, and CloudWatch replaces invalid bytes
    with U+FFFD when it ingests them, so that is what these hold; the C1
    control U+009B (a one-character CSI) is valid UTF-8 and still hostile.
    """
    stream = flog.stream or flog._new_stream(when)
    messages = [
        "clear \x1b[2J\x1b[H and a title \x1b]0;pwned\x07 and red "
        "\x1b[31mRED\x1b[0m\n",
        "invalid UTF-8 as stored: caf\ufffd \ufffd\ufffd; C1 CSI "
        "\u009b31m; bidi \u202egnp.exe\n",
        "NUL here:\x00:after the NUL\n",
        "BIG " + "x" * (MAX_EVENT_MESSAGE - 5) + "\n",
    ]
    for i, msg in enumerate(messages):
        store.add(group, stream, when + i, msg, when + i + 300)


class LiveGenerator(threading.Thread):
    """Appends new invocations at about rate events a second.

    Ingestion lags each timestamp by 0..2 s; with late, about one
    invocation in 10 is stamped 5..20 s before the newest event already
    ingested, as a late arrival a follow-mode reader must not lose.
    """

    def __init__(self, state, rate, late, seed=7):
        super().__init__(daemon=True, name="fakeaws-loggen")
        self.state = state
        self.rate = rate
        self.late = late
        self.rng = random.Random(seed)
        self.stop_event = threading.Event()

    def run(self):
        budget = 0.0
        while not self.stop_event.wait(0.2):
            budget += self.rate * 0.2
            while budget >= 1:
                budget -= self.step()

    def step(self):
        """Write one invocation; the number of events written."""
        rng = self.rng
        with self.state.lock:
            targets = list(self.state.log_targets)
        if not targets:
            return 1
        store, group, flog = rng.choice(targets)
        now = end = now_ms()
        if self.late and rng.random() < 0.1:
            with store.lock:
                newest = max((e.timestamp for e in group.events
                              if e.ingestion <= now), default=now)
            end = newest - rng.randrange(5000, 20001)
        events = flog.invocation(None, short=True, end=end)
        ingested = now
        for stream, ms, msg in events:
            ingested = max(ingested, now + rng.randrange(2001))
            store.add(group, stream, ms, msg, ingested)
        return len(events)

    def stop(self):
        self.stop_event.set()
