#!/usr/bin/env python3
"""Check fakeaws's SigV4 checker against the aws-c-auth conformance cases.

The cases are read at test time from $DLC_SHARED_DIR/conformance/sigv4 and
never copied. Each signed request must verify, rebuild the stored canonical
request byte for byte, and stop verifying once one signed part changes.
"""

import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from fakeawslib import sigv4  # noqa: E402

SHARED = os.environ.get("DLC_SHARED_DIR",
                        os.path.join(HERE, "..", "..", "..", "shared"))
CASES = os.path.join(SHARED, "conformance", "sigv4")
SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"


def parse_raw_request(data):
    """Split a raw request file into method, target, headers, body.

    The target keeps its raw bytes as latin-1 text, as http.server hands
    them to fakeaws; folded header lines join their header's value.
    """
    head, sep, body = data.partition(b"\n\n")
    lines = head.split(b"\n")

    # A path may hold spaces: the version is the last word.
    first = lines[0].decode("latin-1")
    method, rest = first.split(" ", 1)
    target = rest.rsplit(" ", 1)[0]
    headers = []
    for line in lines[1:]:
        text = line.decode("utf-8")
        if text[:1] in (" ", "\t") and headers:
            name, val = headers[-1]
            headers[-1] = (name, val + "\n" + text)
            continue
        name, _, val = text.partition(":")
        headers.append((name, val))
    return method, target, headers, body


def case_dirs():
    return sorted(d for d in os.listdir(CASES)
                  if os.path.isfile(os.path.join(CASES, d,
                                                 "header-signed-request.txt")))


def read(case, name):
    with open(os.path.join(CASES, case, name), "rb") as f:
        return f.read()


@unittest.skipUnless(os.path.isdir(CASES),
                     "conformance cases absent at %s" % CASES)
class ConformanceTest(unittest.TestCase):

    def verify_case(self, case, mutate=None):
        method, target, headers, body = parse_raw_request(
            read(case, "header-signed-request.txt"))
        if mutate:
            method, target, headers, body = mutate(method, target, headers,
                                                   body)
        auth_value = sigv4.header_value(headers, "authorization")
        auth = sigv4.parse_authorization(auth_value)
        amz_date, _ = sigv4.request_time(headers)
        return sigv4.verify(method, target, headers, body, auth, SECRET,
                            amz_date)

    def test_cases_verify(self):
        checked = 0
        for case in case_dirs():
            if case.endswith("-unnormalized"):
                continue  # S3 rules; fakeaws checks non-S3 services only
            with self.subTest(case=case):
                canonical = self.verify_case(case)
                want = read(case, "header-canonical-request.txt").decode(
                    "utf-8")
                self.assertEqual(canonical, want)
                checked += 1
        self.assertGreaterEqual(checked, 25)
        print("sigv4: %d conformance cases verified" % checked)

    def test_tampering_fails(self):
        def wrong_secret_sig(m, t, h, b):
            h = [(n, v.replace("Signature=5", "Signature=6"))
                 if n.lower() == "authorization" else (n, v) for n, v in h]
            return m, t, h, b

        def other_path(m, t, h, b):
            return m, t + "x", h, b

        def other_date(m, t, h, b):
            return m, t, [(n, "20150830T123601Z")
                          if n.lower() == "x-amz-date" else (n, v)
                          for n, v in h], b

        def other_body(m, t, h, b):
            return m, t, h, b + b"&x=1"

        for case, mutate in (("get-vanilla", wrong_secret_sig),
                             ("get-vanilla-query", other_path),
                             ("get-vanilla", other_date),
                             ("post-vanilla-query", other_body),
                             ("get-utf8", other_path)):
            with self.subTest(case=case, mutate=mutate.__name__):
                with self.assertRaises(sigv4.SignatureMismatch):
                    self.verify_case(case, mutate)

    def test_double_encoding_of_lambda_arn(self):
        # A percent-encoded ARN in the path is encoded again (aws-notes §2).
        self.assertEqual(
            sigv4.canonical_uri("/2015-03-31/functions/arn%3Aaws%3Alambda"),
            "/2015-03-31/functions/arn%253Aaws%253Alambda")
        self.assertEqual(sigv4.canonical_uri("/2015-03-31/functions/"),
                         "/2015-03-31/functions/")

    def test_skew(self):
        from datetime import datetime, timezone
        now = datetime(2026, 11, 25, 18, 0, 0, tzinfo=timezone.utc)
        old = datetime(2026, 11, 25, 17, 44, 0, tzinfo=timezone.utc)
        with self.assertRaisesRegex(sigv4.SignatureExpired,
                                    r"^Signature expired: 20261125T174400Z is"
                                    r" now earlier than 20261125T174500Z "
                                    r"\(20261125T180000Z - 15 min.\)$"):
            sigv4.check_skew("20261125T174400Z", old, now)
        sigv4.check_skew("20261125T174600Z",
                         datetime(2026, 11, 25, 17, 46, tzinfo=timezone.utc),
                         now)


if __name__ == "__main__":
    if not os.path.isdir(CASES):
        print("SKIP: sigv4 conformance cases not found at %s" % CASES)
        sys.exit(77)
    unittest.main(verbosity=1)
