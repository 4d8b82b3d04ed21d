/*
 * EventBridge's wire format (json 1.1, X-Amz-Target AWSEvents.<Op>): the
 * bodies and answer parsers dlc needs to show a function's schedules,
 * ListRuleNamesByTarget (which rules point at a function) and DescribeRule
 * (their schedule expression and state). No I/O; the transport sends.
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

#endif
