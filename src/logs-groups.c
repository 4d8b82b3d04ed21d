/* DescribeLogGroups and DescribeSubscriptionFilters (logs-groups.h). */
#include "logs-groups.h"
#include "aws-op.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "proto-json.h"
#include "xmalloc.h"

static char *
logs_groups_body(const char *key, const char *value, const char *next_token)
{
	cJSON *o = cJSON_CreateObject();
	char *s, *copy;

	if (o == NULL || cJSON_AddStringToObject(o, key, value) == NULL ||
	    cJSON_AddNumberToObject(o, "limit", 50) == NULL ||
	    (next_token != NULL && next_token[0] != '\0' &&
	    cJSON_AddStringToObject(o, "nextToken", next_token) == NULL) ||
	    (s = cJSON_PrintUnformatted(o)) == NULL)
		fatal("out of memory building a CloudWatch Logs request");
	copy = xstrdup(s);
	cJSON_free(s);
	cJSON_Delete(o);
	return copy;
}

char *
logs_groups_describe_body(const char *prefix, const char *next_token)
{
	return logs_groups_body("logGroupNamePrefix", prefix, next_token);
}

char *
logs_groups_filters_body(const char *group, const char *next_token)
{
	return logs_groups_body("logGroupName", group, next_token);
}

/* The array field and nextToken of a paged answer; the tree is the caller's to free. */
static cJSON *
logs_groups_list(const char *body, size_t len, const char *op, const char *field,
    const cJSON **arr, char **next_token, struct dlc_err *err)
{
	const char *token = NULL;
	cJSON *tree = proto_json_parse_object(body, len, op, err);

	if (tree == NULL)
		return NULL;
	if (proto_json_get_array(tree, field, NULL, 0, arr, err) != 0 ||
	    proto_json_get_string(tree, "nextToken", NULL, 0, &token, err) != 0) {
		proto_json_err_prefix(err, op);
		cJSON_Delete(tree);
		return NULL;
	}
	*next_token = token != NULL && token[0] != '\0' ? xstrdup(token) : NULL;
	return tree;
}

int
logs_groups_parse_describe(const char *body, size_t len,
    struct logs_groups_page *out, struct dlc_err *err)
{
	static const char op[] = "DescribeLogGroups";
	const cJSON *arr = NULL, *item;
	cJSON *tree;
	int64_t v;
	char path[64];

	memset(out, 0, sizeof *out);
	if ((tree = logs_groups_list(body, len, op, "logGroups", &arr,
	    &out->next_token, err)) == NULL)
		return -1;
	out->groups = xcalloc((arr != NULL ? (size_t)cJSON_GetArraySize(arr) : 0) + 1,
	    sizeof *out->groups);
	if (arr != NULL) {
		cJSON_ArrayForEach(item, arr) {
			struct logs_group *g = &out->groups[out->n];

			snprintf(path, sizeof path, "logGroups[%zu]", out->n);
			if (proto_json_expect_object(item, path, err) != 0 ||
			    proto_json_dup_string(item, "logGroupName", path, 1, &g->name, err) != 0)
				goto fail;
			out->n++;
			v = 0;
			if (proto_json_get_int64(item, "retentionInDays", path, 0, &v, err) != 0)
				goto fail;
			g->retention = (long)v;
			v = 0;
			if (proto_json_get_int64(item, "storedBytes", path, 0, &v, err) != 0)
				goto fail;
			g->stored_bytes = v;
		}
	}
	cJSON_Delete(tree);
	return 0;
fail:
	proto_json_err_prefix(err, op);
	cJSON_Delete(tree);
	logs_groups_page_clear(out);
	return -1;
}

int
logs_groups_parse_filters(const char *body, size_t len,
    struct logs_filters_page *out, struct dlc_err *err)
{
	static const char op[] = "DescribeSubscriptionFilters";
	const cJSON *arr = NULL, *item;
	cJSON *tree;
	char path[64];

	memset(out, 0, sizeof *out);
	if ((tree = logs_groups_list(body, len, op, "subscriptionFilters", &arr,
	    &out->next_token, err)) == NULL)
		return -1;
	out->filters = xcalloc((arr != NULL ? (size_t)cJSON_GetArraySize(arr) : 0) + 1,
	    sizeof *out->filters);
	if (arr != NULL) {
		cJSON_ArrayForEach(item, arr) {
			struct logs_filter *f = &out->filters[out->n];

			snprintf(path, sizeof path, "subscriptionFilters[%zu]", out->n);
			if (proto_json_expect_object(item, path, err) != 0)
				goto fail;
			out->n++;
			if (proto_json_dup_string(item, "filterName", path, 0, &f->name, err) != 0 ||
			    proto_json_dup_string(item, "filterPattern", path, 0, &f->pattern, err) != 0 ||
			    proto_json_dup_string(item, "destinationArn", path, 0, &f->destination, err) != 0)
				goto fail;
		}
	}
	cJSON_Delete(tree);
	return 0;
fail:
	proto_json_err_prefix(err, op);
	cJSON_Delete(tree);
	logs_filters_page_clear(out);
	return -1;
}

void
logs_groups_page_clear(struct logs_groups_page *p)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		free(p->groups[i].name);
	free(p->groups);
	free(p->next_token);
	memset(p, 0, sizeof *p);
}

void
logs_filters_page_clear(struct logs_filters_page *p)
{
	size_t i;

	for (i = 0; i < p->n; i++) {
		free(p->filters[i].name);
		free(p->filters[i].pattern);
		free(p->filters[i].destination);
	}
	free(p->filters);
	free(p->next_token);
	memset(p, 0, sizeof *p);
}

/* ---- operations ---- */

static void
logs_groups_describe_req(const void *args, const char *token,
    struct aws_request *req, char **owned)
{
	req->body = owned[0] = logs_groups_describe_body(args, token);
}

static int
logs_groups_describe_parse(const char *body, size_t len, void *out,
    struct dlc_err *err)
{
	return logs_groups_parse_describe(body, len, out, err);
}

static void
logs_groups_describe_clear(void *out)
{
	logs_groups_page_clear(out);
}

AWS_OP_DELIVER(logs_groups_describe_deliver, logs_groups_describe_cb)

static const char *
logs_groups_describe_next(const void *out)
{
	return ((const struct logs_groups_page *)out)->next_token;
}

const struct aws_op logs_groups_op_describe = {
	&aws_service_logs, "DescribeLogGroups", sizeof(struct logs_groups_page),
	logs_groups_describe_req, logs_groups_describe_parse,
	logs_groups_describe_clear, logs_groups_describe_deliver,
	logs_groups_describe_next, 0,
};

static void
logs_groups_filters_req(const void *args, const char *token,
    struct aws_request *req, char **owned)
{
	req->body = owned[0] = logs_groups_filters_body(args, token);
}

static int
logs_groups_filters_parse(const char *body, size_t len, void *out,
    struct dlc_err *err)
{
	return logs_groups_parse_filters(body, len, out, err);
}

static void
logs_groups_filters_clear(void *out)
{
	logs_filters_page_clear(out);
}

AWS_OP_DELIVER(logs_groups_filters_deliver, logs_groups_filters_cb)

static const char *
logs_groups_filters_next(const void *out)
{
	return ((const struct logs_filters_page *)out)->next_token;
}

const struct aws_op logs_groups_op_filters = {
	&aws_service_logs, "DescribeSubscriptionFilters",
	sizeof(struct logs_filters_page), logs_groups_filters_req,
	logs_groups_filters_parse, logs_groups_filters_clear,
	logs_groups_filters_deliver, logs_groups_filters_next, 0,
};
