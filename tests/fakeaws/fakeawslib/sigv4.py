"""A SigV4 checker written from AWS's "Signature Version 4" documentation.

It rebuilds the canonical request from the request exactly as received, so
it is independent of dlc's C signer: any disagreement between the two
shows up as a failed request rather than two copies of one mistake.
Every service but S3 normalises the path and encodes it a second time; for
S3 (scope service "s3") the canonical URI is the path exactly as sent.
"""

import hashlib
import hmac
import re
from datetime import datetime, timezone, timedelta
from urllib.parse import quote, unquote_to_bytes

ALGORITHM = "AWS4-HMAC-SHA256"
EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()
MAX_SKEW = timedelta(minutes=15)


class AuthHeaderError(Exception):
    """The Authorization header is not a well-formed SigV4 header."""


class SignatureExpired(Exception):
    """X-Amz-Date is more than 15 minutes away from the server's clock."""


class SignatureMismatch(Exception):
    """The signature differs; canonical/string_to_sign say what we expected."""

    def __init__(self, canonical, string_to_sign):
        super().__init__("signature mismatch")
        self.canonical = canonical
        self.string_to_sign = string_to_sign


def parse_authorization(value):
    """Split 'AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...'.

    Returns a dict with akid, date, region, service, terminator,
    signed_headers (list) and signature.
    """
    value = value.strip()
    if not value.startswith(ALGORITHM + " "):
        raise AuthHeaderError("Authorization header requires existence of "
                              "either a 'X-Amz-Date' or a 'Date' header.")
    fields = {}
    for part in value[len(ALGORITHM) + 1:].split(","):
        name, sep, val = part.strip().partition("=")
        if sep:
            fields[name] = val
    missing = [n for n in ("Credential", "SignedHeaders", "Signature")
               if n not in fields]
    if missing:
        raise AuthHeaderError(
            "Authorization header requires '%s' parameter. Authorization=%s"
            % (missing[0], value))
    scope = fields["Credential"].split("/")
    if len(scope) != 5:
        raise AuthHeaderError(
            "Credential should be scoped to a valid region. ")
    return {
        "akid": scope[0], "date": scope[1], "region": scope[2],
        "service": scope[3], "terminator": scope[4],
        "signed_headers": fields["SignedHeaders"].split(";"),
        "signature": fields["Signature"],
    }


def normalize_path(path):
    """Remove dot segments and empty segments; keep a trailing slash."""
    out = []
    for seg in path.split("/"):
        if seg in ("", "."):
            continue
        if seg == "..":
            if out:
                out.pop()
            continue
        out.append(seg)
    result = "/" + "/".join(out)
    if path.endswith("/") and result != "/":
        result += "/"
    return result


def canonical_uri(raw_path):
    """The path as sent (already percent-encoded), normalised, encoded again."""
    raw = raw_path.encode("latin-1") if isinstance(raw_path, str) else raw_path
    path = normalize_path(raw.decode("latin-1"))
    return quote(path.encode("latin-1"), safe="/~")


def canonical_query(raw_query):
    pairs = []
    for part in raw_query.split("&"):
        if part == "":
            continue
        key, _, val = part.partition("=")
        # The target is raw bytes seen as latin-1 text (http.server's view).
        k = quote(unquote_to_bytes(key.encode("latin-1")), safe="-_.~")
        v = quote(unquote_to_bytes(val.encode("latin-1")), safe="-_.~")
        pairs.append((k, v))
    pairs.sort()
    return "&".join("%s=%s" % kv for kv in pairs)


_SPACES = re.compile(r"\s+")


def canonical_headers(headers, signed):
    """headers: list of (name, value) as received, duplicates allowed."""
    values = {}
    for name, val in headers:
        values.setdefault(name.lower(), []).append(
            _SPACES.sub(" ", val).strip())
    lines = []
    for name in signed:
        lines.append("%s:%s\n" % (name, ",".join(values.get(name, []))))
    return "".join(lines)


def canonical_request(method, target, headers, signed, payload_hash,
                      s3=False):
    path, _, query = target.partition("?")
    uri = path if s3 else canonical_uri(path)
    return "\n".join([method, uri, canonical_query(query),
                      canonical_headers(headers, signed), ";".join(signed),
                      payload_hash])


def string_to_sign(amz_date, scope, canonical):
    return "\n".join([ALGORITHM, amz_date, scope,
                      hashlib.sha256(canonical.encode("utf-8")).hexdigest()])


def signing_key(secret, date, region, service):
    key = ("AWS4" + secret).encode("utf-8")
    for part in (date, region, service, "aws4_request"):
        key = hmac.new(key, part.encode("utf-8"), hashlib.sha256).digest()
    return key


def header_value(headers, name):
    name = name.lower()
    for n, v in headers:
        if n.lower() == name:
            return v.strip()
    return None


def request_time(headers):
    """The signing time from X-Amz-Date (or Date); None if absent or bad."""
    amz = header_value(headers, "x-amz-date")
    if amz:
        try:
            return amz, datetime.strptime(amz, "%Y%m%dT%H%M%SZ").replace(
                tzinfo=timezone.utc)
        except ValueError:
            return amz, None
    date = header_value(headers, "date")
    if date:
        from email.utils import parsedate_to_datetime
        try:
            when = parsedate_to_datetime(date).astimezone(timezone.utc)
        except (TypeError, ValueError):
            return date, None
        return when.strftime("%Y%m%dT%H%M%SZ"), when
    return None, None


def fmt(when):
    return when.strftime("%Y%m%dT%H%M%SZ")


def check_skew(amz_date, when, now):
    """Raise SignatureExpired with AWS's wording when off by over 15 min."""
    if when < now - MAX_SKEW:
        raise SignatureExpired(
            "Signature expired: %s is now earlier than %s (%s - 15 min.)"
            % (amz_date, fmt(now - MAX_SKEW), fmt(now)))
    if when > now + MAX_SKEW:
        raise SignatureExpired(
            "Signature not yet current: %s is still later than %s "
            "(%s + 15 min.)" % (amz_date, fmt(now + MAX_SKEW), fmt(now)))


def verify(method, target, headers, body, auth, secret, amz_date):
    """Recompute the signature for a parsed Authorization; raise on mismatch.

    Returns the canonical request (handy for logs) when it matches.
    """
    payload = header_value(headers, "x-amz-content-sha256")
    if not payload:
        payload = hashlib.sha256(body).hexdigest()
    canonical = canonical_request(method, target, headers,
                                  auth["signed_headers"], payload,
                                  s3=auth["service"] == "s3")
    scope = "/".join([auth["date"], auth["region"], auth["service"],
                      auth["terminator"]])
    sts = string_to_sign(amz_date, scope, canonical)
    key = signing_key(secret, auth["date"], auth["region"], auth["service"])
    want = hmac.new(key, sts.encode("utf-8"), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(want, auth["signature"].lower()):
        raise SignatureMismatch(canonical, sts)
    return canonical
