/*
 * GetLayerVersion: its request target and the parser of its answer.
 */
#include "lambda-layer.h"

#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "aws-op.h"
#include "buf.h"
#include "uri.h"
#include "xmalloc.h"

void
lambda_layer_version_info_clear(struct lambda_layer_version_info *v)
{
	size_t i;

	if (v == NULL)
		return;
	free(v->layer_arn);
	free(v->layer_version_arn);
	free(v->code_sha256);
	free(v->description);
	free(v->created_date);
	for (i = 0; i < v->n_compatible_runtimes; i++)
		free(v->compatible_runtimes[i]);
	free(v->compatible_runtimes);
	memset(v, 0, sizeof *v);
}

/* A string member, or NULL; -1 when present with another type. */
static int
lambda_layer_string(const cJSON *obj, const char *name, char **out,
    struct dlc_err *err)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);

	if (v == NULL || cJSON_IsNull(v))
		return 0;
	if (!cJSON_IsString(v)) {
		dlc_err_set(err, "BadAnswer", "GetLayerVersion: %s is not a string", name);
		return -1;
	}
	*out = xstrdup(v->valuestring);
	return 0;
}

int
lambda_parse_get_layer_version(const char *body, size_t len,
    struct lambda_layer_version_info *out, struct dlc_err *err)
{
	const cJSON *content, *v, *rt;
	cJSON *doc = cJSON_ParseWithLength(body, len);
	size_t n;

	memset(out, 0, sizeof *out);
	if (!cJSON_IsObject(doc)) {
		cJSON_Delete(doc);
		dlc_err_set(err, "BadAnswer", "GetLayerVersion: the answer is not a JSON object");
		return -1;
	}
	v = cJSON_GetObjectItemCaseSensitive(doc, "Version");
	if (!cJSON_IsNumber(v)) {
		dlc_err_set(err, "BadAnswer", "GetLayerVersion: Version is missing or not a number");
		goto fail;
	}
	out->version = (long)v->valuedouble;
	content = cJSON_GetObjectItemCaseSensitive(doc, "Content");
	if (lambda_layer_string(doc, "LayerArn", &out->layer_arn, err) != 0 ||
	    lambda_layer_string(doc, "LayerVersionArn", &out->layer_version_arn, err) != 0 ||
	    lambda_layer_string(doc, "Description", &out->description, err) != 0 ||
	    lambda_layer_string(doc, "CreatedDate", &out->created_date, err) != 0)
		goto fail;
	if (content != NULL && !cJSON_IsObject(content)) {
		dlc_err_set(err, "BadAnswer", "GetLayerVersion: Content is not an object");
		goto fail;
	}
	if (content != NULL) {
		if (lambda_layer_string(content, "CodeSha256", &out->code_sha256, err) != 0)
			goto fail;
		v = cJSON_GetObjectItemCaseSensitive(content, "CodeSize");
		if (cJSON_IsNumber(v))
			out->code_size = (long long)v->valuedouble;
	}
	rt = cJSON_GetObjectItemCaseSensitive(doc, "CompatibleRuntimes");
	if (cJSON_IsArray(rt) && (n = (size_t)cJSON_GetArraySize(rt)) > 0) {
		out->compatible_runtimes = xcalloc(n, sizeof *out->compatible_runtimes);
		cJSON_ArrayForEach(v, rt) {
			if (cJSON_IsString(v))
				out->compatible_runtimes[out->n_compatible_runtimes++] =
				    xstrdup(v->valuestring);
		}
	}
	cJSON_Delete(doc);
	return 0;
fail:
	cJSON_Delete(doc);
	lambda_layer_version_info_clear(out);
	return -1;
}

char *
lambda_get_layer_version_target(const char *layer, long version)
{
	struct buf b;

	buf_init(&b, 0);
	buf_puts(&b, "/2018-10-31/layers/");
	uri_encode(&b, layer, strlen(layer), 0);
	buf_printf(&b, "/versions/%ld", version);
	return buf_detach(&b, NULL);
}

static void
lambda_layer_req(const void *args, const char *token, struct aws_request *req,
    char **owned)
{
	const struct lambda_get_layer_version_args *a = args;

	(void)token;
	req->method = "GET";
	req->target = owned[0] = lambda_get_layer_version_target(a->layer, a->version);
}

static int
lambda_layer_parse(const char *body, size_t len, void *out, struct dlc_err *err)
{
	return lambda_parse_get_layer_version(body, len, out, err);
}

