/*
 * EventBridge (json 1.1, X-Amz-Target AWSEvents.<Op>): the operations dlc
 * calls to show a function's schedules, ListRuleNamesByTarget (which rules
 * point at a function) and DescribeRule (their schedule expression and
 * state), over their bodies and answer parsers.
 */
#ifndef DLC_EVENTS_H
#define DLC_EVENTS_H

#include <stddef.h>

#include "err.h"

/* Returns the allocated JSON body; next_token is NULL for the first page. */
char	*events_list_rule_names_by_target_body(const char *target_arn,
	    const char *next_token);
/*
 * Parses a ListRuleNamesByTarget answer: *names is an allocated array of
 * *n allocated strings (free with events_names_free), *next_token the
 * allocated NextToken or NULL. On error nothing is returned.
 */
int	events_parse_list_rule_names_by_target(const char *body, size_t len,
	    char ***names, size_t *n, char **next_token, struct dlc_err *err);
void	events_names_free(char **names, size_t n);

/* Returns the allocated DescribeRule body {"Name": name}. */
char	*events_describe_rule_body(const char *name);

struct events_rule {
	char	*name, *arn, *schedule_expression, *event_pattern, *state,
		*description;
};

/* Fills out (overwritten) from a DescribeRule answer; absent members are NULL. */
int	events_parse_describe_rule(const char *body, size_t len,
	    struct events_rule *out, struct dlc_err *err);
/* Frees the members and zeroes the struct; safe on a zeroed one. */
void	events_rule_clear(struct events_rule *rule);

/* ---- operations (see aws-op.h: cb runs once, its result is cleared after) ---- */

struct aws_env;
struct aws_call;
struct aws_reply;

struct events_names_page {
	char	**names;
	size_t	  n;
	char	 *next_token;
};

/* The typed result is NULL when reply->ok != 0. */
typedef void (*events_list_rule_names_by_target_cb)(struct aws_reply *reply,
	    struct events_names_page *page, void *arg);
typedef void (*events_describe_rule_cb)(struct aws_reply *reply,
	    struct events_rule *rule, void *arg);

/* ListRuleNamesByTarget; next_token NULL for the first page. */
struct aws_call *events_list_rule_names_by_target(struct aws_env *env,
	    const char *target_arn, const char *next_token,
	    events_list_rule_names_by_target_cb cb, void *arg);
struct aws_call *events_describe_rule(struct aws_env *env, const char *name,
	    events_describe_rule_cb cb, void *arg);

/* Their descriptions; args is the target ARN, the rule's name. */
extern const struct aws_op events_op_list_rule_names_by_target;
extern const struct aws_op events_op_describe_rule;

#endif
