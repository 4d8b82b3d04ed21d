#!/usr/bin/env python3
"""Check fakeaws against the Debian aws CLI v2.9 (/usr/bin/aws).

The CLI is AWS's own client, so what it accepts here is what AWS sends and
expects on the wire: signing, paging, error shapes, retries.
"""

import json
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Checks, FakeAws, SKIP  # noqa: E402

AWS = "/usr/bin/aws"
ALPHA = ("AKIAFAKEALPHA0000001", "fakeAlphaSecretKey0000000000000000000001")
SANDBOX = ("AKIAFAKESANDBOX00001", "fakeSandboxSecretKey00000000000000000001")
START_URL = "https://datalake-demo.awsapps.com/start"
EXTRA = 120
SEEDED = 8   # functions per account in seed/*.json


class Cli:
    def __init__(self, url, home):
        self.url = url
        self.env = {"PATH": "/usr/bin:/bin", "HOME": home,
                    "AWS_CONFIG_FILE": os.path.join(home, "config"),
                    "AWS_SHARED_CREDENTIALS_FILE": os.path.join(home, "creds"),
                    "AWS_DEFAULT_REGION": "eu-west-1", "AWS_PAGER": "",
                    "LC_ALL": "C.UTF-8"}

    def start(self, keys, *args):
        """The CLI as a running process (for a waiter to watch)."""
        env = dict(self.env)
        env["AWS_ACCESS_KEY_ID"], env["AWS_SECRET_ACCESS_KEY"] = keys
        return subprocess.Popen([AWS, "--endpoint-url", self.url] +
                                list(args), env=env, text=True,
                                stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE)

    def run(self, keys, *args, token=None, extra_env=None):
        env = dict(self.env)
        if keys:
            # A failed earlier step can leave None here: pass a placeholder
            # so this check fails on its own instead of crashing the run.
            env["AWS_ACCESS_KEY_ID"], env["AWS_SECRET_ACCESS_KEY"] = (
                k or "missing" for k in keys)
        if token:
            env["AWS_SESSION_TOKEN"] = token
        env.update(extra_env or {})
        p = subprocess.run([AWS, "--endpoint-url", self.url, "--output",
                            "json"] + list(args), env=env,
                           capture_output=True, text=True, timeout=60)
        out = None
        if p.returncode == 0 and p.stdout.strip():
            out = json.loads(p.stdout)
        return p.returncode, out, p.stderr


def main():
    t = Checks("test_with_aws_cli")
    if not os.access(AWS, os.X_OK):
        print("*** SKIPPED: %s is missing; install the Debian awscli "
              "package to check fakeaws against AWS's own client ***" % AWS)
        t.skip("all", "no %s" % AWS)
        return t.finish()
    with tempfile.TemporaryDirectory() as home, \
            FakeAws("--extra-functions", str(EXTRA), "--fault-seed",
                    "4") as fa:
        cli = Cli(fa.url, home)
        run_checks(t, cli, fa)
    with tempfile.TemporaryDirectory() as home, \
            FakeAws("--clock-skew", "-1200") as fa:
        check_clock_skew(t, Cli(fa.url, home))
    return t.finish()


def check_clock_skew(t, cli):
    # fakeaws's clock 20 minutes behind: AWS's own client, with a right
    # clock, gets what AWS answers a client 20 minutes fast.
    rc, out, err = cli.run(ALPHA, "lambda", "list-functions")
    t.check("--clock-skew -1200: lambda says Signature not yet current",
            rc != 0 and "InvalidSignatureException" in err and
            "Signature not yet current" in err, err)
    rc, out, err = cli.run(ALPHA, "sts", "get-caller-identity")
    t.check("--clock-skew -1200: sts says Signature not yet current",
            rc != 0 and "SignatureDoesNotMatch" in err and
            "Signature not yet current" in err, err)


