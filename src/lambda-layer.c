/*
 * ListLayers: its request target and the parser of its answer.
 */
#include "lambda-layer.h"

#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "aws-op.h"
#include "buf.h"
#include "uri.h"
#include "xmalloc.h"

static int
lambda_layer_string(const cJSON *obj, const char *name, char **out,
    struct dlc_err *err)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);

	if (v == NULL || cJSON_IsNull(v))
		return 0;
	if (!cJSON_IsString(v)) {
		dlc_err_set(err, "BadAnswer", "ListLayers: %s is not a string", name);
		return -1;
	}
	*out = xstrdup(v->valuestring);
	return 0;
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
