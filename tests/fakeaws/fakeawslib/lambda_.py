"""Lambda over rest-json (API 2015-03-31, layers 2018-10-31).

ListFunctions pages at most 50 per answer, as the service does; function
names may be a name, a partial ARN or a full ARN, optionally qualified.
"""

import base64
import re
from urllib.parse import unquote

from . import lambda_zip
from .errors import AwsError, json_response
from .lambda_code import update_function_code
from .lambda_config import update_function_configuration
from .lambda_invoke import invoke
from .lambda_layers_publish import publish_layer_version

PAGE_MAX = 50
NAME_RE = re.compile(
    r"^(?:arn:aws[a-zA-Z-]*:lambda:(?P<region>[a-z0-9-]+):)?"
    r"(?:(?P<account>\d{12}):)?(?:function:)?(?P<name>[a-zA-Z0-9_-]+)"
    r"(?::(?P<qualifier>\$LATEST|[a-zA-Z0-9_-]+))?$")


def _not_found(arn):
    return AwsError(404, "ResourceNotFoundException",
                    "Function not found: %s" % arn)


def _invalid(message):
    return AwsError(400, "InvalidParameterValueException", message)


def _validation(field, value, constraint):
    return AwsError(400, "ValidationException",
                    "1 validation error detected: Value '%s' at '%s' failed "
                    "to satisfy constraint: %s" % (value, field, constraint))


def _marker(offset):
    return base64.b64encode(("fakeaws:%d" % offset).encode()).decode()


def _offset(marker):
    try:
        text = base64.b64decode(marker, validate=True).decode()
        prefix, _, num = text.partition(":")
        if prefix == "fakeaws" and num.isdigit():
            return int(num)
    except (ValueError, UnicodeDecodeError):
        pass
    raise _invalid("Invalid marker: %s" % marker)


def list_functions(ctx, _path_args):
    acct = ctx.caller.account
    max_items = ctx.query.get("MaxItems")
    limit = PAGE_MAX
    if max_items is not None:
        if not max_items.isdigit() or not 1 <= int(max_items) <= 10000:
            raise _validation("maxItems", max_items,
                              "Member must have value between 1 and 10000")
        limit = min(int(max_items), PAGE_MAX)
    version = ctx.query.get("FunctionVersion")
    if version is not None and version != "ALL":
        raise _validation("functionVersion", version,
                          "Member must satisfy enum value set: [ALL]")
    start = _offset(ctx.query["Marker"]) if ctx.query.get("Marker") else 0
    with ctx.state.lock:
        names = sorted(acct.functions)
        page = [acct.functions[n]["Configuration"]
                for n in names[start:start + limit]]
    out = {"Functions": page}
    if start + limit < len(names):
        out["NextMarker"] = _marker(start + limit)
    return json_response(out)


def resolve(ctx, raw_name):
    """The function record for a path label, or ResourceNotFoundException."""
    acct = ctx.caller.account
    region = ctx.state.region
    label = unquote(raw_name)
    m = NAME_RE.match(label)
    if not m or len(label) > 256:
        raise _validation("functionName", label,
                          "Member must satisfy regular expression pattern: "
                          "(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-"
                          "[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?"
                          "([a-zA-Z0-9-_\\.]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?")
    name = m.group("name")
    qualifier = m.group("qualifier") or ctx.query.get("Qualifier")
    arn = "arn:aws:lambda:%s:%s:function:%s" % (region, acct.account_id,
                                                name)
    if m.group("qualifier") and ctx.query.get("Qualifier") and \
            m.group("qualifier") != ctx.query["Qualifier"]:
        raise _invalid("The derived qualifier from the function name does "
                       "not match the specified qualifier.")
    account = m.group("account")
    if (account and account != acct.account_id) or \
            (m.group("region") and m.group("region") != region):
        raise _not_found(arn + (":" + qualifier if qualifier else ""))
    with ctx.state.lock:
        rec = acct.functions.get(name)
    if rec is None or (qualifier and qualifier != "$LATEST"):
        raise _not_found(arn + (":" + qualifier if qualifier else ""))
    return rec