def run_checks(t, cli, fa):
    # STS with static keys, then with assumed-role credentials.
    rc, out, err = cli.run(ALPHA, "sts", "get-caller-identity")
    t.equal("sts get-caller-identity", (rc, out and out["Arn"]),
            (0, "arn:aws:iam::111111111111:user/dlc-demo"))
    rc, out, err = cli.run(ALPHA, "sts", "assume-role", "--role-arn",
                           "arn:aws:iam::111111111111:role/DataLakeDeployer",
                           "--role-session-name", "cli-test",
                           "--duration-seconds", "14400")
    creds = (out or {}).get("Credentials", {})
    t.check("sts assume-role", rc == 0 and
            "FAKE" in creds.get("AccessKeyId", "") and
            creds["AccessKeyId"].startswith("ASIA"), err)
    temp = (creds.get("AccessKeyId"), creds.get("SecretAccessKey"))
    rc, out, err = cli.run(temp, "sts", "get-caller-identity",
                           token=creds.get("SessionToken"))
    t.equal("get-caller-identity with assumed role", out and out["Arn"],
            "arn:aws:sts::111111111111:assumed-role/DataLakeDeployer/"
            "cli-test")
    rc, out, err = cli.run(temp, "sts", "get-caller-identity")
    t.check("assumed key without its token is refused",
            rc != 0 and "InvalidClientTokenId" in err, err)
    rc, out, err = cli.run(temp, "sts", "assume-role", "--role-arn",
                           "arn:aws:iam::111111111111:role/DataLakeReadOnly",
                           "--role-session-name", "chained",
                           "--duration-seconds", "7200",
                           token=creds.get("SessionToken"))
    t.check("role chaining over 1 hour: ValidationError",
            rc != 0 and "(ValidationError)" in err and "chaining" in err, err)
    rc, out, err = cli.run(ALPHA, "sts", "assume-role", "--role-arn",
                           "arn:aws:iam::111111111111:role/NoSuchRole",
                           "--role-session-name", "x1")
    t.check("assume-role on an unknown role: AccessDenied",
            rc != 0 and "(AccessDenied)" in err and
            "is not authorized to perform: sts:AssumeRole" in err, err)

    # Lambda: paging through 2 full pages and one partial, by name and ARN.
    fa.admin("DELETE", "requests")
    rc, out, err = cli.run(ALPHA, "lambda", "list-functions")
    names = [f["FunctionName"] for f in (out or {}).get("Functions", [])]
    t.equal("lambda list-functions pages to the seed's count",
            (rc, len(names), len(set(names))),
            (0, SEEDED + EXTRA, SEEDED + EXTRA))
    pages = [r for r in fa.requests() if r["operation"] == "ListFunctions"]
    t.equal("list-functions took 3 pages of at most 50", len(pages), 3)
    fn = "datalake-alpha-quicksight-authors-datasets-to-s3-curated"
    rc, out, err = cli.run(ALPHA, "lambda", "get-function",
                           "--function-name", fn)
    t.check("lambda get-function", rc == 0 and
            out["Configuration"]["FunctionName"] == fn and
            out["Code"]["RepositoryType"] == "S3" and
            out["Configuration"]["Layers"][0]["Arn"].endswith(
                ":layer:datalake-alpha-aws-wrangler:3"), err)
    arn = "arn:aws:lambda:eu-west-1:222222222222:function:" \
          "datalake-sandbox-mambu-to-s3-raw"
    rc, out, err = cli.run(SANDBOX, "lambda", "get-function-configuration",
                           "--function-name", arn)
    t.check("get-function-configuration by ARN (double-encoded path)",
            rc == 0 and out["FunctionArn"] == arn and
            out["LastModified"].endswith("+0000"), err)
    rc, out, err = cli.run(SANDBOX, "lambda", "get-function-configuration",
                           "--function-name", "legacy-export-job",
                           "--qualifier", "$LATEST")
    t.check("get-function-configuration by name with $LATEST",
            rc == 0 and out["Runtime"] == "python3.7", err)
    rc, out, err = cli.run(ALPHA, "lambda", "get-function",
                           "--function-name", "datalake-alpha-nope")
    t.check("unknown function: ResourceNotFoundException",
            rc != 0 and "(ResourceNotFoundException)" in err and
            "Function not found: arn:aws:lambda:eu-west-1:111111111111:"
            "function:datalake-alpha-nope" in err, err)

    rc, out, err = cli.run(ALPHA, "lambda", "list-layer-versions",
                           "--layer-name", "datalake-alpha-aws-wrangler")
    t.equal("lambda list-layer-versions",
            (rc, [v["Version"] for v in (out or {}).get("LayerVersions",
                                                         [])]),
            (0, [3, 2, 1]))

    # Signature and key failures, with each protocol's codes.
    bad = (ALPHA[0], "wrong" + ALPHA[1][5:])
    rc, out, err = cli.run(bad, "lambda", "list-functions")
    t.check("wrong secret, Lambda: InvalidSignatureException",
            rc != 0 and "(InvalidSignatureException)" in err and
            "does not match the signature you provided" in err, err)
    rc, out, err = cli.run(bad, "sts", "get-caller-identity")
    t.check("wrong secret, STS: SignatureDoesNotMatch",
            rc != 0 and "(SignatureDoesNotMatch)" in err, err)
    unknown = ("AKIAFAKEUNKNOWN00001", ALPHA[1])
    rc, out, err = cli.run(unknown, "lambda", "list-functions")
    t.check("unknown key, Lambda: UnrecognizedClientException",
            rc != 0 and "(UnrecognizedClientException)" in err and
            "The security token included in the request is invalid" in err,
            err)
    rc, out, err = cli.run(unknown, "sts", "get-caller-identity")
    t.check("unknown key, STS: InvalidClientTokenId",
            rc != 0 and "(InvalidClientTokenId)" in err, err)

    # SSO-OIDC device flow, then the portal.
    rc, out, err = cli.run(None, "sso-oidc", "register-client",
                           "--client-name", "dlc-test", "--client-type",
                           "public")
    client = out or {}
    t.check("sso-oidc register-client", rc == 0 and client.get("clientId")
            and client["clientSecretExpiresAt"] - client["clientIdIssuedAt"]
            == 90 * 86400, err)
    rc, out, err = cli.run(None, "sso-oidc", "start-device-authorization",
                           "--client-id", client.get("clientId", "x"),
                           "--client-secret", client.get("clientSecret", "x"),
                           "--start-url", START_URL)
    device = out or {}
    t.check("sso-oidc start-device-authorization",
            rc == 0 and device.get("expiresIn") == 600 and
            len(device.get("userCode", "")) == 9, err)
    token_args = ["sso-oidc", "create-token", "--client-id",
                  client.get("clientId", "x"), "--client-secret",
                  client.get("clientSecret", "x"), "--grant-type",
                  "urn:ietf:params:oauth:grant-type:device_code",
                  # A device code may begin with "-"; the CLI's argparse
                  # would take it for an option unless it is joined.
                  "--device-code=" + device.get("deviceCode", "x")]
    rc, out, err = cli.run(None, *token_args)
    t.check("create-token before approval: AuthorizationPendingException",
            rc != 0 and "AuthorizationPendingException" in err, err)
    rc, out, err = cli.run(None, *token_args)
    token = (out or {}).get("accessToken", "")
    t.check("create-token after approval", rc == 0 and token and
            out["expiresIn"] == 28800 and out["tokenType"] == "Bearer", err)
    rc, out, err = cli.run(None, "sso", "get-role-credentials",
                           "--role-name", "DataLakeDeveloper",
                           "--account-id", "222222222222",
                           "--access-token", token or "x")
    rcreds = (out or {}).get("roleCredentials", {})
    t.check("sso get-role-credentials (expiration in ms)",
            rc == 0 and rcreds.get("expiration", 0) > 10 ** 12, err)
    rc, out, err = cli.run((rcreds.get("accessKeyId"),
                            rcreds.get("secretAccessKey")),
                           "sts", "get-caller-identity",
                           token=rcreds.get("sessionToken"))
    t.check("get-caller-identity with SSO role credentials",
            rc == 0 and out["Arn"].startswith(
                "arn:aws:sts::222222222222:assumed-role/"
                "AWSReservedSSO_DataLakeDeveloper_"), err)
    fa.admin("POST", "sso/expire")
    rc, out, err = cli.run(None, "sso", "get-role-credentials",
                           "--role-name", "DataLakeDeveloper",
                           "--account-id", "222222222222",
                           "--access-token", token or "x")
    t.check("expired SSO token: UnauthorizedException",
            rc != 0 and "UnauthorizedException" in err, err)
    fa.admin("POST", "credentials/expire")
    rc, out, err = cli.run(temp, "sts", "get-caller-identity",
                           token=creds.get("SessionToken"))
    t.check("expired assumed-role credentials: ExpiredToken",
            rc != 0 and "(ExpiredToken)" in err, err)

    check_lambda_details(t, cli)
    check_events(t, cli)
    check_logs(t, cli, fa)
    check_alarms(t, cli)
    check_cloudwatch(t, cli, fa)
    check_s3(t, cli, fa)
    check_update_code(t, cli, fa)
    check_update_config(t, cli, fa)
    check_publish_layer(t, cli, fa)
    check_invoke(t, cli, fa)
    check_dynamodb(t, cli, fa)

    # Throttling: the CLI's standard retries must carry it through.
    fa.admin("POST", "faults", {"spec": "throttle=0.3", "seed": 4})
    fa.admin("DELETE", "requests")
    rc, out, err = cli.run(ALPHA, "lambda", "list-functions",
                           extra_env={"AWS_MAX_ATTEMPTS": "5"})
    fa.admin("POST", "faults", {"spec": ""})
    got = len((out or {}).get("Functions", []))
    log = fa.requests()
    throttled = [r for r in log if r["status"] == 429]
    t.check("list-functions completes under throttle=0.3",
            rc == 0 and got == SEEDED + EXTRA, err)
    t.check("and was throttled on the way",
            len(throttled) >= 1 and
            all(r.get("fault") == "throttle" for r in throttled),
            json.dumps(log)[:400])


