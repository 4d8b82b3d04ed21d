"""Lambda UpdateFunctionConfiguration (PUT .../functions/NAME/configuration).

Checks what Lambda checks before it starts (model constraints as
ValidationException, service rules as InvalidParameterValueException),
then applies the fields and runs the same InProgress cycle as a code
update (lambda_cycle).
"""

import copy
import json
import re

from . import lambda_code, lambda_cycle
from .errors import AwsError, json_response
from .lambda_cycle import validation
from .lambda_zip import invalid

LAYER_ARN = re.compile(r"^arn:[a-zA-Z0-9-]+:lambda:[a-zA-Z0-9-]+:\d{12}:"
                       r"layer:[a-zA-Z0-9-_]+:[0-9]+$")
ROLE_ARN = re.compile(r"^arn:(aws[a-zA-Z-]*)?:iam::\d{12}:role/?"
                      r"[a-zA-Z_0-9+=,.@\-_/]+$")
MAX_LAYERS = 5
ENV_MAX = 4096
# Lambda's runtimes today (the Debian 2.9 model's enum predates most).
RUNTIMES = ("nodejs18.x", "nodejs20.x", "nodejs22.x", "python3.9",
            "python3.10", "python3.11", "python3.12", "python3.13",
            "java8.al2", "java11", "java17", "java21", "dotnet8",
            "ruby3.2", "ruby3.3", "provided.al2", "provided.al2023")
# Fields stored as given: Lambda answers them back as sent.
AS_GIVEN = ("TracingConfig", "VpcConfig", "DeadLetterConfig", "KMSKeyArn",
            "EphemeralStorage", "SnapStart", "LoggingConfig", "ImageConfig",
            "FileSystemConfigs")


def _check_scalars(doc):
    timeout, memory = doc.get("Timeout"), doc.get("MemorySize")
    for name, value in (("Timeout", timeout), ("MemorySize", memory)):
        if value is not None and (not isinstance(value, int) or
                                  isinstance(value, bool)):
            raise AwsError(400, "InvalidRequestContentException",
                           "Could not parse request body into json: %s "
                           "is not an integer" % name)
    if timeout is not None and not 1 <= timeout <= 900:
        raise validation("timeout", timeout, "Member must have value "
                          "less than or equal to 900" if timeout > 900 else
                          "Member must have value greater than or equal to 1")
    if memory is not None and not 128 <= memory <= 10240:
        raise validation("memorySize", memory, "Member must have value "
                          "less than or equal to 10240" if memory > 10240
                          else "Member must have value greater than or "
                          "equal to 128")
    handler = doc.get("Handler")
    if handler is not None and (len(handler) > 128 or
                                not re.match(r"^[^\s]+$", handler)):
        raise validation("handler", handler, "Member must satisfy regular "
                          "expression pattern: [^\\s]+")
    desc = doc.get("Description")
    if desc is not None and len(desc) > 256:
        raise validation("description", desc, "Member must have length "
                          "less than or equal to 256")
    role = doc.get("Role")
    if role is not None and not ROLE_ARN.match(role):
        raise validation("role", role, "Member must satisfy regular "
                          "expression pattern: arn:(aws[a-zA-Z-]*)?:iam::"
                          "\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+")
    runtime = doc.get("Runtime")
    if runtime is not None and runtime not in RUNTIMES:
        raise invalid("Value %s at 'runtime' failed to satisfy constraint: "
                      "Member must satisfy enum value set: [%s] or be a "
                      "valid ARN" % (runtime, ", ".join(RUNTIMES)))
    env = doc.get("Environment")
    if env is not None:
        variables = env.get("Variables", {}) if isinstance(env, dict) else None
        if not isinstance(variables, dict) or not all(
                isinstance(v, str) for v in variables.values()):
            raise invalid("Environment.Variables must be a map of strings")
        measured = json.dumps(variables, separators=(",", ":"))
        if len(measured.encode()) > ENV_MAX:
            raise invalid("Lambda was unable to configure your environment "
                          "variables because the environment variables you "
                          "have provided exceeded the 4KB limit. String "
                          "measured: %s" % measured)


def _layers(acct, arns):
    """[{Arn, CodeSize}] for the layer version ARNs, as Lambda checks them."""
    if not isinstance(arns, list) or any(
            not isinstance(a, str) or not LAYER_ARN.match(a) or len(a) > 140
            for a in arns):
        raise validation("layers", "[%s]" % ", ".join(map(str, arns or [])),
                          "Member must satisfy constraint: [Member must have "
                          "length less than or equal to 140, Member must "
                          "have length greater than or equal to 1, Member "
                          "must satisfy regular expression pattern: "
                          "arn:[a-zA-Z0-9-]+:lambda:[a-zA-Z0-9-]+:\\d{12}:"
                          "layer:[a-zA-Z0-9-_]+:[0-9]+]")
    if len(arns) > MAX_LAYERS:
        raise invalid("Cannot reference more than %d layers." % MAX_LAYERS)
    known = {v["LayerVersionArn"]: v for v in acct.layer_versions}
    seen = set()
    out = []
    for arn in arns:
        v = known.get(arn)
        if v is None:
            raise invalid("Layer version %s does not exist." % arn)
        if v["LayerArn"] in seen:
            raise invalid("Two different versions of the same layer are not "
                          "allowed to be referenced in the same function. "
                          "%s" % arn)
        seen.add(v["LayerArn"])
        out.append({"Arn": arn, "CodeSize": v["Content"]["CodeSize"]})
    return out


def update_function_configuration(ctx, args):
    from .lambda_ import resolve  # lambda_ routes here: import late
    doc = lambda_cycle.json_body(ctx)
    rec = resolve(ctx, args[0])
    acct = ctx.caller.account
    _check_scalars(doc)
    with ctx.state.lock:
        cfg = rec["Configuration"]
        layers = None
        if "Layers" in doc:
            layers = _layers(acct, doc["Layers"])
            lambda_code.check_total(rec.get("_unzipped", 0) + sum(
                acct.layer_unzipped.get(x["Arn"], 0) for x in layers))
        lambda_cycle.check_can_update(rec, doc)
        for key in ("Role", "Handler", "Description", "Timeout",
                    "MemorySize", "Runtime") + AS_GIVEN:
            if doc.get(key) is not None:
                cfg[key] = copy.deepcopy(doc[key])
        if doc.get("Environment") is not None:
            cfg["Environment"] = {"Variables": dict(
                doc["Environment"].get("Variables", {}))}
        if layers is not None:
            if layers:
                cfg["Layers"] = layers
            else:
                cfg.pop("Layers", None)
        lambda_cycle.start_update(ctx, acct, rec)
        return json_response(copy.deepcopy(cfg))
