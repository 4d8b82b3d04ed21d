"""Responses and the error shapes of each AWS wire protocol.

Every handler returns a Response or raises AwsError; the error knows its
protocol, so one raise site gives the body and headers the real service
would send (query XML, json __type, rest-json x-amzn-errortype, OIDC).
"""

import json
from xml.sax.saxutils import escape

STS_NS = "https://sts.amazonaws.com/doc/2011-06-15/"

# Protocol names used throughout the package.
QUERY = "query"
JSON = "json"
REST_JSON = "rest-json"      # Lambda: {"Type": "User", "Message": ...}
REST_JSON_LC = "rest-json-lc"  # SSO portal: {"message": ...}
OIDC = "oidc"                # {"error": ..., "error_description": ...}
REST_XML = "rest-xml"        # S3: <Error><Code>..., x-amz-request-id

# S3's own codes for the front-door errors (the query codes otherwise).
S3_CODES = {"MissingAuthenticationToken": (403, "AccessDenied",
                                           "Access Denied"),
            "InvalidClientTokenId": (403, "InvalidAccessKeyId",
                                     "The AWS Access Key Id you provided "
                                     "does not exist in our records."),
            "ExpiredToken": (400, "ExpiredToken",
                             "The provided token has expired."),
            "IncompleteSignature": (400, "AuthorizationHeaderMalformed",
                                    None)}


class Response:
    """An HTTP answer: status, extra headers, body bytes."""

    def __init__(self, status, body=b"", content_type=None, headers=None):
        self.status = status
        self.body = body if isinstance(body, bytes) else body.encode("utf-8")
        self.headers = list(headers or [])
        if content_type:
            self.headers.append(("Content-Type", content_type))


def json_response(obj, status=200, content_type="application/json"):
    return Response(status, json.dumps(obj, separators=(",", ":")),
                    content_type)


def xml_text(value):
    return escape(str(value))


def query_response(action, result_xml, request_id, ns=STS_NS):
    body = ('<{a}Response xmlns="{ns}">\n'
            '  <{a}Result>\n{r}  </{a}Result>\n'
            '  <ResponseMetadata>\n    <RequestId>{rid}</RequestId>\n'
            '  </ResponseMetadata>\n</{a}Response>\n').format(
                a=action, ns=ns, r=result_xml, rid=request_id)
    return Response(200, body, "text/xml")


class DropConnection(Exception):
    """The answer is lost: the server closes the connection (RST) without
    one, after the operation ran (an ambiguous failure on purpose)."""


class AwsError(Exception):
    """An error as the service would answer it.

    code: the AWS error code; status: HTTP status; sender: True for a
    client fault (query Type Sender, Lambda Type User); extra: more body
    fields (e.g. Lambda's Reason); oidc_error: the OAuth error string.
    """

    def __init__(self, status, code, message, sender=True, extra=None,
                 oidc_error=None):
        super().__init__("%s: %s" % (code, message))
        self.status = status
        self.code = code
        self.message = message
        self.sender = sender
        self.extra = extra or {}
        self.oidc_error = oidc_error
        self.front_door = False

    def to_response(self, protocol, request_id, json_version="1.1",
                    ns=STS_NS):
        if protocol == REST_XML:
            extra = "".join("<%s>%s</%s>" % (k, xml_text(v), k)
                            for k, v in self.extra.items())
            body = ('<?xml version="1.0" encoding="UTF-8"?>\n'
                    '<Error><Code>{c}</Code><Message>{m}</Message>{x}'
                    '<RequestId>{rid}</RequestId><HostId>{rid}</HostId>'
                    '</Error>').format(c=xml_text(self.code),
                                       m=xml_text(self.message), x=extra,
                                       rid=request_id)
            return Response(self.status, body, "application/xml",
                            [("x-amz-request-id", request_id),
                             ("x-amz-id-2", request_id)])
        if protocol == QUERY:
            body = ('<ErrorResponse xmlns="{ns}">\n  <Error>\n'
                    '    <Type>{t}</Type>\n    <Code>{c}</Code>\n'
                    '    <Message>{m}</Message>\n  </Error>\n'
                    '  <RequestId>{rid}</RequestId>\n</ErrorResponse>\n'
                    ).format(ns=ns,
                             t="Sender" if self.sender else "Receiver",
                             c=xml_text(self.code), m=xml_text(self.message),
                             rid=request_id)
            return Response(self.status, body, "text/xml")
        if protocol == JSON:
            obj = {"__type": self.code, "message": self.message}
            obj.update(self.extra)
            return json_response(obj, self.status,
                                 "application/x-amz-json-" + json_version)
        if protocol == OIDC:
            obj = {"error": self.oidc_error or "invalid_request",
                   "error_description": self.message}
            r = json_response(obj, self.status)
            r.headers.append(("x-amzn-ErrorType", self.code))
            return r
        if protocol == REST_JSON and not self.front_door:
            obj = {"Type": "User" if self.sender else "Service"}
            if "message" not in self.extra:
                obj["Message"] = self.message
            obj.update(self.extra)
        else:
            obj = {"message": self.message}
            obj.update(self.extra)
        r = json_response(obj, self.status)
        r.headers.append(("x-amzn-ErrorType", self.code))
        return r


