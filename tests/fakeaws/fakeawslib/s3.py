"""Amazon S3, path-style (/bucket/key), rest-xml: CreateBucket, PutObject,
HeadObject and GetObject.

Object bodies are streamed to files in a temporary directory while their
SHA-256 and MD5 are computed, never held in memory, so a 100 MB upload
costs the server one chunk of RAM. The SigV4 check itself is the server's
(authenticate, with S3's rules: x-amz-content-sha256 is required and
signed, the path is not normalised); here the body is checked against the
hash that was signed, as S3 does once it has read it.
"""

import hashlib
import os
import re
import shutil
import tempfile
import threading
import time
from email.utils import formatdate
from urllib.parse import unquote

from .errors import AwsError, Response

CHUNK = 1024 * 1024
MAX_OBJECT = 5 * 1024 ** 3          # a single PUT's limit
UNSIGNED = "UNSIGNED-PAYLOAD"
HEX64 = re.compile(r"^[0-9a-f]{64}$")
BUCKET = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")


class Object:
    def __init__(self, path, size, etag, content_type):
        self.path = path
        self.size = size
        self.etag = etag
        self.content_type = content_type
        self.modified = time.time()


class Bucket:
    def __init__(self, owner):
        self.owner = owner
        self.objects = {}


class Store:
    """Buckets are global (as in S3); objects live as files under a temp dir."""

    def __init__(self):
        self.lock = threading.Lock()
        self.dir = tempfile.mkdtemp(prefix="fakeaws-s3-")
        self.buckets = {}
        self.serial = 0

    def reset(self, accounts=()):
        """Empty, then the seed's buckets (Account.buckets), each owned
        by its account."""
        with self.lock:
            self.buckets.clear()
            for acct in accounts:
                for name in acct.buckets:
                    self.buckets[name] = Bucket(acct)

    def close(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def new_path(self):
        with self.lock:
            self.serial += 1
            return os.path.join(self.dir, "obj-%d" % self.serial)


def checked_payload_hash(value):
    """Raise as S3 does for a missing or malformed x-amz-content-sha256."""
    if not value:
        raise AwsError(400, "InvalidRequest", "Missing required header for "
                       "this request: x-amz-content-sha256")
    if value.startswith("STREAMING-"):
        raise AwsError(501, "NotImplemented", "A header you provided "
                       "implies functionality that is not implemented "
                       "(fakeaws: aws-chunked uploads).")
    if value != UNSIGNED and not HEX64.match(value):
        raise AwsError(400, "InvalidArgument", "x-amz-content-sha256 must "
                       "be UNSIGNED-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-"
                       "PAYLOAD or a valid sha256 value.")


def _split(ctx):
    path = ctx.path[1:]
    bucket, _, key = path.partition("/")
    return unquote(bucket), unquote(key)


def _bucket(ctx, name, store):
    b = store.buckets.get(name)
    if b is None:
        raise AwsError(404, "NoSuchBucket", "The specified bucket does not "
                       "exist", extra={"BucketName": name})
    if b.owner != ctx.caller.account:
        raise AwsError(403, "AccessDenied", "Access Denied")
    return b


def _object_headers(obj):
    return [("ETag", obj.etag),
            ("Last-Modified", formatdate(obj.modified, usegmt=True)),
            ("Accept-Ranges", "bytes"),
            ("Content-Type", obj.content_type),
            ("Content-Length", str(obj.size)),
            ("x-amz-server-side-encryption", "AES256")]


def create_bucket(ctx, store, name):
    ctx.operation = "CreateBucket"
    ctx.read_body()
    if not BUCKET.match(name):
        raise AwsError(400, "InvalidBucketName", "The specified bucket is "
                       "not valid.", extra={"BucketName": name})
    with store.lock:
        b = store.buckets.get(name)
        if b is not None:
            if b.owner == ctx.caller.account:
                raise AwsError(409, "BucketAlreadyOwnedByYou", "Your "
                               "previous request to create the named bucket "
                               "succeeded and you already own it.",
                               extra={"BucketName": name})
            raise AwsError(409, "BucketAlreadyExists", "The requested bucket "
                           "name is not available.",
                           extra={"BucketName": name})
        store.buckets[name] = Bucket(ctx.caller.account)
    return Response(200, b"", headers=[("Location", "/" + name)])


def put_object(ctx, store, name, key):
    ctx.operation = "PutObject"
    with store.lock:
        _bucket(ctx, name, store)
    length = ctx.header("content-length")
    if length is None:
        raise AwsError(411, "MissingContentLength", "You must provide the "
                       "Content-Length HTTP header.")
    length = int(length)
    if length > MAX_OBJECT:
        raise AwsError(400, "EntityTooLarge", "Your proposed upload exceeds "
                       "the maximum allowed size")
    path = store.new_path()
    sha, md5, left = hashlib.sha256(), hashlib.md5(), length
    ctx.body_consumed = True
    with open(path, "wb") as f:
        while left > 0:
            chunk = ctx.stream.read(min(CHUNK, left))
            if not chunk:
                break
            sha.update(chunk)
            md5.update(chunk)
            f.write(chunk)
            left -= len(chunk)
    if left > 0:
        os.unlink(path)
        raise AwsError(400, "IncompleteBody", "You did not provide the "
                       "number of bytes specified by the Content-Length "
                       "HTTP header")
    signed = ctx.header("x-amz-content-sha256")
    if signed != UNSIGNED and signed != sha.hexdigest():
        os.unlink(path)
        raise AwsError(400, "XAmzContentSHA256Mismatch", "The provided "
                       "'x-amz-content-sha256' header does not match what "
                       "was computed.",
                       extra={"ClientComputedContentSHA256": signed,
                              "S3ComputedContentSHA256": sha.hexdigest()})
    md5_header = ctx.header("content-md5")
    if md5_header is not None:
        import base64
        if md5_header != base64.b64encode(md5.digest()).decode():
            os.unlink(path)
            raise AwsError(400, "BadDigest", "The Content-MD5 you specified "
                           "did not match what we received.")
    obj = Object(path, length, '"%s"' % md5.hexdigest(),
                 ctx.header("content-type") or "binary/octet-stream")
    with store.lock:
        b = _bucket(ctx, name, store)
        old = b.objects.get(key)
        b.objects[key] = obj
    if old is not None:
        os.unlink(old.path)
    return Response(200, b"", headers=[
        ("ETag", obj.etag), ("x-amz-server-side-encryption", "AES256")])


def get_object(ctx, store, name, key, head):
    ctx.operation = "HeadObject" if head else "GetObject"
    with store.lock:
        b = _bucket(ctx, name, store)
        obj = b.objects.get(key)
    if obj is None:
        raise AwsError(404, "NoSuchKey", "The specified key does not exist.",
                       extra={"Key": key})
    r = Response(200, b"", headers=_object_headers(obj))
    if not head:
        r.path = obj.path
    return r


def dispatch(ctx, store):
    r = _dispatch(ctx, store)
    r.headers += [("x-amz-request-id", ctx.request_id),
                  ("x-amz-id-2", ctx.request_id)]
    return r


def _dispatch(ctx, store):
    name, key = _split(ctx)
    if not name:
        raise AwsError(501, "NotImplemented", "fakeaws: ListBuckets is not "
                       "implemented")
    if ctx.method == "PUT" and not key:
        return create_bucket(ctx, store, name)
    if ctx.method == "PUT":
        return put_object(ctx, store, name, key)
    if ctx.method in ("GET", "HEAD") and key:
        ctx.read_body()
        return get_object(ctx, store, name, key, ctx.method == "HEAD")
    raise AwsError(501, "NotImplemented", "fakeaws: %s %s is not "
                   "implemented" % (ctx.method, ctx.path))
