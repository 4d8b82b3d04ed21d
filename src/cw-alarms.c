/*
 * CloudWatch alarms over the query protocol: DescribeAlarms (every page,
 * through the paginator) and DescribeAlarmHistory, their form bodies and
 * their XML answers' parsers. Each <member> is read in one pass over its
 * children, so a page costs time linear in its bytes.
 */
#include "cw-alarms.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "aws-op.h"
#include "buf.h"
#include "paginate.h"
#include "proto-query.h"
#include "timeutil.h"
#include "xml.h"
#include "xmalloc.h"

void
cw_alarm_clear(struct cw_alarm *a)
{
	size_t i;

	if (a == NULL)
		return;
	free(a->name);
	free(a->arn);
	free(a->description);
	free(a->state);
	free(a->state_reason);
	free(a->metric_name);
	free(a->namespace);
	free(a->statistic);
	for (i = 0; i < a->n_dims; i++) {
		free(a->dims[i].name);
		free(a->dims[i].value);
	}
	free(a->dims);
	free(a->expression);
	free(a->threshold_metric_id);
	free(a->band_expression);
	free(a->comparison);
	free(a->treat_missing);
	free(a->alarm_rule);
	free(a->function);
	free(a->local_function);
	memset(a, 0, sizeof *a);
}