def check_lambda_details(t, cli):
    rc, out, err = cli.run(ALPHA, "lambda", "list-layer-versions",
                           "--layer-name", "datalake-alpha-aws-wrangler",
                           "--max-items", "2", "--page-size", "1")
    t.check("lambda list-layer-versions pages newest first",
            rc == 0 and [v["Version"] for v in out["LayerVersions"]] ==
            [3, 2] and out.get("NextToken"), err or out)
    rc, out, err = cli.run(ALPHA, "lambda", "get-layer-version",
                           "--layer-name", "datalake-alpha-flattenjson",
                           "--version-number", "1")
    t.check("lambda get-layer-version",
            rc == 0 and out["LayerVersionArn"].endswith("flattenjson:1") and
            out["Content"]["CodeSize"] > 0, err or out)
    rc, out, err = cli.run(ALPHA, "lambda", "list-event-source-mappings",
                           "--function-name",
                           "datalake-alpha-dynamo-sls-cards-to-s3-raw")
    maps = (out or {}).get("EventSourceMappings", [])
    # The CLI turns the epoch-seconds LastModified into an ISO time: proof
    # it was sent as the JSON number the model says.
    t.check("lambda list-event-source-mappings",
            rc == 0 and len(maps) == 1 and maps[0]["BatchSize"] == 100 and
            maps[0]["LastModified"].startswith("2026-01-01T00:00:00"),
            err or out)



def check_events(t, cli):
    arn = ("arn:aws:lambda:eu-west-1:222222222222:function:datalake-sandbox-"
           "quicksight-authors-datasets-to-s3-curated")
    rc, out, err = cli.run(SANDBOX, "events", "list-rule-names-by-target",
                           "--target-arn", arn)
    names = (out or {}).get("RuleNames", [])
    t.check("events list-rule-names-by-target", rc == 0 and len(names) == 1,
            err or out)
    rc, out, err = cli.run(SANDBOX, "events", "describe-rule", "--name",
                           names[0] if names else "none")
    t.check("events describe-rule",
            rc == 0 and out["ScheduleExpression"] == "cron(0 6 * * ? *)" and
            out["State"] == "ENABLED", err or out)



def check_logs(t, cli, fa):
    group = "/aws/lambda/datalake-alpha-salesforce-cases-to-s3-raw"
    rc, out, err = cli.run(ALPHA, "logs", "describe-log-groups",
                           "--log-group-name-prefix", "/aws/lambda/datalake-",
                           "--page-size", "3")
    t.check("logs describe-log-groups pages through all groups",
            rc == 0 and len(out["logGroups"]) == 7 and
            out["logGroups"][0]["arn"].endswith(":*"), err or out)
    rc, out, err = cli.run(ALPHA, "logs", "describe-log-streams",
                           "--log-group-name", group, "--order-by",
                           "LastEventTime", "--descending", "--max-items",
                           "1")
    streams = (out or {}).get("logStreams", [])
    t.check("logs describe-log-streams newest first",
            rc == 0 and len(streams) == 1 and "[$LATEST]" in
            streams[0]["logStreamName"], err or out)
    now = int(time.time() * 1000)
    lines = ["put %d: %s" % (i, "ERROR fail" if i % 3 == 0 else "INFO ok")
             for i in range(6)]
    rc, _, err = cli.run(ALPHA, "logs", "create-log-stream",
                         "--log-group-name", group, "--log-stream-name",
                         "cli-test")
    events = [{"timestamp": now - 6 + i, "message": m}
              for i, m in enumerate(lines)]
    rc2, out, err2 = cli.run(ALPHA, "logs", "put-log-events",
                             "--log-group-name", group, "--log-stream-name",
                             "cli-test", "--log-events", json.dumps(events))
    back = fa.admin("GET", "logs/written?group=" + group)["events"]
    t.check("logs create-log-stream + put-log-events, read back",
            rc == 0 and rc2 == 0 and out.get("nextSequenceToken") and
            [e["message"] for e in back] == lines, err + err2)
    rc, out, err = cli.run(ALPHA, "logs", "filter-log-events",
                           "--log-group-name", group, "--log-stream-names",
                           "cli-test", "--page-size", "2", "--max-items",
                           "5")
    got = [e["message"] for e in (out or {}).get("events", [])]
    t.check("logs filter-log-events pages (--page-size 2, --max-items 5)",
            rc == 0 and got == lines[:5] and out.get("NextToken") and
            all(e["eventId"] for e in out["events"]), err or out)
    rc, out, err = cli.run(ALPHA, "logs", "filter-log-events",
                           "--log-group-name", group, "--log-stream-names",
                           "cli-test", "--filter-pattern", 'ERROR -"put 3"',
                           "--start-time", str(now - 60000))
    t.check("logs filter-log-events with a pattern",
            rc == 0 and [e["message"] for e in out["events"]] ==
            [lines[0]], err or out)
    rc, out, err = cli.run(ALPHA, "logs", "get-log-events",
                           "--log-group-name", group, "--log-stream-name",
                           "cli-test", "--start-from-head", "--limit", "4")
    t.check("logs get-log-events from the head",
            rc == 0 and [e["message"] for e in out["events"]] ==
            lines[:4] and out["nextForwardToken"].startswith("f/"),
            err or out)
    p = subprocess.run([AWS, "--endpoint-url", cli.url, "logs", "tail",
                        group, "--since", "1h", "--format", "short"],
                       env=dict(cli.env, AWS_ACCESS_KEY_ID=ALPHA[0],
                                AWS_SECRET_ACCESS_KEY=ALPHA[1]),
                       capture_output=True, text=True, timeout=60)
    printed = p.stdout.splitlines()
    t.check("logs tail --since 1h prints the history and the put events",
            p.returncode == 0 and len(printed) > 100 and
            all(any(line.endswith(m) for line in printed) for m in lines)
            and any("REPORT RequestId: " in line for line in printed),
            p.stderr or printed[-5:])



def check_alarms(t, cli):
    rc, out, err = cli.run(SANDBOX, "cloudwatch", "describe-alarms",
                           "--state-value", "ALARM", "--alarm-types",
                           "MetricAlarm", "CompositeAlarm")
    metric = [a["AlarmName"] for a in (out or {}).get("MetricAlarms", [])]
    comp = [a["AlarmName"] for a in (out or {}).get("CompositeAlarms", [])]
    t.check("cloudwatch describe-alarms --state-value ALARM",
            rc == 0 and metric == [
                "datalake-sandbox-dynamo-sls-cards-to-s3-raw-errors"] and
            comp == [] and out["MetricAlarms"][0]["Threshold"] == 0.0 and
            0 < time.time() - _epoch(out["MetricAlarms"][0][
                "StateTransitionedTimestamp"]) < 3600, err or out)


def _epoch(text):
    from datetime import datetime
    return datetime.fromisoformat(text).timestamp()


RECON = "datalake-alpha-mambu-datalake-reconciliation"


def _logged(fa, operation, want):
    """The request log's entries for operation, once it holds want of them
    (fakeaws logs a request after answering it)."""
    for _ in range(50):
        got = [r for r in fa.requests() if r["operation"] == operation]
        if len(got) >= want:
            return got
        time.sleep(0.05)
    return got


def _mdq(qid, fn, metric="Invocations", stat="Sum", period=3600,
         ns="AWS/Lambda", dims=None):
    dims = dims if dims is not None else [{"Name": "FunctionName",
                                           "Value": fn}]
    return {"Id": qid, "MetricStat": {"Metric": {
        "Namespace": ns, "MetricName": metric, "Dimensions": dims},
        "Period": period, "Stat": stat}}


def _iso(t):
    from datetime import datetime, timezone
    return datetime.fromtimestamp(t, timezone.utc).strftime(
        "%Y-%m-%dT%H:%M:%SZ")


