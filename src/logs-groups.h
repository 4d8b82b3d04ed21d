/*
 * CloudWatch Logs (json 1.1): the log group reads dlc audit makes,
 * DescribeLogGroups by name prefix (retention included) and
 * DescribeSubscriptionFilters of a group, both paged by nextToken, over
 * their bodies and answer parsers.
 */
#ifndef DLC_LOGS_GROUPS_H
#define DLC_LOGS_GROUPS_H

#include <stddef.h>

#include "err.h"

struct logs_group {
	char	*name;
	long	 retention;	/* retentionInDays; 0 when absent (never expires) */
	long long stored_bytes;
};

struct logs_groups_page {
	struct logs_group *groups;
	size_t	 n;
	char	*next_token;	/* NULL: the last page */
};

struct logs_filter {
	char	*name, *pattern, *destination;
};

struct logs_filters_page {
	struct logs_filter *filters;
	size_t	 n;
	char	*next_token;
};

/* Allocated bodies; next_token NULL for the first page. */
char	*logs_groups_describe_body(const char *prefix, const char *next_token);
char	*logs_groups_filters_body(const char *group, const char *next_token);
/* Parse an answer into out (zeroed by the caller); -1 with err naming the field. */
int	logs_groups_parse_describe(const char *body, size_t len,
	    struct logs_groups_page *out, struct dlc_err *err);
int	logs_groups_parse_filters(const char *body, size_t len,
	    struct logs_filters_page *out, struct dlc_err *err);
void	logs_groups_page_clear(struct logs_groups_page *p);
void	logs_filters_page_clear(struct logs_filters_page *p);

struct aws_env;
struct aws_call;
struct aws_reply;

typedef void (*logs_groups_describe_cb)(struct aws_reply *reply,
	    struct logs_groups_page *page, void *arg);
typedef void (*logs_groups_filters_cb)(struct aws_reply *reply,
	    struct logs_filters_page *page, void *arg);

/* Their descriptions for paginate_start; args: the prefix, the group's name. */
extern const struct aws_op logs_groups_op_describe;
extern const struct aws_op logs_groups_op_filters;

#endif