static void
lambda_layer_clear(void *out)
{
	lambda_layer_version_info_clear(out);
}

AWS_OP_DELIVER(lambda_layer_deliver, lambda_get_layer_version_cb)

const struct aws_op lambda_layer_op_get_version = {
	&aws_service_lambda, "GetLayerVersion",
	sizeof(struct lambda_layer_version_info), lambda_layer_req,
	lambda_layer_parse, lambda_layer_clear, lambda_layer_deliver, NULL, 0,
};

struct aws_call *
lambda_layer_get_version(struct aws_env *env,
    const struct lambda_get_layer_version_args *args,
    lambda_get_layer_version_cb cb, void *arg)
{
	return aws_op_send(env, &lambda_layer_op_get_version, args, NULL,
	    (aws_op_fn)cb, arg);
}

/* ---- ListLayers ---- */

void
lambda_layers_page_clear(struct lambda_layers_page *p)
{
	size_t i;

	if (p == NULL)
		return;
	for (i = 0; i < p->n; i++) {
		free(p->layers[i].layer_name);
		free(p->layers[i].layer_arn);
	}
	free(p->layers);
	free(p->next_marker);
	memset(p, 0, sizeof *p);
}

int
lambda_parse_list_layers(const char *body, size_t len,
    struct lambda_layers_page *out, struct dlc_err *err)
{
	cJSON *doc = cJSON_ParseWithLength(body, len);
	const cJSON *list, *item, *latest, *v;
	size_t n;

	memset(out, 0, sizeof *out);
	list = cJSON_GetObjectItemCaseSensitive(doc, "Layers");
	if (!cJSON_IsObject(doc) || (list != NULL && !cJSON_IsArray(list))) {
		dlc_err_set(err, "BadAnswer", "ListLayers: the answer is not an object with a Layers list");
		goto fail;
	}
	if (lambda_layer_string(doc, "NextMarker", &out->next_marker, err) != 0)
		goto fail;
	n = list != NULL ? (size_t)cJSON_GetArraySize(list) : 0;
	out->layers = xcalloc(n + 1, sizeof *out->layers);
	cJSON_ArrayForEach(item, list) {
		struct lambda_layer_item *it = &out->layers[out->n];

		if (!cJSON_IsObject(item)) {
			dlc_err_set(err, "BadAnswer", "ListLayers: Layers[%zu] is not an object", out->n);
			goto fail;
		}
		out->n++;
		if (lambda_layer_string(item, "LayerName", &it->layer_name, err) != 0 ||
		    lambda_layer_string(item, "LayerArn", &it->layer_arn, err) != 0)
			goto fail;
		latest = cJSON_GetObjectItemCaseSensitive(item, "LatestMatchingVersion");
		v = cJSON_GetObjectItemCaseSensitive(latest, "Version");
		if (cJSON_IsNumber(v))
			it->latest_version = (long)v->valuedouble;
	}
	cJSON_Delete(doc);
	return 0;
fail:
	cJSON_Delete(doc);
	lambda_layers_page_clear(out);
	return -1;
}

char *
lambda_list_layers_target(const char *marker)
{
	struct buf b;

	buf_init(&b, 0);
	buf_puts(&b, "/2018-10-31/layers");
	if (marker != NULL && marker[0] != '\0') {
		buf_puts(&b, "?Marker=");
		uri_encode(&b, marker, strlen(marker), 0);
	}
	return buf_detach(&b, NULL);
}

static void
lambda_list_layers_req(const void *args, const char *token,
    struct aws_request *req, char **owned)
{
	(void)args;
	req->method = "GET";
	req->target = owned[0] = lambda_list_layers_target(token);
}

static int
lambda_list_layers_parse(const char *body, size_t len, void *out,
    struct dlc_err *err)
{
	return lambda_parse_list_layers(body, len, out, err);
}

static void
lambda_list_layers_clear(void *out)
{
	lambda_layers_page_clear(out);
}

static const char *
lambda_list_layers_next(const void *out)
{
	return ((const struct lambda_layers_page *)out)->next_marker;
}

AWS_OP_DELIVER(lambda_list_layers_deliver, lambda_list_layers_cb)

const struct aws_op lambda_op_list_layers = {
	&aws_service_lambda, "ListLayers", sizeof(struct lambda_layers_page),
	lambda_list_layers_req, lambda_list_layers_parse,
	lambda_list_layers_clear, lambda_list_layers_deliver,
	lambda_list_layers_next, 0,
};