def check_cloudwatch(t, cli, fa):
    """Every CloudWatch operation fakeaws serves, through AWS's client."""
    # describe-alarms: the CLI follows NextToken; --page-size sets
    # MaxRecords, --max-items stops early and hands back a token.
    fa.admin("DELETE", "requests")
    rc, out, err = cli.run(ALPHA, "cloudwatch", "describe-alarms",
                           "--page-size", "4")
    seen = [a["AlarmName"] for a in (out or {}).get("MetricAlarms", [])]
    t.equal("describe-alarms --page-size 4: all 25 metric alarms",
            (rc, len(seen), len(set(seen))), (0, 25, 25))
    t.equal("...in 7 DescribeAlarms requests",
            len(_logged(fa, "DescribeAlarms", 7)), 7)
    rc, out, err = cli.run(ALPHA, "cloudwatch", "describe-alarms",
                           "--max-items", "5", "--page-size", "2",
                           "--alarm-types", "MetricAlarm", "CompositeAlarm")
    first = [a["AlarmName"] for a in (out or {}).get("MetricAlarms", [])]
    rc2, out2, err2 = cli.run(ALPHA, "cloudwatch", "describe-alarms",
                              "--max-items", "5", "--page-size", "2",
                              "--alarm-types", "MetricAlarm",
                              "CompositeAlarm", "--starting-token",
                              (out or {}).get("NextToken", "none"))
    second = [a["AlarmName"] for a in (out2 or {}).get("MetricAlarms", [])]
    t.check("describe-alarms --max-items 5 then --starting-token: the next "
            "5", rc == 0 and rc2 == 0 and len(first) == 5 and
            len(second) == 5 and first[-1] < second[0], err or err2)
    fa.admin("POST", "cloudwatch/alarms", {"account": "alpha",
                                           "page_size_cap": 3})
    rc, out, err = cli.run(ALPHA, "cloudwatch", "describe-alarms",
                           "--alarm-types", "MetricAlarm", "CompositeAlarm")
    t.equal("page_size_cap 3: the CLI still gets all 26 alarms",
            (rc, len((out or {}).get("MetricAlarms", [])) +
             len((out or {}).get("CompositeAlarms", []))), (0, 26))
    fa.admin("POST", "cloudwatch/alarms", {"account": "alpha",
                                           "page_size_cap": None})
    rc, out, err = cli.run(ALPHA, "cloudwatch", "describe-alarms",
                           "--alarm-name-prefix", RECON, "--state-value",
                           "ALARM")
    t.equal("describe-alarms --alarm-name-prefix --state-value ALARM",
            [a["AlarmName"] for a in (out or {}).get("MetricAlarms", [])],
            [RECON + "-errors"])

    # describe-alarm-history
    rc, out, err = cli.run(ALPHA, "cloudwatch", "describe-alarm-history",
                           "--alarm-name", RECON + "-errors",
                           "--history-item-type", "StateUpdate")
    items = (out or {}).get("AlarmHistoryItems", [])
    t.check("describe-alarm-history --history-item-type StateUpdate",
            rc == 0 and items and
            items[0]["HistorySummary"] == "Alarm updated from OK to ALARM"
            and all(i["HistoryItemType"] == "StateUpdate" for i in items) and
            json.loads(items[0]["HistoryData"])["newState"]["stateValue"] ==
            "ALARM", err or items[:1])
    rc, out, err = cli.run(ALPHA, "cloudwatch", "describe-alarm-history",
                           "--alarm-name", RECON + "-errors",
                           "--scan-by", "TimestampAscending",
                           "--page-size", "1")
    items = (out or {}).get("AlarmHistoryItems", [])
    t.check("describe-alarm-history --scan-by TimestampAscending, pages of "
            "1: oldest (the creation) first",
            rc == 0 and len(items) >= 4 and
            items[0]["HistoryItemType"] == "ConfigurationUpdate" and
            [i["Timestamp"] for i in items] ==
            sorted(i["Timestamp"] for i in items), err or items[:2])

    # get-metric-data: several queries in one call.
    now = time.time()
    end = now - now % 3600     # whole hours: the same numbers every call
    queries = [_mdq("inv", RECON), _mdq("err", RECON, "Errors"),
               _mdq("p99", RECON, "Duration", "p99"),
               _mdq("idle", "datalake-alpha-dynamo-customers-to-s3-raw"),
               _mdq("gen", "datalake-alpha-gen-0007", "Invocations",
                    "Maximum", 300)]
    fa.admin("DELETE", "requests")
    rc, out, err = cli.run(ALPHA, "cloudwatch", "get-metric-data",
                           "--metric-data-queries", json.dumps(queries),
                           "--start-time", _iso(end - 86400),
                           "--end-time", _iso(end))
    res = {r["Id"]: r for r in (out or {}).get("MetricDataResults", [])}
    t.check("get-metric-data, 5 queries: 24 hourly points, errors in the "
            "failing function, none for the idle one",
            rc == 0 and list(res) == ["inv", "err", "p99", "idle", "gen"]
            and len(res["inv"]["Values"]) == 24 and
            all(v > 0 for v in res["err"]["Values"]) and
            res["idle"]["Values"] == [] and
            res["inv"]["StatusCode"] == "Complete" and
            res["inv"]["Timestamps"][0] > res["inv"]["Timestamps"][-1],
            err or {k: v.get("Values", [])[:3] for k, v in res.items()})
    t.equal("...in one GetMetricData request",
            len(_logged(fa, "GetMetricData", 1)), 1)
    rc, out, err = cli.run(ALPHA, "cloudwatch", "get-metric-data",
                           "--metric-data-queries",
                           json.dumps(queries[:2]), "--start-time",
                           _iso(end - 86400), "--end-time", _iso(end),
                           "--page-size", "10",
                           "--scan-by", "TimestampAscending")
    got = {}
    for r in (out or {}).get("MetricDataResults", []):
        got.setdefault(r["Id"], []).extend(r["Values"])
    t.check("get-metric-data --page-size 10 (MaxDatapoints): the CLI "
            "follows NextToken to the same 48 points",
            rc == 0 and got.get("inv") == res["inv"]["Values"][::-1] and
            got.get("err") == res["err"]["Values"][::-1], err or got)
    t.equal("...in 5 GetMetricData requests",
            len(_logged(fa, "GetMetricData", 6)) - 1, 5)
    bad = [_mdq("a", RECON, stat="p1000")]
    rc, out, err = cli.run(ALPHA, "cloudwatch", "get-metric-data",
                           "--metric-data-queries", json.dumps(bad),
                           "--start-time", _iso(end - 3600),
                           "--end-time", _iso(end))
    t.check("get-metric-data with a bad stat: ValidationError",
            rc != 0 and "(ValidationError)" in err and "p1000" in err, err)

    # put-metric-data, then get-metric-data reads it back.
    stamp = now - now % 60 - 120
    rc, out, err = cli.run(ALPHA, "cloudwatch", "put-metric-data",
                           "--namespace", "Datalake/Freshness",
                           "--metric-data", json.dumps([
                               {"MetricName": "MinutesSinceLastObject",
                                "Dimensions": [{"Name": "Source",
                                                "Value": "cli"}],
                                "Timestamp": _iso(stamp), "Value": 17},
                               {"MetricName": "MinutesSinceLastObject",
                                "Dimensions": [{"Name": "Source",
                                                "Value": "cli"}],
                                "Timestamp": _iso(stamp), "Values": [3, 5],
                                "Counts": [1, 2]}]))
    t.equal("put-metric-data", (rc, err), (0, ""))
    q = [_mdq("f", None, "MinutesSinceLastObject", stat, 60,
              "Datalake/Freshness", [{"Name": "Source", "Value": "cli"}])
         for stat in ("Sum",)]
    q += [dict(_mdq("n", None, "MinutesSinceLastObject", "SampleCount", 60,
                    "Datalake/Freshness", [{"Name": "Source",
                                            "Value": "cli"}]))]
    rc, out, err = cli.run(ALPHA, "cloudwatch", "get-metric-data",
                           "--metric-data-queries", json.dumps(q),
                           "--start-time", _iso(stamp - 60),
                           "--end-time", _iso(stamp + 60))
    res = {r["Id"]: r["Values"] for r in
           (out or {}).get("MetricDataResults", [])}
    t.equal("...then get-metric-data reads the sum and count back",
            (rc, res), (0, {"f": [30.0], "n": [4.0]}))
    rc, out, err = cli.run(ALPHA, "cloudwatch", "put-metric-data",
                           "--namespace", "AWS/Lambda", "--metric-name",
                           "Errors", "--value", "1")
    t.check("put-metric-data into AWS/Lambda: InvalidParameterValue",
            rc != 0 and "(InvalidParameterValue)" in err, err)

    # set-alarm-state, then describe-alarms shows it.
    name = "datalake-alpha-quicksight-authors-datasets-to-s3-curated-errors"
    rc, out, err = cli.run(ALPHA, "cloudwatch", "set-alarm-state",
                           "--alarm-name", name, "--state-value", "ALARM",
                           "--state-reason", "set by the aws CLI test")
    rc2, out2, err2 = cli.run(ALPHA, "cloudwatch", "describe-alarms",
                              "--alarm-names", name)
    a = ((out2 or {}).get("MetricAlarms") or [{}])[0]
    t.check("set-alarm-state, then describe-alarms: ALARM since now",
            rc == 0 and a.get("StateValue") == "ALARM" and
            a.get("StateReason") == "set by the aws CLI test" and
            abs(_epoch(a["StateTransitionedTimestamp"]) - time.time()) < 30,
            err or err2 or a)
    rc, out, err = cli.run(ALPHA, "cloudwatch", "describe-alarm-history",
                           "--alarm-name", name, "--max-items", "1")
    t.equal("...and its newest history item says so",
            [i["HistorySummary"] for i in
             (out or {}).get("AlarmHistoryItems", [])],
            ["Alarm updated from OK to ALARM"])
    rc, out, err = cli.run(ALPHA, "cloudwatch", "set-alarm-state",
                           "--alarm-name", "no-such-alarm", "--state-value",
                           "OK", "--state-reason", "x")
    t.check("set-alarm-state on a missing alarm: ResourceNotFound",
            rc != 0 and "(ResourceNotFound)" in err, err)