def get_function(ctx, args):
    rec = resolve(ctx, args[0])
    cfg = rec["Configuration"]
    acct = ctx.caller.account.account_id
    location = ("https://awslambda-%s-tasks.s3.%s.amazonaws.com/snapshots/"
                "%s/%s-%s?versionId=FAKE&X-Amz-Algorithm=AWS4-HMAC-SHA256"
                "&X-Amz-Expires=600&X-Amz-Signature=FAKE") % (
                    ctx.state.region, ctx.state.region, acct,
                    cfg["FunctionName"], cfg["RevisionId"])
    if rec.get("_code_file"):
        location = lambda_zip.location(ctx, rec["_code_file"])
    out = {"Configuration": cfg,
           "Code": {"RepositoryType": "S3", "Location": location},
           "Tags": rec.get("Tags", {})}
    if rec.get("Concurrency"):
        out["Concurrency"] = rec["Concurrency"]
    return json_response(out)


def get_function_configuration(ctx, args):
    return json_response(resolve(ctx, args[0])["Configuration"])


def _max_items(ctx, top):
    value = ctx.query.get("MaxItems")
    if value is None:
        return top
    if not value.isdigit() or not 1 <= int(value) <= top:
        raise _validation("maxItems", value,
                          "Member must have value less than or equal to %d"
                          % top if value.isdigit() and int(value) else
                          "Member must have value greater than or equal "
                          "to 1")
    return int(value)


def _page(ctx, items, limit):
    """(page, NextMarker or None) of items from the request's Marker."""
    start = _offset(ctx.query["Marker"]) if ctx.query.get("Marker") else 0
    page = items[start:start + limit]
    more = start + limit < len(items)
    return page, (_marker(start + limit) if more else None)


def _layer_versions(ctx, name):
    """The account's versions of a layer (name or ARN), newest first."""
    acct = ctx.caller.account
    with ctx.state.lock:
        versions = [v for v in acct.layer_versions
                    if name in (v["LayerName"], v["LayerArn"])]
    versions.sort(key=lambda v: -v["Version"])
    return versions


def _layer_item(v):
    # LayerVersionsListItem: the stored version minus what only
    # GetLayerVersion answers (Content) and the list's own keys.
    return {k: v[k] for k in v if k not in ("LayerName", "LayerArn",
                                             "Content")}


def _runtime_filter(ctx, versions):
    runtime = ctx.query.get("CompatibleRuntime")
    arch = ctx.query.get("CompatibleArchitecture")
    return [v for v in versions
            if (not runtime or runtime in v.get("CompatibleRuntimes", []))
            and (not arch or arch in v.get("CompatibleArchitectures", []))]


def list_layer_versions(ctx, args):
    versions = _runtime_filter(ctx, _layer_versions(ctx, unquote(args[0])))
    page, marker = _page(ctx, versions, _max_items(ctx, PAGE_MAX))
    out = {"LayerVersions": [_layer_item(v) for v in page]}
    if marker:
        out["NextMarker"] = marker
    return json_response(out)


def get_layer_version(ctx, args):
    name, number = unquote(args[0]), unquote(args[1])
    if not number.lstrip("-").isdigit():
        raise _validation("versionNumber", number,
                          "Member must be a number")
    found = [v for v in _layer_versions(ctx, name)
             if v["Version"] == int(number)]
    if not found:
        raise AwsError(404, "ResourceNotFoundException",
                       "The resource you requested does not exist.")
    v = found[0]
    out = {k: v[k] for k in v if k != "LayerName"}
    content = dict(v.get("Content", {}))
    content["Location"] = (
        "https://awslambda-%s-layers.s3.%s.amazonaws.com/snapshots/%s/"
        "%s-FAKE?versionId=FAKE&X-Amz-Algorithm=AWS4-HMAC-SHA256"
        "&X-Amz-Expires=600&X-Amz-Signature=FAKE") % (
            ctx.state.region, ctx.state.region,
            ctx.caller.account.account_id, v["LayerName"])
    saved = ctx.caller.account.layer_code.get(v["LayerVersionArn"])
    if saved:
        content["Location"] = lambda_zip.location(ctx, saved)
    out["Content"] = content
    return json_response(out)


