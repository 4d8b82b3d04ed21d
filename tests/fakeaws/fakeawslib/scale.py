"""The functions scale knob (POST /_fakeaws/lambda/scale) for benches.

Adds N functions to an environment, each as a team-made function would
be: newest layer versions pinned, its own log group with 14-day retention
and a subscription filter, an ENABLED schedule rule targeting it, and the
errors / throttles / duration alarms `dlc new`'s Terraform names. So an
audit of them all passes, and the bench measures reading, not findings.
Deterministic: the same count gives the same names and settings.
"""

import json

from .cloudwatch_seed import standard_alarms
from .errors import json_response
from .logstore import now_ms

def _newest_layers(acct):
    newest = {}
    for v in acct.layer_versions:
        if v["Version"] > newest.get(v["LayerName"], {}).get("Version", 0):
            newest[v["LayerName"]] = v
    return [{"Arn": v["LayerVersionArn"], "CodeSize": v["Content"]["CodeSize"]}
            for _, v in sorted(newest.items())
            if "python3.12" in v.get("CompatibleRuntimes", ["python3.12"])]


def _function(acct, region, name, i, layers):
    arn = "arn:aws:lambda:%s:%s:function:%s" % (region, acct.account_id,
                                                name)
    return {"Configuration": {
        "FunctionName": name, "FunctionArn": arn, "Runtime": "python3.12",
        "Role": "arn:aws:iam::%s:role/datalake-%s-lambda-%s" % (
            acct.account_id, acct.environment, name),
        "Handler": "lambda_function.lambda_handler",
        "CodeSize": 2000 + i, "Description": "Scale function %d" % i,
        "Timeout": 900, "MemorySize": 512,
        "LastModified": "2026-11-02T10:%02d:%02d.000+0000" % (
            i // 60 % 60, i % 60),
        "CodeSha256": "c2NhbGUtZnVuY3Rpb24t%04dAAAAAAAAAAAAAAAAAAAA=" % (
            i % 10000),
        "Version": "$LATEST",
        "Environment": {"Variables": {"ENVIRONMENT": acct.environment}},
        "TracingConfig": {"Mode": "PassThrough"},
        "RevisionId": "00000000-0000-4000-9000-%012d" % i,
        "State": "Active", "LastUpdateStatus": "Successful",
        "PackageType": "Zip", "Architectures": ["x86_64"],
        "EphemeralStorage": {"Size": 512}, "Layers": list(layers),
        "LoggingConfig": {"LogFormat": "Text",
                          "LogGroup": "/aws/lambda/" + name}},
        "Tags": {"team": "datalake", "environment": acct.environment,
                 "managed-by": "dlc", "scale": "true"}}


def add_functions(state, acct, count, prefix="scale", alarms=True):
    """Adds count functions datalake-ENV-PREFIX-NNNN (and their log
    groups, filters, rules, alarms); returns their names. Existing names
    are left as they are, so asking twice adds nothing twice."""
    region = state.region
    env = acct.environment
    names = []
    with state.lock:
        layers = _newest_layers(acct)
        for i in range(1, count + 1):
            name = "datalake-%s-%s-%04d" % (env, prefix, i)
            names.append(name)
            if name in acct.functions:
                continue
            acct.functions[name] = _function(acct, region, name, i, layers)
            arn = acct.functions[name]["Configuration"]["FunctionArn"]
            with state.logs.lock:
                group = state.logs.group(acct.account_id,
                                         "/aws/lambda/" + name, True,
                                         now_ms())
                group.retention = 14
                group.filters[name + "-logs"] = {
                    "filterName": name + "-logs",
                    "logGroupName": group.name, "filterPattern": "",
                    "destinationArn": "arn:aws:kinesis:%s:%s:stream/"
                    "datalake-%s-log-aggregation" % (region,
                                                     acct.account_id, env),
                    "roleArn": "arn:aws:iam::%s:role/datalake-%s-cwl-to-"
                    "kinesis" % (acct.account_id, env),
                    "distribution": "ByLogStream",
                    "creationTime": group.creation_time}
            acct.rules.append({
                "Name": name + "-schedule",
                "Arn": "arn:aws:events:%s:%s:rule/%s-schedule" % (
                    region, acct.account_id, name),
                "ScheduleExpression": "rate(1 hour)", "State": "ENABLED",
                "Description": "Scale function %d every hour" % i,
                "EventBusName": "default",
                "Targets": [{"Id": "lambda", "Arn": arn}]})
            if alarms:
                acct.alarms.extend(standard_alarms(acct, name, 900))
    return names


def admin(server, ctx, account_of):
    """POST /_fakeaws/lambda/scale {"account": ENV, "count": N,
    "prefix": "scale", "alarms": true} -> {"account", "functions": [...]}."""
    try:
        doc = json.loads(ctx.body or b"{}")
        if not isinstance(doc, dict):
            raise ValueError("body must be a JSON object")
        count = doc.get("count")
        if not isinstance(count, int) or isinstance(count, bool) or \
                not 0 <= count <= 10000:
            raise ValueError("count must be an integer 0..10000")
        prefix = doc.get("prefix", "scale")
        if not isinstance(prefix, str) or not prefix.replace("-", "").isalnum():
            raise ValueError("prefix must be letters, digits and '-'")
        acct = server.state.accounts[account_of(server, doc)]
        names = add_functions(server.state, acct, count, prefix,
                              bool(doc.get("alarms", True)))
    except (ValueError, KeyError, TypeError) as e:
        return json_response({"error": "bad lambda/scale body: %s" % e}, 400)
    return json_response({"account": acct.account_id, "functions": names})