void
cw_alarm_list_clear(struct cw_alarm_list *l)
{
	size_t i;

	if (l == NULL)
		return;
	for (i = 0; i < l->n; i++)
		cw_alarm_clear(&l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

void
cw_alarm_list_take(struct cw_alarm_list *dst, struct cw_alarm_list *src)
{
	if (src->n == 0)
		return;
	dst->v = xreallocarray(dst->v, dst->n + src->n, sizeof *dst->v);
	memcpy(dst->v + dst->n, src->v, src->n * sizeof *src->v);
	dst->n += src->n;
	free(src->v);
	src->v = NULL;
	src->n = 0;
}

const struct cw_alarm *
cw_alarm_list_find(const struct cw_alarm_list *l, const char *name)
{
	size_t i;

	if (l == NULL || name == NULL)
		return NULL;
	for (i = 0; i < l->n; i++)
		if (l->v[i].name != NULL && strcmp(l->v[i].name, name) == 0)
			return &l->v[i];
	return NULL;
}

void
cw_alarm_page_clear(struct cw_alarm_page *p)
{
	if (p == NULL)
		return;
	cw_alarm_list_clear(&p->list);
	free(p->next_token);
	p->next_token = NULL;
}

/* ---- parsing ---- */

/*
 * AWS writes numbers with '.', whatever the console's locale says (it
 * calls setlocale(LC_ALL, "")): parse them in the C locale.
 */
static int
cw_number(const char *s, double *out)
{
	static locale_t c_locale;
	char *end;

	if (s == NULL || *s == '\0')
		return -1;
	if (c_locale == (locale_t)0)
		c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0);
	*out = strtod_l(s, &end, c_locale);
	return *end == '\0' ? 0 : -1;
}

static long
cw_long(const char *s)
{
	double d;

	if (cw_number(s, &d) != 0 || d < 0 || d > 1e12)
		return 0;
	return (long)d;
}

static time_t
cw_time(const char *s)
{
	time_t t;

	if (s == NULL || timeutil_parse_iso8601(s, &t, NULL) != 0)
		return 0;
	return t;
}

static void
cw_set(char **field, const char *text)
{
	free(*field);
	*field = xstrdup(text);
}

static void
cw_dims(const struct xml_node *list, struct cw_dimension **dims, size_t *n)
{
	const struct xml_node *m, *c;
	size_t count = 0;

	for (m = list->children; m != NULL; m = m->next)
		count++;
	if (count == 0)
		return;
	*dims = xcalloc(count, sizeof **dims);
	*n = 0;
	for (m = list->children; m != NULL; m = m->next) {
		struct cw_dimension *d = &(*dims)[*n];

		if (strcmp(m->name, "member") != 0)
			continue;
		for (c = m->children; c != NULL; c = c->next) {
			if (strcmp(c->name, "Name") == 0)
				cw_set(&d->name, c->text);
			else if (strcmp(c->name, "Value") == 0)
				cw_set(&d->value, c->text);
		}
		if (d->name == NULL || d->value == NULL) {
			free(d->name);
			free(d->value);
			memset(d, 0, sizeof *d);
			continue;
		}
		(*n)++;
	}
}

/* One metric-math query of Metrics: what the alarm needs of it. */
struct cw_query {
	const char		*id, *expression, *label;
	int			 return_data;
	const struct xml_node	*stat;		/* MetricStat */
};

static void
cw_query_read(const struct xml_node *member, struct cw_query *q)
{
	const struct xml_node *c;

	memset(q, 0, sizeof *q);
	q->return_data = 1;	/* AWS's default */
	for (c = member->children; c != NULL; c = c->next) {
		if (strcmp(c->name, "Id") == 0)
			q->id = c->text;
		else if (strcmp(c->name, "Expression") == 0)
			q->expression = c->text;
		else if (strcmp(c->name, "Label") == 0)
			q->label = c->text;
		else if (strcmp(c->name, "ReturnData") == 0)
			q->return_data = strcmp(c->text, "false") != 0;
		else if (strcmp(c->name, "MetricStat") == 0)
			q->stat = c;
	}
}

/* MetricStat {Metric {Namespace, MetricName, Dimensions}, Period, Stat}. */
static void
cw_metric_stat(struct cw_alarm *a, const struct xml_node *stat)
{
	const struct xml_node *c, *m;

	for (c = stat->children; c != NULL; c = c->next) {
		if (strcmp(c->name, "Stat") == 0)
			cw_set(&a->statistic, c->text);
		else if (strcmp(c->name, "Period") == 0)
			a->period = cw_long(c->text);
		else if (strcmp(c->name, "Metric") == 0)
			for (m = c->children; m != NULL; m = m->next) {
				if (strcmp(m->name, "MetricName") == 0)
					cw_set(&a->metric_name, m->text);
				else if (strcmp(m->name, "Namespace") == 0)
					cw_set(&a->namespace, m->text);
				else if (strcmp(m->name, "Dimensions") == 0 &&
				    a->n_dims == 0)
					cw_dims(m, &a->dims, &a->n_dims);
			}
	}
}

/*
 * A metric-math alarm: the returned query is the alarm's metric. One
 * MetricStat query (a plain metric written as Metrics) fills the metric
 * fields; an expression fills expression; the band of an anomaly alarm
 * is the query ThresholdMetricId names.
 */
static void
cw_metrics(struct cw_alarm *a, const struct xml_node *list)
{
	const struct xml_node *m;
	const struct xml_node *stat = NULL;
	struct cw_query q;
	size_t n_stats = 0;

	for (m = list->children; m != NULL; m = m->next) {
		if (strcmp(m->name, "member") != 0)
			continue;
		cw_query_read(m, &q);
		if (q.stat != NULL) {
			n_stats++;
			stat = q.stat;
		}
		if (q.id != NULL && a->threshold_metric_id != NULL &&
		    strcmp(q.id, a->threshold_metric_id) == 0) {
			if (q.expression != NULL)
				cw_set(&a->band_expression, q.expression);
			continue;
		}
		if (q.return_data && q.expression != NULL &&
		    a->expression == NULL)
			cw_set(&a->expression, q.expression);
	}
	/* The dimensions of a single metric name its function even under math. */
	if (n_stats == 1 && a->metric_name == NULL)
		cw_metric_stat(a, stat);
}

static void
cw_alarm_read(const struct xml_node *member, int composite,
    struct cw_alarm *a)
{
	const struct xml_node *c, *metrics = NULL;
	const char *transitioned = NULL, *dta = NULL, *n;

	memset(a, 0, sizeof *a);
	a->composite = composite;
	a->actions_enabled = 1;
	for (c = member->children; c != NULL; c = c->next) {
		n = c->name;
		switch (n[0]) {
		case 'A':
			if (strcmp(n, "AlarmName") == 0)
				cw_set(&a->name, c->text);
			else if (strcmp(n, "AlarmArn") == 0)
				cw_set(&a->arn, c->text);
			else if (strcmp(n, "AlarmDescription") == 0)
				cw_set(&a->description, c->text);
			else if (strcmp(n, "AlarmRule") == 0)
				cw_set(&a->alarm_rule, c->text);
			else if (strcmp(n, "ActionsEnabled") == 0)
				a->actions_enabled = strcmp(c->text, "false") != 0;
			else if (strcmp(n, "AlarmActions") == 0) {
				const struct xml_node *x;

				for (x = c->children; x != NULL; x = x->next)
					a->n_alarm_actions++;
			}
			break;
		case 'S':
			if (strcmp(n, "StateValue") == 0)
				cw_set(&a->state, c->text);
			else if (strcmp(n, "StateReason") == 0)
				cw_set(&a->state_reason, c->text);
			else if (strcmp(n, "StateUpdatedTimestamp") == 0)
				a->state_updated = cw_time(c->text);
			else if (strcmp(n, "StateTransitionedTimestamp") == 0)
				transitioned = c->text;
			else if (strcmp(n, "Statistic") == 0)
				cw_set(&a->statistic, c->text);
			break;
		case 'E':
			if (strcmp(n, "ExtendedStatistic") == 0)
				cw_set(&a->statistic, c->text);
			else if (strcmp(n, "EvaluationPeriods") == 0)
				a->evaluation_periods = cw_long(c->text);
			break;
		case 'M':
			if (strcmp(n, "MetricName") == 0)
				cw_set(&a->metric_name, c->text);
			else if (strcmp(n, "Metrics") == 0)
				metrics = c;
			break;
		case 'N':
			if (strcmp(n, "Namespace") == 0)
				cw_set(&a->namespace, c->text);
			break;
		case 'D':
			if (strcmp(n, "Dimensions") == 0 && a->n_dims == 0)
				cw_dims(c, &a->dims, &a->n_dims);
			else if (strcmp(n, "DatapointsToAlarm") == 0)
				dta = c->text;
			break;
		case 'P':
			if (strcmp(n, "Period") == 0)
				a->period = cw_long(c->text);
			break;
		case 'T':
			if (strcmp(n, "Threshold") == 0)
				a->has_threshold = cw_number(c->text,
				    &a->threshold) == 0;
			else if (strcmp(n, "ThresholdMetricId") == 0)
				cw_set(&a->threshold_metric_id, c->text);
			else if (strcmp(n, "TreatMissingData") == 0)
				cw_set(&a->treat_missing, c->text);
			break;
		case 'C':
			if (strcmp(n, "ComparisonOperator") == 0)
				cw_set(&a->comparison, c->text);
			break;
		default:
			break;
		}
	}
	/* After the loop: ThresholdMetricId may come after Metrics. */
	if (metrics != NULL)
		cw_metrics(a, metrics);
	if (a->state == NULL)
		a->state = xstrdup("INSUFFICIENT_DATA");
	a->state_since = cw_time(transitioned);
	if (a->state_since == 0)
		a->state_since = a->state_updated;
	a->datapoints_to_alarm = dta != NULL ? cw_long(dta) :
	    a->evaluation_periods;
}

static void
cw_alarms_read(const struct xml_node *list, int composite,
    struct cw_alarm_list *out, size_t *cap)
{
	const struct xml_node *m;

	for (m = list->children; m != NULL; m = m->next) {
		if (strcmp(m->name, "member") != 0)
			continue;
		if (out->n == *cap) {
			*cap = *cap == 0 ? 64 : *cap * 2;
			out->v = xreallocarray(out->v, *cap, sizeof *out->v);
		}
		cw_alarm_read(m, composite, &out->v[out->n]);
		if (out->v[out->n].name == NULL) {
			cw_alarm_clear(&out->v[out->n]);
			continue;
		}
		out->n++;
	}
}

int
cw_parse_describe_alarms(const char *body, size_t len,
    struct cw_alarm_page *out, struct dlc_err *err)
{
	static const char op[] = "DescribeAlarms";
	const struct xml_node *result, *c;
	struct xml_node *root;
	size_t cap = 0;

	memset(out, 0, sizeof *out);
	root = proto_query_parse(body, len, op, err);
	if (root == NULL)
		return -1;
	result = xml_child(root, "DescribeAlarmsResult");
	if (result == NULL) {
		dlc_err_set(err, "MalformedResponse", "%s: response has no "
		    "DescribeAlarmsResult", op);
		dlc_err_fix(err, "The endpoint did not answer as AWS does: "
		    "check endpoint_url and any proxy in between.");
		xml_free(root);
		return -1;
	}
	for (c = result->children; c != NULL; c = c->next) {
		if (strcmp(c->name, "CompositeAlarms") == 0)
			cw_alarms_read(c, 1, &out->list, &cap);
		else if (strcmp(c->name, "MetricAlarms") == 0)
			cw_alarms_read(c, 0, &out->list, &cap);
		else if (strcmp(c->name, "NextToken") == 0 &&
		    c->text[0] != '\0')
			cw_set(&out->next_token, c->text);
	}
	xml_free(root);
	return 0;
}

void
cw_alarm_history_clear(struct cw_alarm_history *h)
{
	size_t i;

	if (h == NULL)
		return;
	for (i = 0; i < h->n; i++) {
		free(h->v[i].alarm_name);
		free(h->v[i].type);
		free(h->v[i].summary);
		free(h->v[i].old_state);
		free(h->v[i].new_state);
	}
	free(h->v);
	free(h->next_token);
	memset(h, 0, sizeof *h);
}

/* HistoryData of a StateUpdate: {"oldState":{"stateValue":..},"newState":{..}}. */
static void
cw_history_states(struct cw_alarm_event *ev, const char *data)
{
	cJSON *root = cJSON_Parse(data);
	const cJSON *v;

	if (root == NULL)
		return;
	v = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(
	    root, "oldState"), "stateValue");
	if (cJSON_IsString(v))
		ev->old_state = xstrdup(v->valuestring);
	v = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(
	    root, "newState"), "stateValue");
	if (cJSON_IsString(v))
		ev->new_state = xstrdup(v->valuestring);
	cJSON_Delete(root);
}

