"""Lambda PublishLayerVersion (POST /2018-10-31/layers/NAME/versions).

A new version of the caller's layer from Content.ZipFile or
Content.S3Bucket/S3Key; ListLayerVersions, ListLayers, GetLayerVersion and
UpdateFunctionConfiguration's Layers see it at once.
"""

import re
from urllib.parse import unquote

from . import lambda_cycle, lambda_zip
from .errors import AwsError
from .lambda_config import RUNTIMES
from .lambda_cycle import validation

LAYER_NAME = re.compile(r"^(?:arn:[a-zA-Z0-9-]+:lambda:"
                        r"(?P<region>[a-zA-Z0-9-]+):(?P<account>\d{12}):"
                        r"layer:)?(?P<name>[a-zA-Z0-9-_]+)$")
ARCHITECTURES = ("x86_64", "arm64")


def _check(doc):
    for key, field, most in (("Description", "description", 256),
                             ("LicenseInfo", "licenseInfo", 512)):
        if doc.get(key) is not None and len(doc[key]) > most:
            raise validation(field, doc[key], "Member must have length "
                             "less than or equal to %d" % most)
    for key, field, allowed, most in (
            ("CompatibleRuntimes", "compatibleRuntimes", RUNTIMES, 15),
            ("CompatibleArchitectures", "compatibleArchitectures",
             ARCHITECTURES, 2)):
        items = doc.get(key)
        if items is not None and (len(items) > most or
                                  any(x not in allowed for x in items)):
            raise validation(field, "[%s]" % ", ".join(items),
                             "Member must have length less than or equal "
                             "to %d, Member must satisfy enum value set: "
                             "[%s]" % (most, ", ".join(allowed)))
    content = doc.get("Content")
    if not isinstance(content, dict):
        raise validation("content", None, "Member must not be null")
    return content


def publish_layer_version(ctx, args):
    from .lambda_ import get_layer_version  # lambda_ routes here
    lambda_zip.check_request_size(ctx, "PublishLayerVersion")
    doc = lambda_cycle.json_body(ctx)
    acct = ctx.caller.account
    label = unquote(args[0])
    m = LAYER_NAME.match(label)
    if not m or len(label) > 140:
        raise validation("layerName", label, "Member must satisfy regular "
                         "expression pattern: (arn:[a-zA-Z0-9-]+:lambda:"
                         "[a-zA-Z0-9-]+:\\d{12}:layer:[a-zA-Z0-9-_]+)|"
                         "[a-zA-Z0-9-_]+")
    name = m.group("name")
    layer_arn = "arn:aws:lambda:%s:%s:layer:%s" % (ctx.state.region,
                                                   acct.account_id, name)
    if (m.group("account") and m.group("account") != acct.account_id) or \
            (m.group("region") and m.group("region") != ctx.state.region):
        raise AwsError(403, "AccessDeniedException", "User: %s is not "
                       "authorized to perform: lambda:PublishLayerVersion on "
                       "resource: %s" % (acct.user_arn(), label))
    content = _check(doc)
    package = lambda_zip.read(ctx, content)
    with ctx.state.lock:
        version = 1 + max([v["Version"] for v in acct.layer_versions
                           if v["LayerName"] == name] or [0])
        record = {"LayerName": name, "LayerArn": layer_arn,
                  "LayerVersionArn": "%s:%d" % (layer_arn, version),
                  "Version": version,
                  "CreatedDate": lambda_cycle.last_modified(),
                  "Content": {"CodeSha256": package.sha256,
                              "CodeSize": package.size}}
        for key in ("Description", "CompatibleRuntimes",
                    "CompatibleArchitectures", "LicenseInfo"):
            if doc.get(key) is not None:
                record[key] = doc[key]
        acct.layer_versions.append(record)
        acct.layer_unzipped[record["LayerVersionArn"]] = package.unzipped
        acct.layer_code[record["LayerVersionArn"]] = lambda_zip.save(
            ctx, package)
    # The answer is GetLayerVersion's, with 201 Created.
    resp = get_layer_version(ctx, (name, str(version)))
    resp.status = 201
    return resp
