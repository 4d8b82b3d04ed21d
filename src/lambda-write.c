/*
 * Lambda's write operations (see lambda-write.h): request bodies built by
 * hand where they carry a zip (a 50 MB package through cJSON would be
 * copied twice more), with cJSON elsewhere.
 */
#include "lambda-write.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "buf.h"
#include "hash.h"
#include "proto-json.h"
#include "xmalloc.h"

/* {"ZipFile":"..."} around base64 is this much bigger than the base64. */
#define LAMBDA_WRITE_JSON_OVERHEAD	64

int
lambda_write_fits_inline(unsigned long long size, unsigned long long limit)
{
	unsigned long long b64 = (size + 2) / 3 * 4;

	if (limit == 0 || limit > LAMBDA_INLINE_ZIP_MAX)
		limit = LAMBDA_INLINE_ZIP_MAX;
	return size <= limit &&
	    b64 + LAMBDA_WRITE_JSON_OVERHEAD < LAMBDA_INLINE_REQUEST_MAX;
}

/* Appends "ZipFile":"<base64>" or the S3 pair (no braces). */
static void
lambda_write_code_members(struct buf *b, const unsigned char *zip,
    size_t zip_len, const char *bucket, const char *key)
{
	if (zip != NULL) {
		char *b64 = hash_base64_encode(zip, zip_len);

		buf_puts(b, "\"ZipFile\":\"");
		buf_puts(b, b64);
		buf_putc(b, '"');
		free(b64);
		return;
	}
	/* Bucket names and keys are dlc's own ([a-z0-9.-/]); quote them anyway. */
	{
		cJSON *o = cJSON_CreateObject();
		char *text, *inner;
		size_t n;

		cJSON_AddStringToObject(o, "S3Bucket", bucket != NULL ? bucket : "");
		cJSON_AddStringToObject(o, "S3Key", key != NULL ? key : "");
		text = cJSON_PrintUnformatted(o);
		if (text == NULL)
			fatal("out of memory");
		/* Drop the braces: the caller writes them. */
		n = strlen(text);
		inner = text + 1;
		text[n - 1] = '\0';
		buf_puts(b, inner);
		cJSON_free(text);
		cJSON_Delete(o);
	}
}

/* ---- UpdateFunctionCode ---- */

static void
lambda_update_code_req(const void *args, const char *token,
    struct aws_request *req, char **owned)
{
	const struct lambda_update_code_args *a = args;
	struct buf b;

	(void)token;
	req->method = "PUT";
	req->target = owned[0] = lambda_function_path(a->function_name, "/code");
	buf_init(&b, 0);
	buf_putc(&b, '{');
	lambda_write_code_members(&b, a->zip, a->zip_len, a->s3_bucket,
	    a->s3_key);
	buf_putc(&b, '}');
	req->body_len = b.len;
	req->body = owned[1] = buf_detach(&b, NULL);
}

static int
lambda_update_code_parse(const char *body, size_t len, void *out,
    struct dlc_err *err)
{
	return lambda_parse_function_configuration_body(body, len,
	    "UpdateFunctionCode", out, err);
}

static void
lambda_write_fc_clear(void *out)
{
	lambda_function_clear(out);
}

AWS_OP_DELIVER(lambda_write_fc_deliver, lambda_function_configuration_cb)

const struct aws_op lambda_op_update_function_code = {
	&aws_service_lambda, "UpdateFunctionCode", sizeof(struct lambda_function),
	lambda_update_code_req, lambda_update_code_parse, lambda_write_fc_clear,
	lambda_write_fc_deliver, NULL, 0,
};

struct aws_call *
lambda_update_function_code(struct aws_env *env,
    const struct lambda_update_code_args *a,
    lambda_function_configuration_cb cb, void *arg)
{
	return aws_op_send(env, &lambda_op_update_function_code, a, NULL,
	    (aws_op_fn)cb, arg);
}

/* ---- UpdateFunctionConfiguration (layers only) ---- */