int
cw_parse_describe_alarm_history(const char *body, size_t len,
    struct cw_alarm_history *out, struct dlc_err *err)
{
	static const char op[] = "DescribeAlarmHistory";
	const struct xml_node *result, *c, *m, *f;
	struct xml_node *root;
	size_t cap = 0;

	memset(out, 0, sizeof *out);
	root = proto_query_parse(body, len, op, err);
	if (root == NULL)
		return -1;
	result = xml_child(root, "DescribeAlarmHistoryResult");
	for (c = result != NULL ? result->children : NULL; c != NULL;
	    c = c->next) {
		if (strcmp(c->name, "NextToken") == 0 && c->text[0] != '\0') {
			cw_set(&out->next_token, c->text);
			continue;
		}
		if (strcmp(c->name, "AlarmHistoryItems") != 0)
			continue;
		for (m = c->children; m != NULL; m = m->next) {
			struct cw_alarm_event *ev;
			const char *data = NULL;

			if (strcmp(m->name, "member") != 0)
				continue;
			if (out->n == cap) {
				cap = cap == 0 ? 16 : cap * 2;
				out->v = xreallocarray(out->v, cap,
				    sizeof *out->v);
			}
			ev = &out->v[out->n++];
			memset(ev, 0, sizeof *ev);
			for (f = m->children; f != NULL; f = f->next) {
				if (strcmp(f->name, "AlarmName") == 0)
					cw_set(&ev->alarm_name, f->text);
				else if (strcmp(f->name, "Timestamp") == 0)
					ev->t = cw_time(f->text);
				else if (strcmp(f->name, "HistoryItemType") == 0)
					cw_set(&ev->type, f->text);
				else if (strcmp(f->name, "HistorySummary") == 0)
					cw_set(&ev->summary, f->text);
				else if (strcmp(f->name, "HistoryData") == 0)
					data = f->text;
			}
			if (data != NULL && ev->type != NULL &&
			    strcmp(ev->type, "StateUpdate") == 0)
				cw_history_states(ev, data);
		}
	}
	xml_free(root);
	return 0;
}

