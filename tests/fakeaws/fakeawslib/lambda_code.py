"""Lambda UpdateFunctionCode (PUT /2015-03-31/functions/NAME/code).

The zip comes base64 in the JSON (ZipFile) or from the fake's own S3
store (S3Bucket/S3Key); CodeSha256 is base64 of the SHA-256 of its bytes.
The answer is the FunctionConfiguration with LastUpdateStatus InProgress;
lambda_cycle settles it later.
"""

import copy

from . import lambda_cycle, lambda_zip
from .errors import json_response


def layers_unzipped(acct, cfg):
    """The unzipped bytes of a function's layers that the fake knows."""
    return sum(acct.layer_unzipped.get(layer["Arn"], 0)
               for layer in cfg.get("Layers", []))


def check_total(unzipped):
    if unzipped > lambda_zip.UNZIPPED_MAX:
        raise lambda_zip.invalid(
            "Function code combined with layers exceeds the maximum "
            "allowed size of %d bytes. The actual size is %d bytes."
            % (lambda_zip.UNZIPPED_MAX, unzipped))


def publish_version(rec, cfg):
    """Publish=true: a numbered snapshot of $LATEST, as the answer."""
    versions = rec.setdefault("_versions", [])
    snap = copy.deepcopy(cfg)
    snap["Version"] = str(len(versions) + 1)
    snap["FunctionArn"] = cfg["FunctionArn"] + ":" + snap["Version"]
    versions.append(snap)
    return snap


def update_function_code(ctx, args):
    from .lambda_ import resolve  # lambda_ routes here: import late
    lambda_zip.check_request_size(ctx, "UpdateFunctionCode")
    doc = lambda_cycle.json_body(ctx)
    rec = resolve(ctx, args[0])
    acct = ctx.caller.account
    cfg = rec["Configuration"]
    if doc.get("ImageUri") is not None:
        raise lambda_zip.invalid("Please don't provide ImageUri when "
                                 "updating a function with packageType Zip.")
    arch = doc.get("Architectures")
    if arch is not None and (not isinstance(arch, list) or len(arch) != 1 or
                             arch[0] not in ("x86_64", "arm64")):
        raise lambda_cycle.validation(
            "architectures", "[%s]" % ", ".join(map(str, arch or [])),
            "Member must have length less than or equal to 1, Member must "
            "satisfy enum value set: [x86_64, arm64]")
    package = lambda_zip.read(ctx, doc)
    with ctx.state.lock:
        check_total(package.unzipped + layers_unzipped(acct, cfg))
        if doc.get("DryRun"):
            # Validated, nothing changed: the answer shows what would be.
            out = copy.deepcopy(cfg)
            out.update(CodeSha256=package.sha256, CodeSize=package.size)
            return json_response(out)
        lambda_cycle.check_can_update(rec, doc)
        cfg["CodeSha256"] = package.sha256
        cfg["CodeSize"] = package.size
        if arch:
            cfg["Architectures"] = list(arch)
        rec["_unzipped"] = package.unzipped
        rec["_code_file"] = lambda_zip.save(ctx, package)
        lambda_cycle.start_update(ctx, acct, rec)
        out = publish_version(rec, cfg) if doc.get("Publish") else cfg
        return json_response(copy.deepcopy(out))
