"""CloudWatch's query-protocol wire: parameters in, XML out, errors and
paging tokens, shared by the alarm and metric operations."""

import base64
import re
from datetime import datetime

from .errors import AwsError, Response, xml_text

NS = "http://monitoring.amazonaws.com/doc/2010-08-01/"
# XML 1.0 cannot carry these (expat and the CLI refuse even &#27;): a
# reason set with one comes back with U+FFFD in its place.
C0 = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def validation(field, value, constraint):
    return AwsError(400, "ValidationError",
                    "1 validation error detected: Value '%s' at '%s' failed "
                    "to satisfy constraint: %s" % (value, field, constraint))


def members(params, name):
    """Name.member.1, Name.member.2, ... in order."""
    out, i = [], 1
    while "%s.member.%d" % (name, i) in params:
        out.append(params["%s.member.%d" % (name, i)])
        i += 1
    return out


def nested(params, name):
    """Name.member.N.A.B... as a list of nested dicts (lists for member)."""
    root = {}
    for key, value in params.items():
        if not key.startswith(name + "."):
            continue
        parts, keys, i = key[len(name) + 1:].split("."), [], 0
        while i < len(parts):
            if parts[i] == "member" and i + 1 < len(parts) and \
                    parts[i + 1].isdigit():
                keys.append(int(parts[i + 1]))
                i += 2
            else:
                keys.append(parts[i])
                i += 1
        node = root
        for k in keys[:-1]:
            node = node.setdefault(k, {})
            if not isinstance(node, dict):
                raise AwsError(400, "MalformedInput", "Malformed input: "
                               "%s" % key)
        node[keys[-1]] = value
    out = _lists(root)
    return out if isinstance(out, list) else []


def _lists(node):
    """Dicts keyed by member numbers become lists, in number order."""
    if not isinstance(node, dict):
        return node
    if node and all(isinstance(k, int) for k in node):
        return [_lists(node[k]) for k in sorted(node)]
    return {k: _lists(v) for k, v in node.items()}


class Raw(str):
    """XML already rendered (a cached alarm): written as it is."""


def xml(value, indent):
    """A value as query-protocol XML: lists as <member>, dicts as fields."""
    if isinstance(value, Raw):
        return value
    pad = " " * indent
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)) and not value:
        return ""       # <Values></Values>: no whitespace to mistake for text
    if isinstance(value, dict):
        return "\n" + "".join("%s<%s>%s</%s>\n" % (pad, k, xml(v, indent + 2),
                                                    k)
                              for k, v in value.items()) + " " * (indent - 2)
    if isinstance(value, list):
        return "\n" + "".join("%s<member>%s</member>\n" % (
            pad, xml(v, indent + 2)) for v in value) + " " * (indent - 2)
    if isinstance(value, float):
        return repr(value)
    return xml_text(C0.sub("\ufffd", str(value)))


def result(body):
    return "".join("    <%s>%s</%s>\n" % (k, xml(v, 6), k)
                   for k, v in body.items())


def empty_response(action, request_id):
    """An operation without output (PutMetricData, SetAlarmState): no
    Result element, only the metadata."""
    body = ('<{a}Response xmlns="{ns}">\n'
            '  <ResponseMetadata>\n    <RequestId>{rid}</RequestId>\n'
            '  </ResponseMetadata>\n</{a}Response>\n').format(
                a=action, ns=NS, rid=request_id)
    return Response(200, body, "text/xml")


def token(*numbers):
    return base64.b64encode(("fakeaws-cw:" + ":".join(
        str(n) for n in numbers)).encode()).decode()


def untoken(params, count=1):
    """The numbers in params' NextToken (zeros without one)."""
    raw = params.get("NextToken")
    if not raw:
        return [0] * count
    try:
        parts = base64.b64decode(raw, validate=True).decode().split(":")
        if parts[0] == "fakeaws-cw" and len(parts) == count + 1 and \
                all(p.isdigit() for p in parts[1:]):
            return [int(p) for p in parts[1:]]
    except (ValueError, UnicodeDecodeError):
        pass
    raise AwsError(400, "InvalidNextToken", "The service returned an "
                   "invalid next token.")


def timestamp(params, name, required=False):
    """An ISO 8601 parameter as epoch seconds (None when absent)."""
    raw = params.get(name)
    if raw is None:
        if required:
            raise validation(name[0].lower() + name[1:], "null",
                             "Member must not be null")
        return None
    try:
        when = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        raise AwsError(400, "InvalidParameterValue",
                       "The value %s for parameter %s is invalid."
                       % (raw, name)) from None
    if when.tzinfo is None:
        from datetime import timezone
        when = when.replace(tzinfo=timezone.utc)
    return when.timestamp()


def max_records(params, default=50, field="maxRecords"):
    raw = params.get("MaxRecords")
    if raw is None:
        return default
    if not raw.isdigit() or not 1 <= int(raw) <= 100:
        raise validation(field, raw, "Member must have value between 1 "
                         "and 100")
    return int(raw)
