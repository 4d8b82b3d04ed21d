/*
 * The S3 operations a push needs when a package is too big to go inline
 * (Lambda takes 50 MB zipped; S3Bucket/S3Key beyond that): typed calls
 * over aws_send with S3's rules (path-style addressing, rest-xml errors,
 * x-amz-content-sha256 signed). Each returns the call, for aws_call_cancel;
 * the answer's headers (ETag, Content-Length) are read with
 * aws_response_header in the callback.
 */
#ifndef DLC_S3_H
#define DLC_S3_H

#include "aws.h"

/*
 * PUT /bucket with the environment's region as LocationConstraint (none
 * in us-east-1, as S3 wants). BucketAlreadyOwnedByYou is an error code
 * the caller may take as success.
 */
struct aws_call	*s3_create_bucket(struct aws_env *env, const char *bucket,
		    aws_done_cb cb, void *arg);

/*
 * Uploads the file at path as bucket/key in one PutObject (S3 takes up to
 * 5 GB so). The body streams from the file: memory stays flat whatever
 * its size. Its SHA-256 is computed across loop turns first, then signed;
 * a retry sends the file again from its start (progress starts again from
 * 0). progress may be NULL. On success the ETag header is the quoted hex
 * MD5 of the file.
 */
struct aws_call	*s3_put_object(struct aws_env *env, const char *bucket,
		    const char *key, const char *path, aws_progress_cb progress,
		    aws_done_cb cb, void *arg);

/* HEAD of bucket/key: the object's headers, or err.code "404" when absent. */
struct aws_call	*s3_head_object(struct aws_env *env, const char *bucket,
		    const char *key, aws_done_cb cb, void *arg);

/* The request target "/bucket/key" with both encoded ('/' kept in the key); allocated. */
char		*s3_target(const char *bucket, const char *key);

#endif
