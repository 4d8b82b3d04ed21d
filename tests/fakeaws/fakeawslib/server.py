"""The HTTP front end: routes one port to every service, checks SigV4,
injects faults, logs requests and answers the /_fakeaws/ admin endpoints.
"""

import collections
import json
import shutil
import socket
import struct
import sys
import threading
import time
import uuid
import zlib
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl

from . import (cloudwatch, dynamodb, errors, events, lambda_, lambda_cycle,
               lambda_zip, logs, oidc, s3, sigv4, sso, sts)
from . import cloudwatch_admin
from .errors import AwsError, DropConnection, Response, json_response
from .faults import Faults

MAX_BODY = 100 * 1024 * 1024   # above Lambda's 69,905,067-byte request cap
LOG_KEEP = 2000

# json services by X-Amz-Target prefix: prefix -> (signing name, json
# version, {operation: handler(ctx, doc)}).
JSON_SERVICES = {
    dynamodb.PREFIX: ("dynamodb", "1.0", dynamodb.OPERATIONS),
    events.PREFIX: ("events", "1.1", events.OPERATIONS),
    logs.PREFIX: ("logs", "1.1", logs.OPERATIONS),
}
# query services by SigV4 signing name: name -> handler(ctx, params).
QUERY_SERVICES = {"sts": sts.handle, "monitoring": cloudwatch.handle}
# The XML namespace of each query service's answers, errors included.
QUERY_NS = {"monitoring": cloudwatch.NS}


class Caller:
    def __init__(self, akid, account, session):
        self.access_key_id = akid
        self.account = account
        self.session = session


class Ctx:
    """What a handler sees of one request."""

    def __init__(self, server, method, target, headers, body):
        self.state = server.state
        self.sso_approve_after = server.sso_approve_after
        self.clock_skew = server.clock_skew
        self.method = method
        self.target = target
        self.path, _, self.raw_query = target.partition("?")
        self.query = dict(parse_qsl(self.raw_query, keep_blank_values=True))
        self.headers = headers
        self.body = body
        self.request_id = str(uuid.uuid4())
        self.caller = None
        self.service = "-"
        self.operation = "-"
        self.protocol = errors.REST_JSON
        self.note = None
        # S3 reads its own body (streamed to a file); others get it whole.
        self.stream = None
        self.body_consumed = True
        self.read_limit = MAX_BODY

    def read_body(self):
        if not self.body_consumed:
            self.body_consumed = True
            n = int(self.header("content-length") or 0)
            if n > self.read_limit:
                raise AwsError(400, "MaxMessageLengthExceeded", "Your request "
                               "was too big.")
            self.body = self.stream.read(n) if n else b""
        return self.body

    def header(self, name):
        return sigv4.header_value(self.headers, name)


class Route:
    def __init__(self, service, protocol, signing, dispatch):
        self.service = service
        self.protocol = protocol
        self.signing = signing      # None: unsigned
        self.dispatch = dispatch    # fn(ctx) -> Response


def _lambda_dispatch(ctx):
    handler, args = lambda_.find(ctx.method, ctx.path)
    if handler is None:
        raise lambda_.unknown_operation()
    ctx.operation = lambda_.operation_name(handler)
    lambda_cycle.settle(ctx)
    return handler(ctx, args)


def _table_dispatch(table, method):
    def dispatch(ctx):
        if ctx.method != method:
            raise AwsError(404, "UnknownOperationException",
                           "Unknown operation", oidc_error="invalid_request")
        fn = table[ctx.path]
        ctx.operation = "".join(p.capitalize() for p in fn.__name__.split("_"))
        return fn(ctx)
    return dispatch


def _query_dispatch(handler):
    def dispatch(ctx):
        params = dict(parse_qsl(ctx.body.decode("utf-8", "replace"),
                                keep_blank_values=True))
        for k, v in ctx.query.items():
            params.setdefault(k, v)
        ctx.operation = params.get("Action", "-")
        return handler(ctx, params)
    return dispatch


def _json_dispatch(prefix, op, version, table):
    def dispatch(ctx):
        fn = table.get(op) if table else None
        if fn is None:
            raise AwsError(400, "UnknownOperationException",
                           "Unknown operation %s.%s" % (prefix, op))
        try:
            doc = json.loads(ctx.body or b"{}")
        except ValueError:
            raise AwsError(400, "SerializationException",
                           "Start of structure or map found where not "
                           "expected.")
        return fn(ctx, doc)
    return dispatch


