"""Lambda Invoke (POST /2015-03-31/functions/NAME/invocations).

Nothing runs: what the function answers is a per-function knob
(lambda_cycle's "invoke": a response, or an error as the Python runtime
reports one, and the lines it prints). The invocation writes Lambda's
START / lines / END / REPORT to the function's log group, and with
X-Amz-Log-Type: Tail answers the last 4 KB of them in X-Amz-Log-Result.
"""

import base64
import json
import math
import secrets
import time

from . import lambda_cycle
from .errors import AwsError, Response
from .loggen import _iso

SYNC_MAX = 6291456          # 6 MB, RequestResponse and DryRun
ASYNC_MAX = 1048576         # 1 MB, Event
TAIL_BYTES = 4096
STATUS = {"RequestResponse": 200, "Event": 202, "DryRun": 204}
DEFAULT_DURATION_MS = 21.37


def _too_large(limit, operation):
    message = ("Request must be smaller than %d bytes for the %s operation"
               % (limit, operation))
    return AwsError(413, "RequestTooLargeException", message,
                    extra={"message": message})


def _event(ctx, kind):
    if len(ctx.body) > (ASYNC_MAX if kind == "Event" else SYNC_MAX):
        raise _too_large(ASYNC_MAX, "InvokeAsync") if kind == "Event" \
            else _too_large(SYNC_MAX, "InvokeFunction")
    if not ctx.body:
        return {}
    try:
        return json.loads(ctx.body)
    except ValueError as e:
        message = ("Could not parse request body into json: Could not parse "
                   "payload into json: %s" % e)
        raise AwsError(400, "InvalidRequestContentException", message,
                       extra={"message": message})


class Outcome:
    """One call: the answer's bytes, the error JSON (or None), the printed
    lines, the duration, and the REPORT line's extra field."""

    def __init__(self, payload, error, lines, duration, status=""):
        self.payload = payload
        self.error = error
        self.lines = lines
        self.duration = duration
        self.status = status


def _run(behaviour, cfg, event, rid, now_ms):
    lines = [str(x) for x in behaviour.get("log", [])]
    if not lines:
        lines = ["[INFO]\t%s\t%s\tHandling an event of %d keys" % (
            _iso(now_ms), rid, len(event) if isinstance(event, dict) else 0)]
    duration = float(behaviour.get("duration_ms", DEFAULT_DURATION_MS))
    if behaviour.get("timeout"):
        # What Lambda answers and logs when the function runs out of time.
        limit = float(cfg.get("Timeout", 3))
        error = {"errorType": "Sandbox.Timedout",
                 "errorMessage": "RequestId: %s Error: Task timed out after "
                 "%.2f seconds" % (rid, limit)}
        lines.append("%s %s Task timed out after %.2f seconds" % (
            _iso(now_ms + int(limit * 1000)), rid, limit))
        return Outcome(json.dumps(error).encode(), error, lines,
                       limit * 1000, "\tStatus: timeout")
    error = behaviour.get("error")
    if error is not None:
        error = {"errorMessage": str(error.get("errorMessage", "")),
                 "errorType": str(error.get("errorType", "Exception")),
                 "requestId": rid,
                 "stackTrace": [str(x) for x in error.get("stackTrace", [])]}
        lines.append("[ERROR] %s: %s\nTraceback (most recent call last):\n%s"
                     % (error["errorType"], error["errorMessage"],
                        "".join(error["stackTrace"])))
        return Outcome(json.dumps(error).encode(), error, lines, duration)
    answer = behaviour["response"] if "response" in behaviour else {
        "statusCode": 200, "body": event}
    return Outcome(json.dumps(answer).encode(), None, lines, duration)


def _log(ctx, rec, out, rid, now_ms):
    """Write the invocation to the function's log group; its text."""
    cfg = rec["Configuration"]
    duration = out.duration
    memory = int(cfg.get("MemorySize", 128))
    messages = ["START RequestId: %s Version: $LATEST\n" % rid]
    messages += [x if x.endswith("\n") else x + "\n" for x in out.lines]
    messages.append("END RequestId: %s\n" % rid)
    messages.append("REPORT RequestId: %s\tDuration: %.2f ms\tBilled "
                    "Duration: %d ms\tMemory Size: %d MB\tMax Memory Used: "
                    "%d MB%s\t\n" % (rid, duration, math.ceil(duration),
                                     memory, min(memory, 48), out.status))
    store = ctx.state.logs
    group_name = cfg.get("LoggingConfig", {}).get(
        "LogGroup", "/aws/lambda/" + cfg["FunctionName"])
    with store.lock:
        group = store.group(ctx.caller.account.account_id, group_name,
                            create=True)
        stream = rec.get("_log_stream")
        if stream is None:
            # One execution environment per function: its stream is kept.
            stream = "%s/[$LATEST]%s" % (time.strftime(
                "%Y/%m/%d", time.gmtime(now_ms / 1000)), secrets.token_hex(16))
            rec["_log_stream"] = stream
        for i, message in enumerate(messages):
            ms = now_ms + (int(duration) if i >= len(messages) - 2 else 0)
            store.add(group, stream, ms, message, written=True)
    return "".join(messages)


def invoke(ctx, args):
    from .lambda_ import resolve  # lambda_ routes here: import late
    kind = ctx.header("x-amz-invocation-type") or "RequestResponse"
    if kind not in STATUS:
        raise lambda_cycle.validation(
            "invocationType", kind, "Member must satisfy enum value set: "
            "[Event, RequestResponse, DryRun]")
    log_type = ctx.header("x-amz-log-type") or "None"
    if log_type not in ("None", "Tail"):
        raise lambda_cycle.validation("logType", log_type, "Member must "
                                      "satisfy enum value set: [None, Tail]")
    rec = resolve(ctx, args[0])
    event = _event(ctx, kind)
    headers = [("X-Amz-Executed-Version", "$LATEST")]
    if kind == "DryRun":
        return Response(STATUS[kind], b"", headers=headers)
    with ctx.state.lock:
        behaviour = dict(lambda_cycle.knobs(rec).get("invoke") or {})
    rid = ctx.request_id    # Lambda's START line names the call's id
    now_ms = int(time.time() * 1000)
    out = _run(behaviour, rec["Configuration"], event, rid, now_ms)
    text = _log(ctx, rec, out, rid, now_ms)
    if behaviour.get("wait_ms"):
        # The function takes this long (this request's thread only).
        time.sleep(min(float(behaviour["wait_ms"]), 60000) / 1000.0)
    if kind == "Event":
        return Response(202, b"")
    if out.error is not None:
        headers.append(("X-Amz-Function-Error", "Unhandled"))
    if log_type == "Tail":
        tail = text.encode("utf-8")[-TAIL_BYTES:]
        headers.append(("X-Amz-Log-Result", base64.b64encode(tail).decode()))
    return Response(200, out.payload, "application/json", headers)