def check_s3(t, cli, fa):
    """S3 path-style: the CLI signs x-amz-content-sha256 with the body's
    real SHA-256 over http (UNSIGNED-PAYLOAD is for https), and extra
    x-amz-checksum-* headers, all of which fakeaws must accept."""
    import hashlib
    bucket = "dlc-cli-test"
    rc, out, err = cli.run(ALPHA, "s3api", "create-bucket", "--bucket",
                           bucket, "--create-bucket-configuration",
                           "LocationConstraint=eu-west-1")
    t.check("s3api create-bucket", rc == 0 and
            out["Location"] == "/" + bucket, err)
    rc, out, err = cli.run(SANDBOX, "s3api", "create-bucket", "--bucket",
                           bucket, "--create-bucket-configuration",
                           "LocationConstraint=eu-west-1")
    t.check("another account's bucket name: BucketAlreadyExists",
            rc != 0 and "(BucketAlreadyExists)" in err, err)
    with tempfile.TemporaryDirectory() as d:
        src = os.path.join(d, "package.zip")
        data = os.urandom(3 * 1024 * 1024 + 5)
        with open(src, "wb") as f:
            f.write(data)
        etag = '"%s"' % hashlib.md5(data).hexdigest()
        key = "builds/alpha fn/package+1.zip"
        rc, out, err = cli.run(ALPHA, "s3api", "put-object", "--bucket",
                               bucket, "--key", key, "--body", src,
                               "--content-type", "application/zip")
        t.check("s3api put-object (3 MB, key with space, + and /)",
                rc == 0 and out["ETag"] == etag, err)
        put = [r for r in fa.requests() if r["operation"] == "PutObject"]
        t.check("put-object was signed and stored",
                put and put[-1]["status"] == 200, put)
        rc, out, err = cli.run(ALPHA, "s3api", "head-object", "--bucket",
                               bucket, "--key", key)
        t.check("s3api head-object", rc == 0 and
                out["ContentLength"] == len(data) and out["ETag"] == etag and
                out["ContentType"] == "application/zip", err)
        dst = os.path.join(d, "back.zip")
        rc, out, err = cli.run(ALPHA, "s3api", "get-object", "--bucket",
                               bucket, "--key", key, dst)
        with open(dst, "rb") if rc == 0 else open(os.devnull, "rb") as f:
            back = f.read()
        t.check("s3api get-object returns the bytes", rc == 0 and
                back == data, err)
        rc, out, err = cli.run(ALPHA, "s3api", "head-object", "--bucket",
                               bucket, "--key", "nope")
        t.check("head-object on a missing key: 404 without a body",
                rc != 0 and "(404)" in err, err)
        rc, out, err = cli.run(ALPHA, "s3api", "put-object", "--bucket",
                               "dlc-no-such-bucket", "--key", "k",
                               "--body", src)
        t.check("put-object to a missing bucket: NoSuchBucket",
                rc != 0 and "(NoSuchBucket)" in err, err)
        rc, out, err = cli.run(SANDBOX, "s3api", "head-object", "--bucket",
                               bucket, "--key", key)
        t.check("another account's bucket: 403",
                rc != 0 and "(403)" in err, err)
        rc, out, err = cli.run((ALPHA[0], "wrong" + ALPHA[1][5:]), "s3api",
                               "put-object", "--bucket", bucket, "--key",
                               "k", "--body", src)
        t.check("a wrong secret: SignatureDoesNotMatch",
                rc != 0 and "(SignatureDoesNotMatch)" in err, err)



FN = "datalake-alpha-salesforce-cases-to-s3-raw"
FN_ARN = "arn:aws:lambda:eu-west-1:111111111111:function:" + FN


def make_zip(path, files):
    import zipfile
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in files.items():
            z.writestr(name, text)
    with open(path, "rb") as f:
        return f.read()


def b64sha(data):
    import base64
    import hashlib
    return base64.b64encode(hashlib.sha256(data).digest()).decode()


