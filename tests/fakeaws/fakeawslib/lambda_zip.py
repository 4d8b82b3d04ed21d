"""Deployment packages for Lambda's write operations: the zip from the
request (ZipFile, base64 in the JSON) or from the fake's own S3 store,
checked against Lambda's limits and summarised as Lambda does.
"""

import base64
import binascii
import hashlib
import io
import os
import re
import zipfile

from .errors import AwsError, Response

# Lambda's quotas: a direct upload's request is capped at 50 MiB * 4/3
# (the zip travels base64 in JSON, so this is the 50 MiB zip limit), and
# the function unzipped (with its layers) at 250 MB.
REQUEST_MAX = 69905067
UNZIPPED_MAX = 262144000


def invalid(message):
    return AwsError(400, "InvalidParameterValueException", message)


def check_request_size(ctx, operation):
    """413 before anything else, as Lambda's front door answers."""
    if len(ctx.body) > REQUEST_MAX:
        err = AwsError(413, "RequestEntityTooLargeException",
                       "Request must be smaller than %d bytes for the %s "
                       "operation" % (REQUEST_MAX, operation))
        err.front_door = True
        raise err


class Package:
    """A checked zip: its bytes and what Lambda reports about them."""

    def __init__(self, data):
        self.data = data
        self.size = len(data)
        self.sha256 = base64.b64encode(hashlib.sha256(data).digest()).decode()
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                self.unzipped = sum(i.file_size for i in z.infolist())
        except (zipfile.BadZipFile, ValueError, EOFError):
            raise invalid("Could not unzip uploaded file. Please check your "
                          "file, then try to upload again.")
        if self.unzipped > UNZIPPED_MAX:
            raise invalid("Unzipped size must be smaller than %d bytes"
                          % UNZIPPED_MAX)


def _from_s3(ctx, bucket, key, version):
    def s3_error(code, message):
        return invalid("Error occurred while GetObject. S3 Error Code: %s. "
                       "S3 Error Message: %s" % (code, message))
    store = ctx.s3_store
    with store.lock:
        b = store.buckets.get(bucket)
        obj = b.objects.get(key) if b is not None else None
    if b is None:
        raise s3_error("NoSuchBucket", "The specified bucket does not exist")
    if b.owner != ctx.caller.account:
        raise s3_error("AccessDenied", "Access Denied")
    if obj is None:
        raise s3_error("NoSuchKey", "The specified key does not exist.")
    if version not in (None, "null"):
        # The fake's buckets are unversioned: only "null" names a version.
        raise s3_error("NoSuchVersion", "The specified version does not "
                       "exist.")
    with open(obj.path, "rb") as f:
        return f.read()


def read(ctx, doc):
    """The Package a request's ZipFile or S3Bucket/S3Key names."""
    zip_b64 = doc.get("ZipFile")
    bucket, key = doc.get("S3Bucket"), doc.get("S3Key")
    if zip_b64 is not None and (bucket is not None or key is not None):
        raise invalid("Please do not provide other FunctionCode parameters "
                      "when providing a ZipFile.")
    if zip_b64 is not None:
        try:
            data = base64.b64decode(zip_b64, validate=True)
        except (binascii.Error, TypeError, ValueError):
            raise invalid("Could not unzip uploaded file. Please check your "
                          "file, then try to upload again.")
        return Package(data)
    if bucket is None or key is None:
        raise invalid("Please provide a source for function code.")
    return Package(_from_s3(ctx, bucket, key, doc.get("S3ObjectVersion")))


# Uploaded code is kept as a file beside the S3 objects, so GetFunction's
# Code.Location and GetLayerVersion's Content.Location can be real links
# (unsigned GETs, as a presigned S3 URL is) for a client that downloads
# the deployed zip.
CODE_PREFIX = "/_fakeaws/code/"
CODE_NAME = re.compile(r"^code-\d+$")


def save(ctx, package):
    """Keep the package's bytes; the name its download link uses."""
    path = ctx.s3_store.new_path()
    name = "code-" + os.path.basename(path).rsplit("-", 1)[1]
    with open(os.path.join(os.path.dirname(path), name), "wb") as f:
        f.write(package.data)
    return name


def location(ctx, name):
    return ("http://%s%s%s?X-Amz-Algorithm=AWS4-HMAC-SHA256"
            "&X-Amz-Expires=600&X-Amz-Signature=FAKE" % (
                ctx.header("host") or "127.0.0.1", CODE_PREFIX, name))


def download(store, ctx):
    """The admin GET of a Location: the zip, or S3's NoSuchKey."""
    name = ctx.path[len(CODE_PREFIX):]
    path = os.path.join(store.dir, name)
    if not CODE_NAME.match(name) or not os.path.exists(path):
        return AwsError(404, "NoSuchKey", "The specified key does not "
                        "exist.").to_response("rest-xml", ctx.request_id)
    r = Response(200, b"", "application/zip",
                 [("Content-Length", str(os.path.getsize(path)))])
    r.path = path
    return r