# Errors every signed service can answer, named per protocol family:
# query services (STS) use the short codes, json/rest-json the *Exception.
# They come from AWS's front door, not from Lambda itself, so their
# rest-json body is the bare {"message": ...} rather than Type/Message.
def _front(protocol, status, query_code, json_code, message):
    if protocol == REST_XML:
        status, code, text = S3_CODES.get(query_code,
                                          (status, query_code, message))
        return AwsError(status, code, text or message)
    if protocol == QUERY:
        return AwsError(status, query_code, message)
    err = AwsError(status, json_code, message)
    err.front_door = True
    return err


def missing_auth(protocol):
    if protocol == QUERY:
        return AwsError(403, "MissingAuthenticationToken",
                        "Request is missing Authentication Token")
    return _front(protocol, 403, "", "MissingAuthenticationTokenException",
                  "Missing Authentication Token")


def unknown_key(protocol):
    return _front(protocol, 403, "InvalidClientTokenId",
                  "UnrecognizedClientException",
                  "The security token included in the request is invalid.")


def expired_token(protocol):
    return _front(protocol, 403, "ExpiredToken", "ExpiredTokenException",
                  "The security token included in the request is expired")


def bad_signature(protocol, message):
    return _front(protocol, 403, "SignatureDoesNotMatch",
                  "InvalidSignatureException", message)


def incomplete_signature(protocol, message):
    return _front(protocol, 400, "IncompleteSignature",
                  "IncompleteSignatureException", message)


def throttled(protocol):
    if protocol == REST_XML:
        return AwsError(503, "SlowDown", "Please reduce your request rate.",
                        sender=False)
    if protocol == QUERY:
        return AwsError(400, "Throttling", "Rate exceeded")
    if protocol == REST_JSON:
        return AwsError(429, "TooManyRequestsException", "Rate exceeded",
                        extra={"Reason": "CallerRateLimitExceeded",
                               "message": "Rate exceeded"})
    if protocol == OIDC:
        return AwsError(429, "TooManyRequestsException", "Rate exceeded",
                        oidc_error="too_many_requests")
    if protocol == REST_JSON_LC:
        return AwsError(429, "TooManyRequestsException", "Rate exceeded")
    return AwsError(400, "ThrottlingException", "Rate exceeded")


def internal(protocol):
    if protocol == REST_JSON:
        return AwsError(500, "ServiceException",
                        "An internal error occurred.", sender=False)
    if protocol == OIDC:
        return AwsError(500, "InternalServerException",
                        "An internal error occurred.", sender=False,
                        oidc_error="server_error")
    return AwsError(500, "InternalFailure",
                    "The request processing has failed because of an "
                    "unknown error, exception or failure.", sender=False)


def unavailable(protocol):
    return AwsError(503, "ServiceUnavailable",
                    "Service is unavailable. Please try again later.",
                    sender=False,
                    oidc_error="server_error" if protocol == OIDC else None)


# What a hostile endpoint could answer: a retryable 503 whose error code
# (x-amzn-ErrorType, json __type) and message carry an OSC window-title
# change ended by BEL, a CSI screen clear and a raw 8-bit CSI (0x9b; the
# header goes out as latin-1, so it is one byte there).
HOSTILE_CODE = "ServiceUnavailable\x1b]0;pwned-title\x07\x1b[2J\x9b31m"
HOSTILE_MESSAGE = ("Service is unavailable.\x1b]0;pwned-message\x07"
                   "\x1b[31m red \u202egnp.exe")


def hostile(protocol):
    return AwsError(503, HOSTILE_CODE, HOSTILE_MESSAGE, sender=False,
                    oidc_error="server_error" if protocol == OIDC else None)
