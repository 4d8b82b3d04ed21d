"""The LastUpdateStatus cycle shared by Lambda's write operations, and the
per-function test knobs that steer it (and Invoke).

An update answers InProgress and settles to Successful (or Failed, when a
test asked for it) once its delay has passed. Settling is lazy: every
Lambda request first settles the caller's account, so no thread runs and
a GetFunctionConfiguration poll sees exactly what AWS's would.
"""

import json
import time
import uuid
from datetime import datetime, timezone

from .errors import AwsError

DEFAULT_DELAY_MS = 500
# What a Failed update says when the test gave no reason of its own.
DEFAULT_FAILURE = ("fakeaws: the update failed as the test asked.",
                   "InternalError")
KNOBS = ("update_delay_ms", "fail_next_update", "conflict_next", "invoke",
         "finish_update")


def last_modified():
    """LastModified as Lambda writes it: 2026-11-19T10:18:30.234+0000."""
    now = datetime.now(timezone.utc)
    return now.strftime("%Y-%m-%dT%H:%M:%S.") + "%03d+0000" % (
        now.microsecond // 1000)


def knobs(rec):
    return rec.setdefault("_knobs", {})


def json_body(ctx):
    """The request's JSON object, or Lambda's answer to a body that is not."""
    try:
        doc = json.loads(ctx.body or b"{}")
    except ValueError as e:
        raise AwsError(400, "InvalidRequestContentException",
                       "Could not parse request body into json: %s" % e,
                       extra={"message": "Could not parse request body "
                              "into json: %s" % e})
    if not isinstance(doc, dict):
        raise AwsError(400, "InvalidRequestContentException",
                       "Could not parse request body into json: not an "
                       "object", extra={"message": "Could not parse request "
                                        "body into json: not an object"})
    return doc


def validation(field, value, constraint):
    """A model constraint broken, in the words of Lambda's validator."""
    shown = "null" if value is None else "'%s'" % (value,)
    return AwsError(400, "ValidationException",
                    "1 validation error detected: Value %s at '%s' failed "
                    "to satisfy constraint: %s" % (shown, field, constraint))


def settle(ctx):
    """Finish every update of the caller's account whose delay is over."""
    if ctx.caller is not None:
        settle_account(ctx.state, ctx.caller.account)


def settle_account(state, acct):
    if not acct.pending_updates:
        return
    now = time.time()
    with state.lock:
        for name in list(acct.pending_updates):
            rec = acct.functions.get(name)
            upd = rec.get("_update") if rec else None
            if upd is None:
                acct.pending_updates.discard(name)
                continue
            if now < upd["done_at"]:
                continue
            cfg = rec["Configuration"]
            if upd["fail"]:
                cfg["LastUpdateStatus"] = "Failed"
                cfg["LastUpdateStatusReason"] = upd["fail"][0]
                cfg["LastUpdateStatusReasonCode"] = upd["fail"][1]
            else:
                cfg["LastUpdateStatus"] = "Successful"
            del rec["_update"]
            acct.pending_updates.discard(name)


def conflict(arn):
    message = ("The operation cannot be performed at this time. An update "
               "is in progress for resource: %s" % arn)
    return AwsError(409, "ResourceConflictException", message,
                    extra={"message": message})


def check_can_update(rec, doc):
    """Raise what Lambda answers an update it cannot start now.

    Called with the state lock held, so the check and the start are one
    step for concurrent callers.
    """
    cfg = rec["Configuration"]
    k = knobs(rec)
    if k.get("conflict_next", 0) > 0:
        k["conflict_next"] -= 1
        raise conflict(cfg["FunctionArn"])
    if rec.get("_update"):
        raise conflict(cfg["FunctionArn"])
    revision = doc.get("RevisionId")
    if revision is not None and revision != cfg.get("RevisionId"):
        message = ("The Revision Id provided does not match the latest "
                   "Revision Id. Call the GetFunction/GetAlias API to "
                   "retrieve the latest Revision Id")
        raise AwsError(412, "PreconditionFailedException", message,
                       extra={"message": message})


def start_update(ctx, acct, rec):
    """Mark the function InProgress; settle() ends it after the delay."""
    cfg = rec["Configuration"]
    k = knobs(rec)
    cfg["LastUpdateStatus"] = "InProgress"
    cfg.pop("LastUpdateStatusReason", None)
    cfg.pop("LastUpdateStatusReasonCode", None)
    cfg["LastModified"] = last_modified()
    cfg["RevisionId"] = str(uuid.uuid4())
    delay = k.get("update_delay_ms", ctx.state.update_delay_ms)
    fail = k.pop("fail_next_update", None)
    if fail is not None:
        fail = (fail.get("reason") or DEFAULT_FAILURE[0],
                fail.get("code") or DEFAULT_FAILURE[1])
    rec["_update"] = {"done_at": time.time() + delay / 1000.0, "fail": fail}
    acct.pending_updates.add(cfg["FunctionName"])


def configure(state, account_id, name, doc):
    """Set a function's knobs from the admin endpoint; raise ValueError."""
    unknown = set(doc) - set(KNOBS)
    if unknown:
        raise ValueError("unknown knob(s) %s (known: %s)"
                         % (", ".join(sorted(unknown)), ", ".join(KNOBS)))
    # null clears a knob (below), so it passes every check.
    if doc.get("update_delay_ms") is not None and not (
            isinstance(doc["update_delay_ms"], int) and
            doc["update_delay_ms"] >= 0):
        raise ValueError("update_delay_ms: a whole number of ms >= 0")
    if doc.get("conflict_next") is not None and not (
            isinstance(doc["conflict_next"], int) and
            doc["conflict_next"] >= 0):
        raise ValueError("conflict_next: a count >= 0")
    fail = doc.get("fail_next_update")
    if fail is True:
        doc = dict(doc, fail_next_update={})
    elif fail not in (None, False) and not isinstance(fail, dict):
        raise ValueError("fail_next_update: true or {reason, code}")
    elif fail is False:
        doc = dict(doc, fail_next_update=None)
    invoke = doc.get("invoke")
    if invoke is not None and (
            not isinstance(invoke, dict) or
            set(invoke) - {"response", "error", "timeout", "log",
                           "duration_ms", "wait_ms"} or
            not isinstance(invoke.get("error", {}), dict) or
            not isinstance(invoke.get("log", []), list)):
        raise ValueError("invoke: an object with response, error "
                         "{errorMessage, errorType, stackTrace} or timeout, "
                         "and log [lines], duration_ms, wait_ms")
    if doc.get("finish_update") not in (None, True):
        raise ValueError("finish_update: true")
    with state.lock:
        acct = state.accounts[account_id]
        rec = acct.functions.get(name)
        if rec is None:
            raise ValueError("no function %s in %s" % (name, account_id))
        if doc.pop("finish_update", None) and rec.get("_update"):
            # An action, not a setting: the running update ends now.
            rec["_update"]["done_at"] = 0
            settle_account(state, acct)
        k = knobs(rec)
        for key, value in doc.items():
            if value is None:
                k.pop(key, None)
            else:
                k[key] = value
        return {"function": name, "account": account_id, "knobs": dict(k),
                "LastUpdateStatus": rec["Configuration"].get(
                    "LastUpdateStatus")}