static void
lambda_update_layers_req(const void *args, const char *token,
    struct aws_request *req, char **owned)
{
	const struct lambda_update_layers_args *a = args;
	cJSON *o = cJSON_CreateObject(), *list;
	size_t i;
	char *text;

	(void)token;
	req->method = "PUT";
	req->target = owned[0] = lambda_function_path(a->function_name,
	    "/configuration");
	list = cJSON_AddArrayToObject(o, "Layers");
	for (i = 0; i < a->n_layers; i++)
		cJSON_AddItemToArray(list, cJSON_CreateString(a->layers[i]));
	text = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	if (text == NULL)
		fatal("out of memory");
	req->body = owned[1] = xstrdup(text);
	cJSON_free(text);
}

static int
lambda_update_layers_parse(const char *body, size_t len, void *out,
    struct dlc_err *err)
{
	return lambda_parse_function_configuration_body(body, len,
	    "UpdateFunctionConfiguration", out, err);
}

const struct aws_op lambda_op_update_function_configuration = {
	&aws_service_lambda, "UpdateFunctionConfiguration",
	sizeof(struct lambda_function), lambda_update_layers_req,
	lambda_update_layers_parse, lambda_write_fc_clear,
	lambda_write_fc_deliver, NULL, 0,
};

struct aws_call *
lambda_update_function_layers(struct aws_env *env,
    const struct lambda_update_layers_args *a,
    lambda_function_configuration_cb cb, void *arg)
{
	return aws_op_send(env, &lambda_op_update_function_configuration, a,
	    NULL, (aws_op_fn)cb, arg);
}

/* ---- layer versions ---- */

void
lambda_layer_detail_clear(struct lambda_layer_detail *d)
{
	size_t i;

	if (d == NULL)
		return;
	free(d->layer_arn);
	free(d->layer_version_arn);
	free(d->code_sha256);
	free(d->description);
	for (i = 0; i < d->n_runtimes; i++)
		free(d->runtimes[i]);
	free(d->runtimes);
	memset(d, 0, sizeof *d);
}

int
lambda_parse_layer_detail(const char *body, size_t len, const char *op,
    struct lambda_layer_detail *out, struct dlc_err *err)
{
	const cJSON *content = NULL, *runtimes = NULL, *it;
	cJSON *tree;
	int64_t n = 0;

	memset(out, 0, sizeof *out);
	if ((tree = proto_json_parse_object(body, len, op, err)) == NULL)
		return -1;
	if (proto_json_dup_string(tree, "LayerArn", "", 0, &out->layer_arn,
	    err) != 0 ||
	    proto_json_dup_string(tree, "LayerVersionArn", "", 1,
	    &out->layer_version_arn, err) != 0 ||
	    proto_json_get_int64(tree, "Version", "", 1, &n, err) != 0 ||
	    proto_json_dup_string(tree, "Description", "", 0,
	    &out->description, err) != 0 ||
	    proto_json_get_object(tree, "Content", "", 0, &content, err) != 0 ||
	    proto_json_get_array(tree, "CompatibleRuntimes", "", 0, &runtimes,
	    err) != 0)
		goto fail;
	out->version = (long)n;
	if (content != NULL) {
		n = 0;
		if (proto_json_dup_string(content, "CodeSha256", "Content", 0,
		    &out->code_sha256, err) != 0 ||
		    proto_json_get_int64(content, "CodeSize", "Content", 0, &n,
		    err) != 0)
			goto fail;
		out->code_size = n;
	}
	cJSON_ArrayForEach(it, runtimes) {
		if (!cJSON_IsString(it)) {
			dlc_err_set(err, "MalformedResponse",
			    "CompatibleRuntimes holds %s, expected strings",
			    proto_json_type_name(it));
			goto fail;
		}
		out->runtimes = xreallocarray(out->runtimes,
		    out->n_runtimes + 1, sizeof *out->runtimes);
		out->runtimes[out->n_runtimes++] = xstrdup(it->valuestring);
	}
	cJSON_Delete(tree);
	return 0;
fail:
	proto_json_err_prefix(err, op);
	cJSON_Delete(tree);
	lambda_layer_detail_clear(out);
	return -1;
}