def check_update_code(t, cli, fa):
    """update-function-code and the waiters that follow a push."""
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "fn.zip")
        data = make_zip(path, {"lambda_function.py":
                               "def lambda_handler(event, context):\n"
                               "    return event\n"})
        # InProgress until the waiter has polled twice, then finished by
        # the knob: the check holds however slow the machine is.
        fa.lambda_knobs(FN, update_delay_ms=600000)
        rc, out, err = cli.run(ALPHA, "lambda", "update-function-code",
                               "--function-name", FN, "--zip-file",
                               "fileb://" + path)
        t.check("lambda update-function-code --zip-file: CodeSha256, "
                "CodeSize, InProgress", rc == 0 and
                out["CodeSha256"] == b64sha(data) and
                out["CodeSize"] == len(data) and
                out["LastUpdateStatus"] == "InProgress", err or out)
        rc, out, err = cli.run(ALPHA, "lambda", "update-function-code",
                               "--function-name", FN, "--zip-file",
                               "fileb://" + path)
        t.check("a second update while InProgress: ResourceConflictException",
                rc != 0 and "(ResourceConflictException)" in err and
                "An update is in progress for resource: " + FN_ARN in err,
                err)
        started = time.time()
        waiter = cli.start(ALPHA, "lambda", "wait", "function-updated-v2",
                           "--function-name", FN)
        polls = []
        while len(polls) < 2 and time.time() < started + 60 and \
                waiter.poll() is None:
            time.sleep(0.2)
            polls = [r for r in fa.requests()
                     if r["operation"] == "GetFunction" and
                     r["time"] >= started]
        fa.lambda_knobs(FN, finish_update=True, update_delay_ms=100)
        try:
            _, err = waiter.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            waiter.kill()
            _, err = waiter.communicate()
        t.check("lambda wait function-updated-v2 polls through InProgress",
                waiter.returncode == 0 and len(polls) >= 2,
                (waiter.returncode, err, len(polls)))
        rc, out, err = cli.run(ALPHA, "lambda", "get-function-configuration",
                               "--function-name", FN)
        t.check("...and get-function-configuration says Successful",
                rc == 0 and out["LastUpdateStatus"] == "Successful" and
                out["CodeSha256"] == b64sha(data), err or out)
        rc, out, err = cli.run(ALPHA, "lambda", "get-function",
                               "--function-name", FN)
        import urllib.request
        with urllib.request.urlopen(out["Code"]["Location"],
                                    timeout=10) as r:
            back = r.read()
        t.check("get-function's Code.Location downloads the zip sent",
                rc == 0 and back == data, err)

        fa.lambda_knobs(FN, fail_next_update={
            "reason": "Lambda was unable to decrypt the environment "
            "variables.", "code": "KMSKeyAccessDenied"})
        rc, out, err = cli.run(ALPHA, "lambda", "update-function-code",
                               "--function-name", FN, "--zip-file",
                               "fileb://" + path)
        time.sleep(0.2)
        rc, out, err = cli.run(ALPHA, "lambda", "wait", "function-updated",
                               "--function-name", FN)
        t.check("a failed update stops lambda wait function-updated",
                rc != 0 and "terminal failure state" in err, (rc, err))
        rc, out, err = cli.run(ALPHA, "lambda", "get-function-configuration",
                               "--function-name", FN)
        t.check("...with LastUpdateStatus Failed and its reason",
                rc == 0 and out["LastUpdateStatus"] == "Failed" and
                out["LastUpdateStatusReasonCode"] == "KMSKeyAccessDenied",
                err or out)

        bucket = "datalake-alpha-artifacts"     # in the seed
        rc, out, err = cli.run(ALPHA, "s3api", "put-object", "--bucket",
                               bucket, "--key", "fn/1.zip", "--body", path)
        t.equal("s3api put-object of the zip to the seeded artifacts "
                "bucket", (rc, err), (0, ""))
        rc, out, err = cli.run(ALPHA, "lambda", "update-function-code",
                               "--function-name", FN, "--s3-bucket", bucket,
                               "--s3-key", "fn/1.zip")
        t.check("update-function-code --s3-bucket/--s3-key reads the object",
                rc == 0 and out["CodeSha256"] == b64sha(data), err or out)
        time.sleep(0.2)
        rc, out, err = cli.run(ALPHA, "lambda", "update-function-code",
                               "--function-name", FN, "--s3-bucket", bucket,
                               "--s3-key", "fn/missing.zip")
        t.check("a missing key: InvalidParameterValueException, S3 Error "
                "Code: NoSuchKey", rc != 0 and
                "(InvalidParameterValueException)" in err and
                "Error occurred while GetObject. S3 Error Code: NoSuchKey"
                in err, err)
        # The CLI refuses a --zip-file that is not a zip itself, so the
        # server's own check is reached through S3.
        bad = os.path.join(d, "bad.zip")
        with open(bad, "wb") as f:
            f.write(b"this is no zip")
        cli.run(ALPHA, "s3api", "put-object", "--bucket", bucket, "--key",
                "fn/bad.zip", "--body", bad)
        rc, out, err = cli.run(ALPHA, "lambda", "update-function-code",
                               "--function-name", FN, "--s3-bucket", bucket,
                               "--s3-key", "fn/bad.zip")
        t.check("an object that is not a zip: InvalidParameterValueException",
                rc != 0 and "(InvalidParameterValueException)" in err and
                "Could not unzip uploaded file" in err, err)



def check_update_config(t, cli, fa):
    fn = "datalake-alpha-mambu-datalake-reconciliation"
    layer = "arn:aws:lambda:eu-west-1:111111111111:layer:datalake-alpha-"
    fa.lambda_knobs(fn, update_delay_ms=300)
    rc, out, err = cli.run(ALPHA, "lambda", "update-function-configuration",
                           "--function-name", fn, "--layers",
                           layer + "aws-wrangler:3", layer + "flattenjson:2",
                           "--runtime", "python3.13", "--timeout", "45",
                           "--environment", "Variables={STAGE=alpha,N=1}")
    t.check("lambda update-function-configuration --layers --runtime "
            "--timeout --environment", rc == 0 and
            [x["Arn"] for x in out["Layers"]] ==
            [layer + "aws-wrangler:3", layer + "flattenjson:2"] and
            out["Runtime"] == "python3.13" and out["Timeout"] == 45 and
            out["Environment"]["Variables"] == {"STAGE": "alpha", "N": "1"}
            and out["LastUpdateStatus"] == "InProgress", err or out)
    rc, out, err = cli.run(ALPHA, "lambda", "wait", "function-updated-v2",
                           "--function-name", fn)
    t.equal("lambda wait function-updated-v2 after it", (rc, err), (0, ""))
    rc, out, err = cli.run(ALPHA, "lambda", "update-function-configuration",
                           "--function-name", fn, "--layers",
                           layer + "aws-wrangler:7")
    t.check("a layer version that does not exist: "
            "InvalidParameterValueException", rc != 0 and
            "(InvalidParameterValueException)" in err and
            "Layer version %saws-wrangler:7 does not exist." % layer in err,
            err)