def list_layers(ctx, _args):
    acct = ctx.caller.account
    with ctx.state.lock:
        names = sorted({v["LayerName"] for v in acct.layer_versions})
    layers = []
    for name in names:
        versions = _runtime_filter(ctx, _layer_versions(ctx, name))
        if versions:
            layers.append({"LayerName": name,
                           "LayerArn": versions[0]["LayerArn"],
                           "LatestMatchingVersion": _layer_item(versions[0])})
    page, marker = _page(ctx, layers, _max_items(ctx, PAGE_MAX))
    out = {"Layers": page}
    if marker:
        out["NextMarker"] = marker
    return json_response(out)


def list_event_source_mappings(ctx, _args):
    acct = ctx.caller.account
    fn = ctx.query.get("FunctionName")
    source = ctx.query.get("EventSourceArn")
    arn = None
    if fn:
        m = NAME_RE.match(fn)
        if not m:
            raise _validation("functionName", fn, "Member must satisfy "
                              "regular expression pattern")
        arn = "arn:aws:lambda:%s:%s:function:%s" % (
            ctx.state.region, acct.account_id, m.group("name"))
    with ctx.state.lock:
        items = [e for e in acct.event_source_mappings
                 if (arn is None or e["FunctionArn"] == arn) and
                 (source is None or e["EventSourceArn"] == source)]
    # Lambda caps this list at 100 a page whatever MaxItems says.
    page, marker = _page(ctx, items, min(_max_items(ctx, 10000), 100))
    out = {"EventSourceMappings": page}
    if marker:
        out["NextMarker"] = marker
    return json_response(out)


def get_function_concurrency(ctx, args):
    rec = resolve(ctx, args[0])
    return json_response(rec.get("Concurrency") or {})


# (method, regex over the raw path) -> handler; groups are path labels.
ROUTES = [
    ("GET", re.compile(r"^/2015-03-31/functions/?$"), list_functions),
    ("GET", re.compile(r"^/2015-03-31/functions/([^/]+)/?$"), get_function),
    ("GET", re.compile(r"^/2015-03-31/functions/([^/]+)/configuration/?$"),
     get_function_configuration),
    ("PUT", re.compile(r"^/2015-03-31/functions/([^/]+)/code/?$"),
     update_function_code),
    ("PUT", re.compile(r"^/2015-03-31/functions/([^/]+)/configuration/?$"),
     update_function_configuration),
    ("POST", re.compile(r"^/2015-03-31/functions/([^/]+)/invocations/?$"),
     invoke),
    ("GET", re.compile(r"^/2018-10-31/layers/([^/]+)/versions/?$"),
     list_layer_versions),
    ("POST", re.compile(r"^/2018-10-31/layers/([^/]+)/versions/?$"),
     publish_layer_version),
    ("GET", re.compile(r"^/2018-10-31/layers/([^/]+)/versions/([^/]+)/?$"),
     get_layer_version),
    ("GET", re.compile(r"^/2018-10-31/layers/?$"), list_layers),
    ("GET", re.compile(r"^/2015-03-31/event-source-mappings/?$"),
     list_event_source_mappings),
    ("GET", re.compile(r"^/2019-09-30/functions/([^/]+)/concurrency/?$"),
     get_function_concurrency),
]


def operation_name(handler):
    return "".join(p.capitalize() for p in handler.__name__.split("_"))


def find(method, path):
    """(handler, args) for a request, or (None, None)."""
    for m, rx, handler in ROUTES:
        match = rx.match(path)
        if match and m == method:
            return handler, match.groups()
    return None, None


def unknown_operation():
    return AwsError(404, "UnknownOperationException", "Unknown operation")
