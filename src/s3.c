/*
 * S3 over the call pipeline. Path-style addressing (/bucket/key) works
 * with every bucket name and with the custom endpoints tests and local
 * stacks use; S3 still serves it for existing and new buckets.
 */
#include "s3.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "uri.h"
#include "xmalloc.h"

char *
s3_target(const char *bucket, const char *key)
{
	struct buf b;

	buf_init(&b, 0);
	buf_putc(&b, '/');
	uri_encode(&b, bucket, strlen(bucket), 0);
	if (key != NULL) {
		buf_putc(&b, '/');
		uri_encode(&b, key, strlen(key), 1);
	}
	return buf_detach(&b, NULL);
}

struct aws_call *
s3_create_bucket(struct aws_env *env, const char *bucket, aws_done_cb cb,
    void *arg)
{
	struct aws_request req;
	struct aws_call *call;
	const char *region = aws_env_region(env);
	char *target = s3_target(bucket, NULL), *body = NULL;

	memset(&req, 0, sizeof req);
	req.operation = "CreateBucket";
	req.method = "PUT";
	req.target = target;
	/* us-east-1 is the default location and refuses to be named. */
	if (region != NULL && strcmp(region, "us-east-1") != 0) {
		body = xasprintf("<CreateBucketConfiguration xmlns="
		    "\"http://s3.amazonaws.com/doc/2006-03-01/\"><LocationConstraint>"
		    "%s</LocationConstraint></CreateBucketConfiguration>", region);
		req.body = body;
		req.body_len = strlen(body);
		req.content_type = "application/xml";
	}
	call = aws_send(env, &aws_service_s3, &req, cb, arg);
	free(target);
	free(body);
	return call;
}

/* One object-level request: no body, or the body streamed from path. */
static struct aws_call *
s3_object_call(struct aws_env *env, const char *op, const char *method,
    const char *bucket, const char *key, const char *path,
    aws_progress_cb progress, aws_done_cb cb, void *arg)
{
	struct aws_request req;
	struct aws_call *call;
	char *target = s3_target(bucket, key);

	memset(&req, 0, sizeof req);
	req.operation = op;
	req.method = method;
	req.target = target;
	req.body_path = path;
	req.progress = progress;
	call = aws_send(env, &aws_service_s3, &req, cb, arg);
	free(target);
	return call;
}

struct aws_call *
s3_put_object(struct aws_env *env, const char *bucket, const char *key,
    const char *path, aws_progress_cb progress, aws_done_cb cb, void *arg)
{
	return s3_object_call(env, "PutObject", "PUT", bucket, key, path,
	    progress, cb, arg);
}

struct aws_call *
s3_head_object(struct aws_env *env, const char *bucket, const char *key,
    aws_done_cb cb, void *arg)
{
	return s3_object_call(env, "HeadObject", "HEAD", bucket, key, NULL,
	    NULL, cb, arg);
}
