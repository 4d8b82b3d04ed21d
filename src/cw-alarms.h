/*
 * CloudWatch alarms (query protocol, Version 2010-08-01): DescribeAlarms
 * over every page, metric and composite alarms alike (without AlarmTypes
 * AWS answers metric alarms only), and DescribeAlarmHistory newest first.
 * The answers are parsed into plain structs; every text in them came from
 * the network and is raw: sanitise before display.
 */
#ifndef DLC_CW_ALARMS_H
#define DLC_CW_ALARMS_H

#include <stddef.h>
#include <time.h>

#include "err.h"

#define CW_API_VERSION		"2010-08-01"
#define CW_ALARMS_PAGE		100	/* DescribeAlarms' largest MaxRecords */
#define CW_ALARMS_MAX_PAGES	1000	/* 100,000 alarms: AWS's quota is far below */

/* struct cw_dimension, shared with cw-metrics.h */
#include "cw-dimension.h"

struct cw_alarm {
	char	*name, *arn, *description;
	int	 composite;		/* a CompositeAlarm */
	char	*state;			/* "ALARM" | "INSUFFICIENT_DATA" | "OK" (never NULL) */
	char	*state_reason;		/* raw: sanitise before display */
	time_t	 state_updated;		/* StateUpdatedTimestamp; 0: absent */
	time_t	 state_since;		/* StateTransitionedTimestamp, else state_updated */
	/*
	 * The metric. A metric-math alarm (Metrics) has none at the top: these
	 * come from its one MetricStat query when it has only one, and
	 * expression holds the returned query's Expression otherwise.
	 */
	char	*metric_name, *namespace, *statistic;	/* statistic or ExtendedStatistic */
	struct cw_dimension *dims;
	size_t	 n_dims;
	char	*expression;		/* metric math: the returned expression, or NULL */
	double	 threshold;
	int	 has_threshold;		/* 0: an anomaly band (threshold_metric_id) */
	char	*threshold_metric_id;	/* the band's query id, or NULL */
	char	*band_expression;	/* that query's Expression, or NULL */
	char	*comparison;		/* ComparisonOperator, or NULL */
	long	 period;		/* seconds; 0: absent */
	long	 evaluation_periods;
	long	 datapoints_to_alarm;	/* DatapointsToAlarm, else evaluation_periods */
	char	*treat_missing;		/* TreatMissingData, or NULL */
	int	 actions_enabled;
	size_t	 n_alarm_actions;	/* AlarmActions */
	char	*alarm_rule;		/* composite only */
	/* Filled by alarm_match (alarm.h): */
	char	*function;		/* the env's remote function it belongs to, or NULL */
	char	*local_function;	/* its local folder, or NULL */
};

struct cw_alarm_list {
	struct cw_alarm	*v;
	size_t		 n;
};

/* Frees the members and zeroes the struct; safe on a zeroed one. */
void	cw_alarm_clear(struct cw_alarm *a);
void	cw_alarm_list_clear(struct cw_alarm_list *l);
/* Moves every alarm of src to the end of dst; src is left empty. */
void	cw_alarm_list_take(struct cw_alarm_list *dst, struct cw_alarm_list *src);
/* The alarm named name, or NULL (a linear search). */
const struct cw_alarm *cw_alarm_list_find(const struct cw_alarm_list *l,
	    const char *name);

/* One page of DescribeAlarms. */
struct cw_alarm_page {
	struct cw_alarm_list	 list;
	char			*next_token;	/* NULL: the last page */
};

void	cw_alarm_page_clear(struct cw_alarm_page *p);
/*
 * Fills out (zeroed here) from a DescribeAlarms answer: CompositeAlarms
 * then MetricAlarms, in the answer's order. Time linear in len. -1 with err
 * when the body is not a DescribeAlarms answer; an alarm without a name
 * is skipped, an unknown field ignored.
 */
int	cw_parse_describe_alarms(const char *body, size_t len,
	    struct cw_alarm_page *out, struct dlc_err *err);

/* One DescribeAlarmHistory item. */
struct cw_alarm_event {
	time_t	 t;
	char	*alarm_name;
	char	*type;		/* HistoryItemType: StateUpdate, ConfigurationUpdate, Action */
	char	*summary;	/* HistorySummary, raw */
	char	*old_state;	/* StateUpdate: from HistoryData, else NULL */
	char	*new_state;
};

struct cw_alarm_history {
	struct cw_alarm_event	*v;
	size_t			 n;
	char			*next_token;
};

void	cw_alarm_history_clear(struct cw_alarm_history *h);
int	cw_parse_describe_alarm_history(const char *body, size_t len,
	    struct cw_alarm_history *out, struct dlc_err *err);

/* ---- operations (see aws-op.h: cb runs once, its result is cleared after) ---- */

struct aws_env;
struct aws_call;
struct aws_reply;

/*
 * Every alarm of the account and region, all pages (AlarmTypes
 * CompositeAlarm and MetricAlarm, MaxRecords 100). done runs once from
 * the loop (never after cw_alarms_fetch_cancel): on success err is NULL
 * and list holds every alarm in AWS's order (the callback may take the
 * list's items: cw_alarm_list_take); on failure list is NULL and err says
 * why. The fetch is freed when done returns.
 */
typedef void (*cw_alarms_done_cb)(struct cw_alarm_list *list,
	    const struct dlc_err *err, int pages, void *arg);

struct cw_alarms_fetch;

struct cw_alarms_fetch *cw_describe_alarms_all(struct aws_env *env,
	    cw_alarms_done_cb done, void *arg);
/* Stops the fetch: done never runs. NULL is a no-op; not after done ran. */
void	cw_alarms_fetch_cancel(struct cw_alarms_fetch *f);

typedef void (*cw_alarm_history_cb)(struct aws_reply *reply,
	    struct cw_alarm_history *h, void *arg);

/*
 * The newest max_records (1..100) history items of one alarm, newest
 * first (ScanBy TimestampDescending), of every type.
 */
struct aws_call *cw_describe_alarm_history(struct aws_env *env,
	    const char *alarm_name, int max_records, cw_alarm_history_cb cb,
	    void *arg);

/* args: a StateValue to ask for ("ALARM"), or NULL for every alarm. */
extern const struct aws_op cw_op_describe_alarms;

#endif