static void
lambda_layer_detail_clear_op(void *out)
{
	lambda_layer_detail_clear(out);
}

AWS_OP_DELIVER(lambda_layer_detail_deliver, lambda_layer_detail_cb)

static void
lambda_publish_layer_req(const void *args, const char *token,
    struct aws_request *req, char **owned)
{
	const struct lambda_publish_layer_args *a = args;
	struct buf b;
	size_t i;

	(void)token;
	req->method = "POST";
	req->target = owned[0] = lambda_list_layer_versions_target(a->layer_name, NULL);
	buf_init(&b, 0);
	buf_puts(&b, "{\"Content\":{");
	lambda_write_code_members(&b, a->zip, a->zip_len, a->s3_bucket,
	    a->s3_key);
	buf_putc(&b, '}');
	if (a->description != NULL || a->n_runtimes > 0) {
		cJSON *o = cJSON_CreateObject(), *list;
		char *text;

		if (a->description != NULL)
			cJSON_AddStringToObject(o, "Description",
			    a->description);
		if (a->n_runtimes > 0) {
			list = cJSON_AddArrayToObject(o, "CompatibleRuntimes");
			for (i = 0; i < a->n_runtimes; i++)
				cJSON_AddItemToArray(list,
				    cJSON_CreateString(a->runtimes[i]));
		}
		text = cJSON_PrintUnformatted(o);
		cJSON_Delete(o);
		if (text == NULL)
			fatal("out of memory");
		/* {"Description":...} -> ,"Description":... */
		buf_putc(&b, ',');
		buf_append(&b, text + 1, strlen(text) - 2);
		cJSON_free(text);
	}
	buf_putc(&b, '}');
	req->body_len = b.len;
	req->body = owned[1] = buf_detach(&b, NULL);
}

static int
lambda_publish_layer_parse(const char *body, size_t len, void *out,
    struct dlc_err *err)
{
	return lambda_parse_layer_detail(body, len, "PublishLayerVersion", out,
	    err);
}

const struct aws_op lambda_op_publish_layer_version = {
	&aws_service_lambda, "PublishLayerVersion",
	sizeof(struct lambda_layer_detail), lambda_publish_layer_req,
	lambda_publish_layer_parse, lambda_layer_detail_clear_op,
	lambda_layer_detail_deliver, NULL, 0,
};

struct aws_call *
lambda_publish_layer_version(struct aws_env *env,
    const struct lambda_publish_layer_args *a, lambda_layer_detail_cb cb,
    void *arg)
{
	return aws_op_send(env, &lambda_op_publish_layer_version, a, NULL,
	    (aws_op_fn)cb, arg);
}

static void
lambda_get_layer_version_req(const void *args, const char *token,
    struct aws_request *req, char **owned)
{
	const struct lambda_layer_version_args *a = args;
	char *base = lambda_list_layer_versions_target(a->layer_name, NULL);

	(void)token;
	req->method = "GET";
	req->target = owned[0] = xasprintf("%s/%ld", base, a->version);
	free(base);
}

static int
lambda_get_layer_version_parse(const char *body, size_t len, void *out,
    struct dlc_err *err)
{
	return lambda_parse_layer_detail(body, len, "GetLayerVersion", out,
	    err);
}

const struct aws_op lambda_op_get_layer_version = {
	&aws_service_lambda, "GetLayerVersion",
	sizeof(struct lambda_layer_detail), lambda_get_layer_version_req,
	lambda_get_layer_version_parse, lambda_layer_detail_clear_op,
	lambda_layer_detail_deliver, NULL, 0,
};

struct aws_call *
lambda_get_layer_version(struct aws_env *env,
    const struct lambda_layer_version_args *a, lambda_layer_detail_cb cb,
    void *arg)
{
	return aws_op_send(env, &lambda_op_get_layer_version, a, NULL,
	    (aws_op_fn)cb, arg);
}
