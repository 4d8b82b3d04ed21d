#!/usr/bin/env python3
"""The CloudWatch Logs filter-pattern matcher (fakeawslib/filterpattern),
case by case: what each form matches, what it must not, what is invalid.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Checks  # noqa: E402
from fakeawslib import filterpattern  # noqa: E402

TEXT = "2026-11-25T10:00:00.123Z\tabc-123\tERROR\tUpload failed, Retry 2\n"
PLAIN = "2026-11-25T10:00:00.456Z\tabc-123\tINFO\tUpload done\n"
WARN = "WARN slow response from Mambu\n"
J_ERR = ('{"timestamp": "2026-11-25T10:00:00.123Z", "level": "ERROR", '
         '"message": "boom", "latency": 750, "ok": false, "gone": null, '
         '"a": {"b": "xylophone"}, "list": [{"x": 1}, {"x": 2}]}\n')
J_INFO = ('{"level": "INFO", "message": "fine", "latency": 120, '
          '"ok": true, "a": {"b": "abc"}}')
ALL = [TEXT, PLAIN, WARN, J_ERR, J_INFO, "not json {", "[1, 2]", ""]

# pattern -> which of ALL it must match (indices).
CASES = [
    ("", [0, 1, 2, 3, 4, 5, 6, 7]),
    ("   ", [0, 1, 2, 3, 4, 5, 6, 7]),
    ('""', [0, 1, 2, 3, 4, 5, 6, 7]),
    ("ERROR", [0, 3]),
    ("error", []),                       # case-sensitive
    ("ERROR Retry", [0]),                # all terms
    ("ERROR -Retry", [3]),               # exclusion
    ("-Upload", [2, 3, 4, 5, 6, 7]),     # exclusions only
    ("?WARN ?ERROR", [0, 2, 3]),         # any of
    ("Upload ?failed ?Nope", [0]),       # plain term plus alternatives
    ('"Upload done"', [1]),              # phrase
    ('"Upload  done"', []),              # phrase is exact
    ('-"Upload done" Upload', [0]),
    ("%Retry [0-9]%", [0]),
    ('{ $.level = "ERROR" }', [3]),
    ("{ $.level = ERROR }", [3]),
    ('{ $.level != "ERROR" }', [4]),
    ("{ $.latency > 500 }", [3]),
    ("{ $.latency <= 120 }", [4]),
    ("{ $.latency = 750 }", [3]),
    ('{ $.a.b = "xy*" }', [3]),
    ('{ $.a.b = "*bc" }', [4]),
    ('{ $.a.b = "x" }', []),
    ('{ $.level = "ERROR" && $.latency > 1000 }', []),
    ('{ $.level = "ERROR" || $.latency < 200 }', [3, 4]),
    ('{ ($.level = "INFO" || $.latency > 500) && $.ok IS TRUE }', [4]),
    ("{ $.ok IS FALSE }", [3]),
    ("{ $.gone IS NULL }", [3]),
    ("{ $.gone NOT EXISTS }", [4]),
    ("{ $.list[1].x = 2 }", [3]),
    ("{ $.list[5].x = 2 }", []),
    ('{ $.message = "*" }', [3, 4]),
]

INVALID = ['"unterminated', "{ $.level = }", "{ $.level }",
           "{ level = 1 }", '{ $.a > "x" }', "{ $.a = 1 ", "{}",
           "{ $.a = 1 && }", "[ip, user]", "%(%", "{ $.a IS MAYBE }",
           "x" * 1025]


def main():
    t = Checks("test_filterpattern")
    for pattern, want in CASES:
        match = filterpattern.compile(pattern)
        got = [i for i, m in enumerate(ALL) if match(m)]
        t.equal("pattern %r" % pattern, got, want)
    for pattern in INVALID:
        try:
            filterpattern.compile(pattern)
            t.check("invalid %r is refused" % pattern[:40], False)
        except ValueError:
            t.check("invalid %r is refused" % pattern[:40], True)
    t.check("None matches everything",
            filterpattern.compile(None)("anything"))
    return t.finish()


if __name__ == "__main__":
    sys.exit(main())