def classify(ctx):
    """Pick the service and protocol from the path and headers."""
    path = ctx.path
    if path.startswith(("/2015-03-31/", "/2018-10-31/", "/2019-09-30/")):
        return Route("lambda", errors.REST_JSON, "lambda", _lambda_dispatch)
    if path in sso.ROUTES:
        return Route("sso", errors.REST_JSON_LC, None,
                     _table_dispatch(sso.ROUTES, "GET"))
    if _scope_service(ctx) == "s3":
        # Path-style S3 on the shared port: the signature's scope says so.
        store = ctx.s3_store
        return Route("s3", errors.REST_XML, "s3",
                     lambda c: s3.dispatch(c, store))
    if path in oidc.ROUTES:
        return Route("sso-oidc", errors.OIDC, None,
                     _table_dispatch(oidc.ROUTES, "POST"))
    target = ctx.header("x-amz-target")
    if target:
        prefix, _, op = target.partition(".")
        signing, version, table = JSON_SERVICES.get(
            prefix, (_scope_service(ctx) or "unknown", "1.1", None))
        ctx.json_version = version
        ctx.operation = target
        return Route(signing, errors.JSON, signing,
                     _json_dispatch(prefix, op, version, table))
    if path == "/" and (ctx.method == "POST" or "Action" in ctx.query):
        # One port serves every query service, so the credential scope says
        # which is meant; an unknown scope goes to STS, whose signature
        # check then names the service it expected.
        scope = _scope_service(ctx)
        signing = scope if scope in QUERY_SERVICES else "sts"
        return Route(signing, errors.QUERY, signing,
                     _query_dispatch(QUERY_SERVICES[signing]))
    return Route("unknown", errors.REST_JSON_LC, None, _unknown_dispatch)


def _unknown_dispatch(ctx):
    raise AwsError(404, "UnknownOperationException", "Unknown operation")


def _scope_service(ctx):
    value = ctx.header("authorization")
    if not value:
        return None
    try:
        return sigv4.parse_authorization(value)["service"]
    except sigv4.AuthHeaderError:
        return None


def authenticate(ctx, route):
    """Check the signature as AWS does; set ctx.caller or raise AwsError."""
    proto = route.protocol
    value = ctx.header("authorization")
    if not value:
        raise errors.missing_auth(proto)
    try:
        auth = sigv4.parse_authorization(value)
    except sigv4.AuthHeaderError as e:
        raise errors.incomplete_signature(proto, str(e))
    if route.service == "s3":
        s3.checked_payload_hash(ctx.header("x-amz-content-sha256"))
        unsigned = [n.lower() for n, _ in ctx.headers
                    if n.lower().startswith("x-amz-") and
                    n.lower() not in auth["signed_headers"]]
        if unsigned:
            raise AwsError(403, "AccessDenied", "There were headers present "
                           "in the request which were not signed",
                           extra={"HeadersNotSigned": ", ".join(unsigned)})
    amz_date, when = sigv4.request_time(ctx.headers)
    if when is None:
        raise errors.incomplete_signature(
            proto, "Authorization header requires existence of either a "
            "'X-Amz-Date' or a 'Date' header. Authorization=%s" % value)
    found = ctx.state.lookup_key(auth["akid"])
    if not found:
        raise errors.unknown_key(proto)
    secret, account, session = found
    token = ctx.header("x-amz-security-token")
    if session is not None:
        if token != session.session_token:
            raise errors.unknown_key(proto)
        if session.expires < time.time():
            raise errors.expired_token(proto)
    elif token:
        raise errors.unknown_key(proto)
    # --clock-skew: this AWS's clock runs that far ahead (or behind, < 0),
    # which to the checker is a client clock off the other way.
    now = datetime.now(timezone.utc) + timedelta(seconds=ctx.clock_skew)
    try:
        sigv4.check_skew(amz_date, when, now)
    except sigv4.SignatureExpired as e:
        raise errors.bad_signature(proto, str(e))
    if auth["service"] != route.signing:
        raise errors.bad_signature(
            proto, "Credential should be scoped to correct service: '%s'. "
            % route.signing)
    if auth["date"] != amz_date[:8]:
        raise errors.bad_signature(
            proto, "Date in Credential scope does not match YYYYMMDD from "
            "ISO-8601 version of date from HTTP: '%s' != '%s', from "
            "'x-amz-date'." % (auth["date"], amz_date[:8]))
    try:
        sigv4.verify(ctx.method, ctx.target, ctx.headers, ctx.body, auth,
                     secret, amz_date)
    except sigv4.SignatureMismatch as e:
        message = ("The request signature we calculated does not match the "
                   "signature you provided. Check your AWS Secret Access Key "
                   "and signing method. Consult the service documentation "
                   "for details.")
        ctx.note = {"canonical_request": e.canonical,
                    "string_to_sign": e.string_to_sign}
        if proto == errors.REST_XML:
            err = errors.bad_signature(proto, message)
            err.extra = {"StringToSign": e.string_to_sign,
                         "CanonicalRequest": e.canonical}
            raise err
        if proto != errors.QUERY:
            message += ("\n\nThe Canonical String for this request should "
                        "have been\n'%s'\n\nThe String-to-Sign should have "
                        "been\n'%s'\n" % (e.canonical, e.string_to_sign))
        raise errors.bad_signature(proto, message)
    ctx.caller = Caller(auth["akid"], account, session)


