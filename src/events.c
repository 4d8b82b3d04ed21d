/* EventBridge (json 1.1): its operations, request bodies and answer parsers. */
#include "events.h"
#include "aws-op.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "proto-json.h"
#include "xmalloc.h"

static char *
events_print(cJSON *obj)
{
	char *s = cJSON_PrintUnformatted(obj);
	char *copy;

	if (s == NULL)
		fatal("out of memory printing an EventBridge request");
	/* cJSON allocates with its own hooks: hand back an xmalloc'd copy. */
	copy = xstrdup(s);
	cJSON_free(s);
	cJSON_Delete(obj);
	return copy;
}

char *
events_list_rule_names_by_target_body(const char *target_arn,
    const char *next_token)
{
	cJSON *o = cJSON_CreateObject();

	if (o == NULL || cJSON_AddStringToObject(o, "TargetArn",
	    target_arn) == NULL)
		fatal("out of memory building an EventBridge request");
	if (next_token != NULL && next_token[0] != '\0' &&
	    cJSON_AddStringToObject(o, "NextToken", next_token) == NULL)
		fatal("out of memory building an EventBridge request");
	return events_print(o);
}

void
events_names_free(char **names, size_t n)
{
	size_t i;

	if (names == NULL)
		return;
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

int
events_parse_list_rule_names_by_target(const char *body, size_t len,
    char ***names, size_t *n, char **next_token, struct dlc_err *err)
{
	static const char op[] = "ListRuleNamesByTarget";
	const cJSON *arr = NULL, *item;
	const char *token = NULL;
	char **v;
	size_t k = 0;
	cJSON *tree;

	*names = NULL;
	*n = 0;
	*next_token = NULL;
	tree = proto_json_parse_object(body, len, op, err);
	if (tree == NULL)
		return -1;
	/* An account with no rules for the target may leave RuleNames out. */
	if (proto_json_get_array(tree, "RuleNames", NULL, 0, &arr, err) != 0 ||
	    proto_json_get_string(tree, "NextToken", NULL, 0, &token,
	    err) != 0) {
		proto_json_err_prefix(err, op);
		cJSON_Delete(tree);
		return -1;
	}
	v = xcalloc((arr != NULL ? (size_t)cJSON_GetArraySize(arr) : 0) + 1,
	    sizeof *v);
	if (arr != NULL) {
		cJSON_ArrayForEach(item, arr) {
			if (!cJSON_IsString(item) || item->valuestring == NULL) {
				dlc_err_set(err, "MalformedResponse", "%s: "
				    "RuleNames[%zu] is %s, expected a string",
				    op, k, proto_json_type_name(item));
				events_names_free(v, k);
				cJSON_Delete(tree);
				return -1;
			}
			v[k++] = xstrdup(item->valuestring);
		}
	}
	*names = v;
	*n = k;
	*next_token = token != NULL && token[0] != '\0' ? xstrdup(token) :
	    NULL;
	cJSON_Delete(tree);
	return 0;
}

char *
events_describe_rule_body(const char *name)
{
	cJSON *o = cJSON_CreateObject();

	if (o == NULL || cJSON_AddStringToObject(o, "Name", name) == NULL)
		fatal("out of memory building an EventBridge request");
	return events_print(o);
}

void
events_rule_clear(struct events_rule *rule)
{
	if (rule == NULL)
		return;
	free(rule->name);
	free(rule->arn);
	free(rule->schedule_expression);
	free(rule->event_pattern);
	free(rule->state);
	free(rule->description);
	memset(rule, 0, sizeof *rule);
}

int
events_parse_describe_rule(const char *body, size_t len,
    struct events_rule *out, struct dlc_err *err)
{
	static const char op[] = "DescribeRule";
	static const struct {
		const char	*field;
		size_t		 offset;
		int		 required;
	} fields[] = {
		{ "Name", offsetof(struct events_rule, name), 1 },
		{ "Arn", offsetof(struct events_rule, arn), 0 },
		{ "ScheduleExpression",
		    offsetof(struct events_rule, schedule_expression), 0 },
		{ "EventPattern", offsetof(struct events_rule, event_pattern), 0 },
		{ "State", offsetof(struct events_rule, state), 0 },
		{ "Description", offsetof(struct events_rule, description), 0 },
	};
	cJSON *tree;
	size_t i;

	memset(out, 0, sizeof *out);
	tree = proto_json_parse_object(body, len, op, err);
	if (tree == NULL)
		return -1;
	for (i = 0; i < sizeof fields / sizeof fields[0]; i++) {
		const char *s = NULL;

		if (proto_json_get_string(tree, fields[i].field, NULL,
		    fields[i].required, &s, err) != 0) {
			proto_json_err_prefix(err, op);
			events_rule_clear(out);
			cJSON_Delete(tree);
			return -1;
		}
		*(char **)((char *)out + fields[i].offset) = xstrdup(s);
	}
	cJSON_Delete(tree);
	return 0;
}

/* ---- operations ---- */

static void
events_rule_names_req(const void *args, const char *token,
    struct aws_request *req, char **owned)
{
	req->body = owned[0] = events_list_rule_names_by_target_body(args,
	    token);
}

static int
events_rule_names_parse(const char *body, size_t len, void *out,
    struct dlc_err *err)
{
	struct events_names_page *p = out;

	return events_parse_list_rule_names_by_target(body, len, &p->names,
	    &p->n, &p->next_token, err);
}

static void
events_rule_names_clear(void *out)
{
	struct events_names_page *p = out;

	events_names_free(p->names, p->n);
	free(p->next_token);
	memset(p, 0, sizeof *p);
}

AWS_OP_DELIVER(events_rule_names_deliver, events_list_rule_names_by_target_cb)

static const char *
events_rule_names_next(const void *out)
{
	return ((const struct events_names_page *)out)->next_token;
}

const struct aws_op events_op_list_rule_names_by_target = {
	&aws_service_events, "ListRuleNamesByTarget",
	sizeof(struct events_names_page), events_rule_names_req,
	events_rule_names_parse, events_rule_names_clear,
	events_rule_names_deliver, events_rule_names_next, 0,
};

struct aws_call *
events_list_rule_names_by_target(struct aws_env *env, const char *target_arn,
    const char *next_token, events_list_rule_names_by_target_cb cb, void *arg)
{
	return aws_op_send(env, &events_op_list_rule_names_by_target,
	    target_arn, next_token, (aws_op_fn)cb, arg);
}

static void
events_describe_rule_req(const void *args, const char *token,
    struct aws_request *req, char **owned)
{
	(void)token;
	req->body = owned[0] = events_describe_rule_body(args);
}

static int
events_describe_rule_parse(const char *body, size_t len, void *out,
    struct dlc_err *err)
{
	return events_parse_describe_rule(body, len, out, err);
}

static void
events_describe_rule_clear(void *out)
{
	events_rule_clear(out);
}

AWS_OP_DELIVER(events_describe_rule_deliver, events_describe_rule_cb)

const struct aws_op events_op_describe_rule = {
	&aws_service_events, "DescribeRule", sizeof(struct events_rule),
	events_describe_rule_req, events_describe_rule_parse,
	events_describe_rule_clear, events_describe_rule_deliver, NULL, 0,
};

struct aws_call *
events_describe_rule(struct aws_env *env, const char *name,
    events_describe_rule_cb cb, void *arg)
{
	return aws_op_send(env, &events_op_describe_rule, name, NULL,
	    (aws_op_fn)cb, arg);
}