/* ---- operations ---- */

/*
 * The start of both forms: without AlarmTypes AWS answers (and keeps the
 * history of) metric alarms only, leaving composite alarms out.
 */
static void
cw_form_start(struct buf *b, const char *action)
{
	buf_init(b, 0);
	proto_query_add(b, "Action", action);
	proto_query_add(b, "Version", CW_API_VERSION);
	proto_query_add(b, "AlarmTypes.member.1", "CompositeAlarm");
	proto_query_add(b, "AlarmTypes.member.2", "MetricAlarm");
}

static void
cw_alarms_req(const void *args, const char *token, struct aws_request *req,
    char **owned)
{
	const char *state = args;
	struct buf b;

	cw_form_start(&b, "DescribeAlarms");
	proto_query_add(&b, "MaxRecords", "100");
	if (state != NULL)
		proto_query_add(&b, "StateValue", state);
	if (token != NULL)
		proto_query_add(&b, "NextToken", token);
	req->body = owned[0] = buf_detach(&b, &req->body_len);
}

static int
cw_alarms_parse(const char *body, size_t len, void *out, struct dlc_err *err)
{
	return cw_parse_describe_alarms(body, len, out, err);
}

static void
cw_alarms_clear_out(void *out)
{
	cw_alarm_page_clear(out);
}