def check_publish_layer(t, cli, fa):
    name = "datalake-alpha-aws-wrangler"
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "layer.zip")
        data = make_zip(path, {"python/awswrangler/__init__.py": "x = 1\n"})
        rc, out, err = cli.run(ALPHA, "lambda", "publish-layer-version",
                               "--layer-name", name, "--zip-file",
                               "fileb://" + path, "--compatible-runtimes",
                               "python3.12", "--description", "wrangler 4",
                               "--license-info", "Apache-2.0")
        arn = "arn:aws:lambda:eu-west-1:111111111111:layer:%s:4" % name
        t.check("lambda publish-layer-version --zip-file: version 4 with "
                "its CodeSha256", rc == 0 and out["Version"] == 4 and
                out["LayerVersionArn"] == arn and
                out["Content"]["CodeSha256"] == b64sha(data) and
                out["Content"]["CodeSize"] == len(data) and
                out["CompatibleRuntimes"] == ["python3.12"], err or out)
        rc, out, err = cli.run(ALPHA, "lambda", "list-layer-versions",
                               "--layer-name", name)
        t.check("lambda list-layer-versions sees it first", rc == 0 and
                [v["Version"] for v in out["LayerVersions"]] == [4, 3, 2, 1],
                err or out)
        rc, out, err = cli.run(ALPHA, "lambda", "get-layer-version",
                               "--layer-name", name, "--version-number", "4")
        t.check("lambda get-layer-version 4", rc == 0 and
                out["Content"]["CodeSha256"] == b64sha(data) and
                out["Description"] == "wrangler 4", err or out)
        bucket = "dlc-cli-layers"
        cli.run(ALPHA, "s3api", "create-bucket", "--bucket", bucket,
                "--create-bucket-configuration",
                "LocationConstraint=eu-west-1")
        cli.run(ALPHA, "s3api", "put-object", "--bucket", bucket, "--key",
                "layer.zip", "--body", path)
        rc, out, err = cli.run(ALPHA, "lambda", "publish-layer-version",
                               "--layer-name", "dlc-cli-layer", "--content",
                               "S3Bucket=%s,S3Key=layer.zip" % bucket)
        t.check("publish-layer-version --content S3Bucket=,S3Key=: a new "
                "layer at version 1", rc == 0 and out["Version"] == 1 and
                out["Content"]["CodeSha256"] == b64sha(data), err or out)
        rc, out, err = cli.run(ALPHA, "lambda",
                               "update-function-configuration",
                               "--function-name", FN, "--layers", arn)
        t.check("update-function-configuration --layers takes the new "
                "version", rc == 0 and out["Layers"][0]["Arn"] == arn and
                out["Layers"][0]["CodeSize"] == len(data), err or out)
        cli.run(ALPHA, "lambda", "wait", "function-updated-v2",
                "--function-name", FN)



def check_invoke(t, cli, fa):
    import base64
    fn = "datalake-alpha-quicksight-authors-datasets-to-s3-curated"
    with tempfile.TemporaryDirectory() as d:
        out_path = os.path.join(d, "out.json")

        def invoke(*extra):
            rc, out, err = cli.run(ALPHA, "lambda", "invoke",
                                   "--function-name", fn,
                                   "--cli-binary-format", "raw-in-base64-out",
                                   "--payload", '{"day": "2026-12-01"}',
                                   *extra, out_path)
            with open(out_path, "rb") as f:
                return rc, out or {}, err, f.read()

        rc, out, err, body = invoke("--log-type", "Tail")
        log = base64.b64decode(out.get("LogResult", ""))
        t.check("lambda invoke --log-type Tail: StatusCode 200, the answer, "
                "the log tail, ExecutedVersion", rc == 0 and
                out["StatusCode"] == 200 and
                json.loads(body) == {"statusCode": 200,
                                     "body": {"day": "2026-12-01"}} and
                log.startswith(b"START RequestId: ") and
                b"\nREPORT RequestId: " in log and
                out["ExecutedVersion"] == "$LATEST" and
                "FunctionError" not in out, err or out)
        fa.lambda_knobs(fn, invoke={"error": {
            "errorMessage": "no rows for 2026-12-01",
            "errorType": "ValueError", "stackTrace": []}})
        rc, out, err, body = invoke("--log-type", "Tail")
        t.check("a function error: rc 0, FunctionError Unhandled, the error "
                "JSON in the output file", rc == 0 and
                out["StatusCode"] == 200 and
                out["FunctionError"] == "Unhandled" and
                json.loads(body)["errorType"] == "ValueError" and
                b"[ERROR] ValueError: no rows" in
                base64.b64decode(out["LogResult"]), err or out)
        rc, out, err, body = invoke("--invocation-type", "Event")
        t.check("lambda invoke --invocation-type Event: 202",
                rc == 0 and out["StatusCode"] == 202 and body == b"",
                err or out)
        rc, out, err, body = invoke("--invocation-type", "DryRun")
        t.check("lambda invoke --invocation-type DryRun: 204",
                rc == 0 and out["StatusCode"] == 204, err or out)
    rc, out, err = cli.run(ALPHA, "logs", "filter-log-events",
                           "--log-group-name", "/aws/lambda/" + fn,
                           "--filter-pattern", '"no rows for 2026-12-01"')
    # The error knob held for the Event call too; DryRun runs nothing.
    t.check("aws logs filter-log-events finds the two failed invocations' "
            "error lines in the function's [$LATEST] stream",
            rc == 0 and len(out["events"]) == 2 and
            len({e["logStreamName"] for e in out["events"]}) == 1 and
            "/[$LATEST]" in out["events"][0]["logStreamName"], err or out)