FAULT_ERRORS = {"throttle": errors.throttled, "500": errors.internal,
                "503": errors.unavailable, "hostile": errors.hostile}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def version_string(self):
        return "fakeaws"

    def setup(self):
        super().setup()
        # Headers and body go out in two writes; without TCP_NODELAY the
        # second waits for the client's delayed ACK (~40 ms a response),
        # which real AWS endpoints do not impose and which would swamp
        # every benchmark run against this server.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, fmt, *args):
        pass

    def _read_body(self):
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            chunks, total = [], 0
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip(), 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    break
                total += size
                if total > MAX_BODY:
                    raise ValueError("body too large")
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
            return b"".join(chunks)
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            raise ValueError("body too large")
        return self.rfile.read(length) if length else b""

    def _handle(self):
        ctx = Ctx(self.server, self.command, self.path,
                  list(self.headers.items()), b"")
        ctx.s3_store = self.server.s3
        route = None
        if not ctx.path.startswith("/_fakeaws/"):
            route = classify(ctx)
        if route is not None and route.service == "s3":
            ctx.stream = self.rfile
            ctx.body_consumed = self.headers.get("Content-Length") in (
                None, "0")
        else:
            try:
                ctx.body = self._read_body()
            except ValueError:
                self.close_connection = True
                self._send(Response(413, b"request too large", "text/plain"),
                           "-")
                return
        if route is None:
            self._send(admin(self.server, ctx), ctx.request_id)
            return
        ctx.service, ctx.protocol = route.service, route.protocol
        fault = self.server.faults.draw()
        try:
            if fault == "reset":
                self._reset()
                return
            if fault == "stall":
                time.sleep(self.server.faults.stall_seconds)
            if fault in FAULT_ERRORS:
                raise FAULT_ERRORS[fault](route.protocol)
            if route.signing:
                authenticate(ctx, route)
            resp = route.dispatch(ctx)
        except DropConnection:
            # A knob asked for the answer to be lost after the work ran.
            fault = "reset"
            self._reset()
            return
        except AwsError as e:
            ctx.note = dict(ctx.note or {}, error=e.code)
            resp = e.to_response(route.protocol, ctx.request_id,
                                 getattr(ctx, "json_version", "1.1"),
                                 QUERY_NS.get(route.service, errors.STS_NS))
        finally:
            if fault == "reset":
                self.server.record(ctx, "reset", fault)
            elif not ctx.body_consumed:
                # An S3 error before the body was read: the rest of it is
                # still on the connection, which cannot be reused.
                self.close_connection = True
        if ctx.service == "dynamodb":
            # DynamoDB signs every answer with the CRC32 of its body, which
            # botocore checks (and retries on a mismatch).
            resp.headers.append(("x-amz-crc32", str(zlib.crc32(resp.body))))
        if fault == "truncate":
            self._send(resp, ctx.request_id, truncate=True)
        else:
            self._send(resp, ctx.request_id)
        self.server.record(ctx, resp.status, fault)

    def _reset(self):
        # SO_LINGER 0 makes close() send RST: the client sees a reset.
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                   struct.pack("ii", 1, 0))
        self.close_connection = True
        self.connection.close()

    def _send(self, resp, request_id, truncate=False):
        self.send_response(resp.status)
        if truncate:
            # The truncation sets its own (lying) length.
            resp.headers = [(n, v) for n, v in resp.headers
                            if n.lower() != "content-length"]
        names = {n.lower() for n, _ in resp.headers}
        for name, val in resp.headers:
            self.send_header(name, val)
        if "content-type" not in names:
            self.send_header("Content-Type", "application/json")
        if "x-amz-request-id" not in names:
            self.send_header("x-amzn-RequestId", request_id)
        if "content-length" in names:
            # An S3 object: its length is set, its bytes come from a file.
            if self.close_connection:
                self.send_header("Connection", "close")
            self.end_headers()
            path = getattr(resp, "path", None)
            if path and self.command != "HEAD":
                with open(path, "rb") as f:
                    shutil.copyfileobj(f, self.wfile, s3.CHUNK)
            return
        if truncate:
            self.send_header("Content-Length", str(len(resp.body) + 1024))
            self.end_headers()
            self.wfile.write(resp.body[:len(resp.body) // 2])
            self.wfile.flush()
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return
        self.send_header("Content-Length", str(len(resp.body)))
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(resp.body)

    def do_GET(self):
        self._handle()

    do_POST = do_PUT = do_DELETE = do_HEAD = do_PATCH = do_GET


def admin(server, ctx):
    """Unsigned test hooks; faults never apply here."""
    route = (ctx.method, ctx.path.rstrip("/"))
    if ctx.method in ("GET", "HEAD") and \
            ctx.path.startswith(lambda_zip.CODE_PREFIX):
        return lambda_zip.download(server.s3, ctx)
    if route == ("GET", "/_fakeaws/health"):
        with server.state.lock:
            functions = {a.account_id: len(a.functions)
                         for a in server.state.accounts.values()}
        return json_response({"status": "ok", "functions": functions,
                              **server.faults.describe()})
    if route == ("POST", "/_fakeaws/faults"):
        try:
            doc = json.loads(ctx.body or b"{}")
            if not isinstance(doc, dict):
                raise ValueError("body must be a JSON object")
            spec = doc.pop("spec", None)
            seed = doc.pop("seed", None)
            stall = doc.pop("stall_seconds", None)
            server.faults.configure(spec if spec is not None else doc, seed,
                                    stall)
        except ValueError as e:
            return json_response({"error": str(e)}, 400)
        return json_response(server.faults.describe())
    if route == ("POST", "/_fakeaws/sso/expire"):
        return json_response({"expired": server.state.expire_sso_tokens()})
    if route == ("POST", "/_fakeaws/credentials/expire"):
        return json_response({"expired": server.state.expire_sessions()})
    if route == ("GET", "/_fakeaws/requests"):
        with server.log_lock:
            return json_response({"requests": list(server.log)})
    if route == ("DELETE", "/_fakeaws/requests"):
        with server.log_lock:
            server.log.clear()
        return json_response({"requests": []})
    if route == ("POST", "/_fakeaws/logs/put"):
        return _admin_logs_put(server, ctx)
    if route == ("GET", "/_fakeaws/logs/written"):
        return _admin_logs_written(server, ctx)
    if route == ("POST", "/_fakeaws/lambda/function"):
        return _admin_lambda_function(server, ctx)
    if route == ("POST", "/_fakeaws/dynamodb/table"):
        return _admin_dynamodb_table(server, ctx)
    if route == ("GET", "/_fakeaws/dynamodb/items"):
        return _admin_dynamodb_items(server, ctx)
    if ctx.path.startswith("/_fakeaws/cloudwatch/"):
        return cloudwatch_admin.handle(server, ctx, _admin_account)
    if route == ("POST", "/_fakeaws/reset"):
        server.reset()
        return json_response({"status": "reset"})
    return json_response({"error": "no admin endpoint %s %s"
                          % (ctx.method, ctx.path)}, 404)


def _admin_account(server, doc):
    """The account an admin log request means (default: the first one)."""
    accounts = server.state.accounts
    wanted = doc.get("account")
    if wanted is None:
        return next(iter(accounts))
    for acct in accounts.values():
        if wanted in (acct.account_id, acct.environment):
            return acct.account_id
    raise ValueError("no account %s" % wanted)


def _admin_logs_put(server, ctx):
    """Write exact events, visible after ingestionDelayMs (default 0)."""
    try:
        doc = json.loads(ctx.body or b"{}")
        group, stream = doc["group"], doc["stream"]
        events = doc["events"]
        delay = int(doc.get("ingestionDelayMs", 0))
        if not isinstance(events, list) or not all(
                isinstance(e, dict) and isinstance(e.get("timestamp"), int)
                and isinstance(e.get("message"), str) for e in events):
            raise ValueError("events must be [{timestamp, message}]")
        account = _admin_account(server, doc)
    except (ValueError, KeyError, TypeError) as e:
        return json_response({"error": "bad logs/put body: %s" % e}, 400)
    store = server.state.logs
    now = int(time.time() * 1000)
    with store.lock:
        g = store.group(account, group, create=True)
        written = [store.add(g, stream, e["timestamp"], e["message"],
                             now + delay, written=True) for e in events]
    return json_response({"account": account, "group": group,
                          "events": [_event_json(e) for e in written]})


def _admin_lambda_function(server, ctx):
    """Per-function knobs: update delay, failure, conflicts, Invoke."""
    try:
        doc = json.loads(ctx.body or b"{}")
        if not isinstance(doc, dict):
            raise ValueError("body must be a JSON object")
        account = _admin_account(server, doc)
        doc.pop("account", None)
        name = doc.pop("function")
        return json_response(lambda_cycle.configure(server.state, account,
                                                    name, doc))
    except (ValueError, KeyError, TypeError) as e:
        return json_response({"error": "bad lambda/function body: %s" % e},
                             400)


def _admin_dynamodb_table(server, ctx):
    """Make a DynamoDB table and set its knobs (ambiguous writes, latency)."""
    try:
        doc = json.loads(ctx.body or b"{}")
        if not isinstance(doc, dict):
            raise ValueError("body must be a JSON object")
        account = server.state.accounts[_admin_account(server, doc)]
        doc.pop("account", None)
        return json_response(dynamodb.configure(server.state, account, doc))
    except (ValueError, KeyError, TypeError) as e:
        return json_response({"error": "bad dynamodb/table body: %s" % e},
                             400)


def _admin_dynamodb_items(server, ctx):
    """A table's items in scan order, for tests to check what was written."""
    try:
        account = server.state.accounts[_admin_account(server, ctx.query)]
        return json_response(dynamodb.dump(server.state, account,
                                           ctx.query.get("table", "")))
    except ValueError as e:
        return json_response({"error": str(e)}, 404)


def _event_json(e):
    return {"logStreamName": e.stream, "timestamp": e.timestamp,
            "ingestionTime": e.ingestion, "message": e.message,
            "eventId": e.event_id}


def _admin_logs_written(server, ctx):
    """What was written to a group (by PutLogEvents or logs/put), in
    FilterLogEvents order; all=1 adds the generated history."""
    try:
        account = _admin_account(server, ctx.query)
    except ValueError as e:
        return json_response({"error": str(e)}, 400)
    store = server.state.logs
    with store.lock:
        g = store.group(account, ctx.query.get("group", ""))
        if g is None:
            return json_response({"error": "no log group %s"
                                  % ctx.query.get("group")}, 404)
        every = ctx.query.get("all") == "1"
        stream = ctx.query.get("stream")
        events = [_event_json(e) for e in g.events
                  if (every or e.written) and
                  (stream is None or e.stream == stream)]
    return json_response({"account": account, "group": g.name,
                          "events": events})


class FakeAwsServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, address, state, faults_spec="", fault_seed=None,
                 stall_seconds=3.0, sso_approve_after=1, log_path=None,
                 clock_skew=0.0):
        super().__init__(address, Handler)
        self.state = state
        self.clock_skew = clock_skew
        self.sso_approve_after = sso_approve_after
        self.initial_faults = (faults_spec, fault_seed, stall_seconds)
        self.faults = Faults(faults_spec, fault_seed, stall_seconds)
        self.log = collections.deque(maxlen=LOG_KEEP)
        self.log_lock = threading.Lock()
        self.log_file = open(log_path, "a", encoding="utf-8") \
            if log_path else None
        self.s3 = s3.Store()
        self.s3.reset(state.accounts.values())

    def server_close(self):
        super().server_close()
        self.s3.close()

    def reset(self):
        self.state.reset()
        self.s3.reset(self.state.accounts.values())
        spec, seed, stall = self.initial_faults
        self.faults.configure(spec, seed, stall)
        with self.log_lock:
            self.log.clear()

    def record(self, ctx, status, fault):
        entry = {"time": round(time.time(), 3), "method": ctx.method,
                 "path": ctx.target, "service": ctx.service,
                 "operation": ctx.operation, "status": status,
                 "request_id": ctx.request_id}
        if fault:
            entry["fault"] = fault
        if ctx.caller:
            entry["access_key_id"] = ctx.caller.access_key_id
        if ctx.note:
            entry.update(ctx.note)
        with self.log_lock:
            self.log.append(entry)
            if self.log_file:
                self.log_file.write(json.dumps(entry) + "\n")
                self.log_file.flush()

    def handle_error(self, request, client_address):
        # A client that hangs up mid-answer is routine here (faults,
        # timeouts); anything else is a fakeaws bug worth a traceback.
        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, BrokenPipeError, OSError)):
            return
        super().handle_error(request, client_address)