static const char *
cw_alarms_next(const void *out)
{
	return ((const struct cw_alarm_page *)out)->next_token;
}

typedef void (*cw_alarm_page_cb)(struct aws_reply *reply,
    struct cw_alarm_page *page, void *arg);

AWS_OP_DELIVER(cw_alarms_deliver, cw_alarm_page_cb)

const struct aws_op cw_op_describe_alarms = {
	&aws_service_cloudwatch, "DescribeAlarms", sizeof(struct cw_alarm_page),
	cw_alarms_req, cw_alarms_parse, cw_alarms_clear_out,
	cw_alarms_deliver, cw_alarms_next, 0,
};

struct cw_alarms_fetch {
	struct paginate		*pager;
	struct cw_alarm_list	 list;
	cw_alarms_done_cb	 done;
	void			*arg;
};

static void
cw_alarms_page(struct aws_reply *reply, struct cw_alarm_page *page, void *arg)
{
	struct cw_alarms_fetch *f = arg;

	(void)reply;
	cw_alarm_list_take(&f->list, &page->list);
}

static void
cw_alarms_end(enum paginate_status status, struct dlc_err *err, void *arg)
{
	struct cw_alarms_fetch *f = arg;
	int pages = paginate_pages(f->pager);

	f->pager = NULL;
	if (status == PAGINATE_DONE)
		f->done(&f->list, NULL, pages, f->arg);
	else
		f->done(NULL, err, pages, f->arg);
	cw_alarm_list_clear(&f->list);
	free(f);
}

struct cw_alarms_fetch *
cw_describe_alarms_all(struct aws_env *env, cw_alarms_done_cb done,
    void *arg)
{
	struct cw_alarms_fetch *f = xcalloc(1, sizeof *f);

	f->done = done;
	f->arg = arg;
	f->pager = paginate_start(env, &cw_op_describe_alarms, NULL,
	    CW_ALARMS_MAX_PAGES, (aws_op_fn)cw_alarms_page, cw_alarms_end, f);
	return f;
}

void
cw_alarms_fetch_cancel(struct cw_alarms_fetch *f)
{
	if (f == NULL)
		return;
	paginate_cancel(f->pager);
	cw_alarm_list_clear(&f->list);
	free(f);
}

struct cw_history_args {
	const char	*alarm_name;
	int		 max_records;
};

static void
cw_history_req(const void *args, const char *token, struct aws_request *req,
    char **owned)
{
	const struct cw_history_args *a = args;
	struct buf b;
	char num[16];

	(void)token;
	cw_form_start(&b, "DescribeAlarmHistory");
	proto_query_add(&b, "AlarmName", a->alarm_name);
	proto_query_add(&b, "ScanBy", "TimestampDescending");
	snprintf(num, sizeof num, "%d", a->max_records);
	proto_query_add(&b, "MaxRecords", num);
	req->body = owned[0] = buf_detach(&b, &req->body_len);
}

static int
cw_history_parse(const char *body, size_t len, void *out, struct dlc_err *err)
{
	return cw_parse_describe_alarm_history(body, len, out, err);
}

static void
cw_history_clear_out(void *out)
{
	cw_alarm_history_clear(out);
}

AWS_OP_DELIVER(cw_history_deliver, cw_alarm_history_cb)

static const struct aws_op cw_op_describe_alarm_history = {
	&aws_service_cloudwatch, "DescribeAlarmHistory",
	sizeof(struct cw_alarm_history), cw_history_req, cw_history_parse,
	cw_history_clear_out, cw_history_deliver, NULL, 0,
};

struct aws_call *
cw_describe_alarm_history(struct aws_env *env, const char *alarm_name,
    int max_records, cw_alarm_history_cb cb, void *arg)
{
	struct cw_history_args a;

	a.alarm_name = alarm_name;
	a.max_records = max_records < 1 ? 1 : max_records > 100 ? 100 :
	    max_records;
	return aws_op_send(env, &cw_op_describe_alarm_history, &a, NULL,
	    (aws_op_fn)cb, arg);
}