def check_dynamodb(t, cli, fa):
    """Every DynamoDB operation fakeaws serves, through AWS's own client
    (which also checks each answer's x-amz-crc32)."""
    table = "dlc-locks-cli"

    def ddb(*args):
        return cli.run(ALPHA, "dynamodb", *args)

    rc, out, err = ddb("create-table", "--table-name", table,
                       "--attribute-definitions",
                       "AttributeName=key,AttributeType=S",
                       "--key-schema", "AttributeName=key,KeyType=HASH",
                       "--billing-mode", "PAY_PER_REQUEST")
    t.check("dynamodb create-table", rc == 0 and
            out["TableDescription"]["TableStatus"] == "CREATING", err)
    rc, out, err = ddb("wait", "table-exists", "--table-name", table)
    t.equal("dynamodb wait table-exists", (rc, err), (0, ""))
    rc, out, err = ddb("describe-table", "--table-name", table)
    t.check("dynamodb describe-table", rc == 0 and
            out["Table"]["TableStatus"] == "ACTIVE" and
            out["Table"]["TableArn"].endswith(":111111111111:table/" + table),
            err)
    rc, out, err = ddb("describe-table", "--table-name", "no-such-table")
    t.check("describe-table of a missing table: ResourceNotFoundException",
            rc != 0 and "(ResourceNotFoundException)" in err and
            "Table: no-such-table not found" in err, err)

    names = json.dumps({"#k": "key", "#r": "rvn", "#o": "owner"})
    item = {"key": {"S": "alpha/special"}, "owner": {"S": "ana@pc1"},
            "rvn": {"N": "1"}, "ttl": {"N": "1"},
            "what": {"M": {"fn": {"S": "mambu-to-s3-raw"}}},
            "tags": {"SS": ["a"]}, "nums": {"NS": ["1.50"]},
            "blob": {"B": "AAE="}, "nil": {"NULL": True},
            "ok": {"BOOL": True}, "steps": {"L": [{"S": "build"}]}}
    take = ("--condition-expression", "attribute_not_exists(#k)",
            "--expression-attribute-names", json.dumps({"#k": "key"}))
    rc, out, err = ddb("put-item", "--table-name", table, "--item",
                       json.dumps(item), *take)
    t.equal("dynamodb put-item with attribute_not_exists", (rc, err), (0, ""))
    item2 = dict(item, owner={"S": "bo@pc2"})
    rc, out, err = ddb("put-item", "--table-name", table, "--item",
                       json.dumps(item2), *take)
    t.check("a second take: ConditionalCheckFailedException",
            rc != 0 and "(ConditionalCheckFailedException)" in err and
            "The conditional request failed" in err, err)
    rc, out, err = ddb("put-item", "--table-name", table, "--item",
                       json.dumps(item2), *take,
                       "--return-values-on-condition-check-failure",
                       "ALL_OLD")
    # v2.9.19 predates the parameter (July 2023): the CLI refuses it
    # itself, so test_dynamodb.py checks the error's Item with a signed
    # request. When the Debian CLI learns it, this check says so.
    t.check("aws v2.9 has no --return-values-on-condition-check-failure "
            "(checked raw in test_dynamodb.py)",
            rc != 0 and "Unknown options" in err, err)
    rc, out, err = ddb("get-item", "--table-name", table, "--key",
                       json.dumps({"key": item["key"]}), "--consistent-read")
    want = dict(item, nums={"NS": ["1.5"]})
    t.equal("dynamodb get-item --consistent-read: every type back, numbers "
            "normalised, the expired ttl kept", (rc, out and out["Item"]),
            (0, want))
    rc, out, err = ddb("get-item", "--table-name", table, "--key",
                       json.dumps({"key": item["key"]}),
                       "--projection-expression", "#o, #r",
                       "--expression-attribute-names",
                       json.dumps({"#o": "owner", "#r": "rvn"}))
    t.equal("get-item --projection-expression", out and out["Item"],
            {"owner": {"S": "ana@pc1"}, "rvn": {"N": "1"}})

    renew = ("--update-expression", "SET #r = #r + :one REMOVE #t",
             "--condition-expression", "#r = :seen AND #o = :me",
             "--expression-attribute-names", json.dumps(
                 {"#r": "rvn", "#o": "owner", "#t": "ttl"}))
    rc, out, err = ddb("update-item", "--table-name", table, "--key",
                       json.dumps({"key": item["key"]}), *renew,
                       "--expression-attribute-values", json.dumps(
                           {":one": {"N": "1"}, ":seen": {"N": "1"},
                            ":me": {"S": "ana@pc1"}}),
                       "--return-values", "ALL_NEW")
    t.check("dynamodb update-item SET/REMOVE under a condition, ALL_NEW",
            rc == 0 and out["Attributes"]["rvn"] == {"N": "2"} and
            "ttl" not in out["Attributes"], err)
    rc, out, err = ddb("update-item", "--table-name", table, "--key",
                       json.dumps({"key": item["key"]}), *renew,
                       "--expression-attribute-values", json.dumps(
                           {":one": {"N": "1"}, ":seen": {"N": "1"},
                            ":me": {"S": "ana@pc1"}}))
    t.check("a renewal with a stale version: ConditionalCheckFailed",
            rc != 0 and "(ConditionalCheckFailedException)" in err, err)
    rc, out, err = ddb("update-item", "--table-name", table, "--key",
                       json.dumps({"key": item["key"]}),
                       "--update-expression", "SET owner = :o",
                       "--expression-attribute-values",
                       json.dumps({":o": {"S": "x"}}))
    t.check("a reserved word in an expression: ValidationException",
            rc != 0 and "(ValidationException)" in err and
            "reserved keyword: owner" in err, err)
    rc, out, err = ddb("put-item", "--table-name", table, "--item",
                       json.dumps(item), "--condition-expression",
                       "attribute_not_exists(#k) AND",
                       "--expression-attribute-names", names)
    t.check("a syntax error: ValidationException",
            rc != 0 and "(ValidationException)" in err and
            "Invalid ConditionExpression: Syntax error" in err, err)

    # Ambiguity, as a lease sees it: the write lands, the answer is a 500,
    # the CLI retries, and the retry's condition fails on its own write.
    fa.admin("POST", "dynamodb/table", {"table": table,
                                        "fail_next_writes": 1})
    other = dict(item, key={"S": "sandbox/special"})
    rc, out, err = ddb("put-item", "--table-name", table, "--item",
                       json.dumps(other), *take)
    t.check("an ambiguous write retried by the CLI fails its own condition",
            rc != 0 and "(ConditionalCheckFailedException)" in err, err)

    for i in range(12):
        ddb("put-item", "--table-name", table, "--item", json.dumps(
            {"key": {"S": "k%02d" % i}, "n": {"N": str(i)}}))
    fa.admin("DELETE", "requests")
    rc, out, err = ddb("scan", "--table-name", table, "--page-size", "5")
    pages = [r for r in fa.requests()
             if r["operation"] == "DynamoDB_20120810.Scan"]
    t.check("dynamodb scan --page-size 5 follows LastEvaluatedKey through "
            "14 items", rc == 0 and out["Count"] == 14 and
            len({i["key"]["S"] for i in out["Items"]}) == 14 and
            len(pages) == 3, (err, len(pages)))
    rc, out, err = ddb("scan", "--table-name", table, "--max-items", "4")
    token = (out or {}).get("NextToken")
    rc2, out2, err2 = ddb("scan", "--table-name", table, "--max-items",
                          "20", "--starting-token", token or "none")
    t.check("scan --max-items and --starting-token resume where it stopped",
            rc == 0 and rc2 == 0 and len(out["Items"]) == 4 and
            len(out2["Items"]) == 10 and
            not {i["key"]["S"] for i in out["Items"]} &
            {i["key"]["S"] for i in out2["Items"]}, err or err2)
    rc, out, err = ddb("scan", "--table-name", table, "--filter-expression",
                       "#n >= :five", "--expression-attribute-names",
                       json.dumps({"#n": "n"}),
                       "--expression-attribute-values",
                       json.dumps({":five": {"N": "5"}}))
    t.check("scan --filter-expression compares numbers",
            rc == 0 and out["Count"] == 7, err)

    def release(version, *extra):
        return ddb("delete-item", "--table-name", table, "--key",
                   json.dumps({"key": item["key"]}),
                   "--condition-expression", "#r = :v",
                   "--expression-attribute-names", json.dumps({"#r": "rvn"}),
                   "--expression-attribute-values",
                   json.dumps({":v": {"N": version}}), *extra)

    rc, out, err = release("1")
    t.check("a release with a stale version: ConditionalCheckFailed",
            rc != 0 and "(ConditionalCheckFailedException)" in err, err)
    rc, out, err = release("2", "--return-values", "ALL_OLD")
    t.check("dynamodb delete-item under a condition, ALL_OLD",
            rc == 0 and out["Attributes"]["owner"] == {"S": "ana@pc1"}, err)
    rc, out, err = ddb("delete-table", "--table-name", table)
    t.check("dynamodb delete-table", rc == 0 and
            out["TableDescription"]["TableName"] == table, err)
    rc, out, err = ddb("get-item", "--table-name", table, "--key",
                       json.dumps({"key": item["key"]}))
    t.check("a deleted table: ResourceNotFoundException",
            rc != 0 and "(ResourceNotFoundException)" in err, err)


if __name__ == "__main__":
    sys.exit(main())

