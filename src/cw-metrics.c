/* GetMetricData: batches of <= 500 queries, their pages, merged per id. */
#include "cw-metrics.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws-op.h"
#include "buf.h"
#include "proto-query.h"
#include "timeutil.h"
#include "xml.h"
#include "xmalloc.h"

void
cw_series_clear(struct cw_series *s)
{
	if (s == NULL)
		return;
	free(s->id);
	free(s->label);
	free(s->status);
	free(s->message);
	free(s->t);
	free(s->v);
	memset(s, 0, sizeof *s);
}

void
cw_metrics_page_clear(struct cw_metrics_page *page)
{
	size_t i;

	if (page == NULL)
		return;
	for (i = 0; i < page->n; i++)
		cw_series_clear(&page->series[i]);
	free(page->series);
	free(page->next_token);
	memset(page, 0, sizeof *page);
}

/* ---- the request ---- */

static void
cw_metrics_member(struct buf *b, size_t k, const char *key, const char *value)
{
	char name[160];

	snprintf(name, sizeof name, "MetricDataQueries.member.%zu.%s", k, key);
	proto_query_add(b, name, value);
}

char *
cw_metrics_body(const struct cw_metric_query *queries, size_t n,
    time_t start, time_t end, const char *token)
{
	const struct cw_metric_query *q;
	struct buf b;
	char num[32], key[96];
	size_t i, d;

	buf_init(&b, 0);
	proto_query_add(&b, "Action", "GetMetricData");
	proto_query_add(&b, "Version", CW_API_VERSION);
	timeutil_format_iso(start, num, sizeof num);
	proto_query_add(&b, "StartTime", num);
	timeutil_format_iso(end, num, sizeof num);
	proto_query_add(&b, "EndTime", num);
	proto_query_add(&b, "ScanBy", "TimestampAscending");
	for (i = 0; i < n; i++) {
		q = &queries[i];
		cw_metrics_member(&b, i + 1, "Id", q->id);
		cw_metrics_member(&b, i + 1, "MetricStat.Metric.Namespace",
		    q->namespace);
		cw_metrics_member(&b, i + 1, "MetricStat.Metric.MetricName",
		    q->metric);
		for (d = 0; d < q->n_dims; d++) {
			snprintf(key, sizeof key, "MetricStat.Metric."
			    "Dimensions.member.%zu.Name", d + 1);
			cw_metrics_member(&b, i + 1, key, q->dims[d].name);
			snprintf(key, sizeof key, "MetricStat.Metric."
			    "Dimensions.member.%zu.Value", d + 1);
			cw_metrics_member(&b, i + 1, key, q->dims[d].value);
		}
		snprintf(num, sizeof num, "%ld", q->period);
		cw_metrics_member(&b, i + 1, "MetricStat.Period", num);
		cw_metrics_member(&b, i + 1, "MetricStat.Stat", q->stat);
		cw_metrics_member(&b, i + 1, "ReturnData", "true");
	}
	if (token != NULL)
		proto_query_add(&b, "NextToken", token);
	return buf_detach(&b, NULL);
}

/* ---- the answer ---- */

static size_t
cw_metrics_count(const struct xml_node *list)
{
	const struct xml_node *m;
	size_t n = 0;

	for (m = xml_child(list, "member"); m != NULL; m = xml_next(m))
		n++;
	return n;
}

static int
cw_metrics_bad(struct dlc_err *err, const char *id, const char *what)
{
	dlc_err_set(err, "MalformedResponse", "GetMetricData: result \"%.64s\" "
	    "%s", id, what);
	dlc_err_fix(err, "The endpoint did not answer as AWS does: check "
	    "endpoint_url and any proxy in between.");
	return -1;
}

/* "Code: Value; Code: Value" of a result's Messages, or NULL. */
static char *
cw_metrics_messages(const struct xml_node *list)
{
	const struct xml_node *m;
	const char *code, *value;
	struct buf b;

	if (list == NULL || xml_child(list, "member") == NULL)
		return NULL;
	buf_init(&b, 64 * 1024);
	for (m = xml_child(list, "member"); m != NULL; m = xml_next(m)) {
		code = xml_text(m, "Code");
		value = xml_text(m, "Value");
		buf_printf(&b, "%s%s%s%s", b.len > 0 ? "; " : "",
		    code != NULL ? code : "", code != NULL && value != NULL ?
		    ": " : "", value != NULL ? value : "");
	}
	return buf_detach(&b, NULL);
}

static int
cw_metrics_points(const struct xml_node *r, struct cw_series *s,
    struct dlc_err *err)
{
	const struct xml_node *ts = xml_find(r, "Timestamps");
	const struct xml_node *vs = xml_find(r, "Values");
	const struct xml_node *a, *b;
	size_t n = cw_metrics_count(ts), i = 0;
	char *end;

	if (n != cw_metrics_count(vs))
		return cw_metrics_bad(err, s->id, "has not as many Values as "
		    "Timestamps");
	if (n == 0)
		return 0;
	s->t = xreallocarray(NULL, n, sizeof *s->t);
	s->v = xreallocarray(NULL, n, sizeof *s->v);
	a = xml_child(ts, "member");
	b = xml_child(vs, "member");
	for (; a != NULL && b != NULL; a = xml_next(a), b = xml_next(b), i++) {
		if (timeutil_parse_iso8601(a->text, &s->t[i], NULL) != 0)
			return cw_metrics_bad(err, s->id, "has a timestamp "
			    "that is not ISO 8601");
		s->v[i] = strtod(b->text, &end);
		if (end == b->text || *end != '\0')
			return cw_metrics_bad(err, s->id, "has a value that is "
			    "not a number");
	}
	s->n = n;
	return 0;
}

int
cw_metrics_parse(const char *body, size_t len, struct cw_metrics_page *page,
    struct dlc_err *err)
{
	const struct xml_node *result, *list, *r;
	struct xml_node *root;
	struct cw_series *s;
	const char *id, *token;
	size_t n;

	memset(page, 0, sizeof *page);
	root = proto_query_parse(body, len, "GetMetricData", err);
	if (root == NULL)
		return -1;
	result = xml_find(root, "GetMetricDataResult");
	if (result == NULL) {
		xml_free(root);
		return cw_metrics_bad(err, "", "missing: the answer has no "
		    "GetMetricDataResult");
	}
	list = xml_find(result, "MetricDataResults");
	n = cw_metrics_count(list);
	page->series = xcalloc(n + 1, sizeof *page->series);
	for (r = xml_child(list, "member"); r != NULL; r = xml_next(r)) {
		id = xml_text(r, "Id");
		if (id == NULL || id[0] == '\0') {
			cw_metrics_bad(err, "", "has no Id");
			goto fail;
		}
		s = &page->series[page->n++];
		s->id = xstrdup(id);
		s->label = xstrdup(xml_text(r, "Label"));
		s->status = xstrdup(xml_text(r, "StatusCode"));
		s->message = cw_metrics_messages(xml_find(r, "Messages"));
		if (cw_metrics_points(r, s, err) != 0)
			goto fail;
	}
	token = xml_text(result, "NextToken");
	if (token != NULL && token[0] != '\0')
		page->next_token = xstrdup(token);
	xml_free(root);
	return 0;
fail:
	xml_free(root);
	cw_metrics_page_clear(page);
	return -1;
}

/* ---- merging pages ---- */

struct cw_point {
	time_t	t;
	double	v;
	size_t	k;	/* arrival order: the later of two equal times wins */
};

static int
cw_point_cmp(const void *a, const void *b)
{
	const struct cw_point *x = a, *y = b;

	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return x->k < y->k ? -1 : x->k > y->k;
}

/* Oldest first, one point per time: linear when already in order. */
static void
cw_series_order(struct cw_series *s)
{
	struct cw_point *p;
	size_t i, out;

	for (i = 1; i < s->n; i++)
		if (s->t[i] <= s->t[i - 1])
			break;
	if (i >= s->n)
		return;
	p = xreallocarray(NULL, s->n, sizeof *p);
	for (i = 0; i < s->n; i++) {
		p[i].t = s->t[i];
		p[i].v = s->v[i];
		p[i].k = i;
	}
	qsort(p, s->n, sizeof *p, cw_point_cmp);
	for (i = 0, out = 0; i < s->n; i++) {
		if (out > 0 && s->t[out - 1] == p[i].t)
			out--;
		s->t[out] = p[i].t;
		s->v[out] = p[i].v;
		out++;
	}
	s->n = out;
	free(p);
}

static void
cw_series_take(struct cw_series *dst, struct cw_series *src)
{
	if (dst->id == NULL) {
		dst->id = src->id;
		src->id = NULL;
	}
	if (src->label != NULL) {
		free(dst->label);
		dst->label = src->label;
		src->label = NULL;
	}
	/* PartialData means "more on the next page": the last page says. */
	if (src->status != NULL) {
		free(dst->status);
		dst->status = src->status;
		src->status = NULL;
	}
	if (src->message != NULL && dst->message == NULL) {
		dst->message = src->message;
		src->message = NULL;
	}
	if (src->n == 0)
		return;
	if (dst->n == 0) {
		free(dst->t);
		free(dst->v);
		dst->t = src->t;
		dst->v = src->v;
		dst->n = src->n;
		src->t = NULL;
		src->v = NULL;
		src->n = 0;
		return;
	}
	dst->t = xreallocarray(dst->t, dst->n + src->n, sizeof *dst->t);
	dst->v = xreallocarray(dst->v, dst->n + src->n, sizeof *dst->v);
	memcpy(dst->t + dst->n, src->t, src->n * sizeof *src->t);
	memcpy(dst->v + dst->n, src->v, src->n * sizeof *src->v);
	dst->n += src->n;
}

void
cw_metrics_merge(struct cw_series *series,
    const struct cw_metric_query *queries, size_t n,
    struct cw_metrics_page *page)
{
	size_t i, k, at = 0;

	for (i = 0; i < page->n; i++) {
		/* Results come in query order: try where the last one was. */
		for (k = 0; k < n; k++) {
			if (strcmp(queries[(at + k) % n].id,
			    page->series[i].id) == 0)
				break;
		}
		if (k == n)
			continue;
		at = (at + k) % n;
		cw_series_take(&series[at], &page->series[i]);
		cw_series_order(&series[at]);
		at = (at + 1) % n;
	}
}

/* ---- the fetch ---- */

struct cw_metrics_args {
	const struct cw_metric_query	*q;
	size_t				 n;
	time_t				 start, end;
};

typedef void (*cw_metrics_page_cb)(struct aws_reply *reply,
	    struct cw_metrics_page *page, void *arg);

static void
cw_metrics_req(const void *args, const char *token, struct aws_request *req,
    char **owned)
{
	const struct cw_metrics_args *a = args;

	req->body = owned[0] = cw_metrics_body(a->q, a->n, a->start, a->end,
	    token);
}

static int
cw_metrics_parse_out(const char *body, size_t len, void *out,
    struct dlc_err *err)
{
	return cw_metrics_parse(body, len, out, err);
}

static void
cw_metrics_clear_out(void *out)
{
	cw_metrics_page_clear(out);
}

static const char *
cw_metrics_next(const void *out)
{
	return ((const struct cw_metrics_page *)out)->next_token;
}

AWS_OP_DELIVER(cw_metrics_deliver, cw_metrics_page_cb)

static const struct aws_op cw_op_get_metric_data = {
	&aws_service_cloudwatch, "GetMetricData",
	sizeof(struct cw_metrics_page), cw_metrics_req, cw_metrics_parse_out,
	cw_metrics_clear_out, cw_metrics_deliver, cw_metrics_next, 0,
};

struct cw_metrics_fetch {
	struct aws_env		*env;
	struct cw_metric_query	*q;	/* owned copies */
	size_t			 n;
	time_t			 start, end;
	struct cw_series	*series;
	size_t			 chunk;	/* first query of the call out */
	int			 pages;	/* of the call out */
	struct aws_call		*call;
	cw_metrics_cb		 cb;
	void			*arg;
};

static void
cw_metrics_fetch_free(struct cw_metrics_fetch *f)
{
	size_t i, d;

	for (i = 0; i < f->n; i++) {
		free((char *)f->q[i].id);
		free((char *)f->q[i].namespace);
		free((char *)f->q[i].metric);
		free((char *)f->q[i].stat);
		for (d = 0; d < f->q[i].n_dims; d++) {
			free(f->q[i].dims[d].name);
			free(f->q[i].dims[d].value);
		}
		free((struct cw_dimension *)f->q[i].dims);
		cw_series_clear(&f->series[i]);
	}
	free(f->q);
	free(f->series);
	free(f);
}

static void cw_metrics_on_page(struct aws_reply *reply,
    struct cw_metrics_page *page, void *arg);

static void
cw_metrics_send(struct cw_metrics_fetch *f, const char *token)
{
	struct cw_metrics_args a;

	a.q = f->q + f->chunk;
	a.n = f->n - f->chunk < CW_METRICS_MAX_QUERIES ? f->n - f->chunk :
	    CW_METRICS_MAX_QUERIES;
	a.start = f->start;
	a.end = f->end;
	f->call = aws_op_send(f->env, &cw_op_get_metric_data, &a, token,
	    (aws_op_fn)cw_metrics_on_page, f);
}

static void
cw_metrics_on_page(struct aws_reply *reply, struct cw_metrics_page *page,
    void *arg)
{
	struct cw_metrics_fetch *f = arg;
	size_t n;

	f->call = NULL;
	if (reply->ok != 0 || page == NULL)
		goto failed;
	n = f->n - f->chunk < CW_METRICS_MAX_QUERIES ? f->n - f->chunk :
	    CW_METRICS_MAX_QUERIES;
	cw_metrics_merge(f->series + f->chunk, f->q + f->chunk, n, page);
	if (page->next_token != NULL) {
		if (++f->pages >= CW_METRICS_MAX_PAGES) {
			reply->ok = -1;
			reply->bad_answer = 1;
			dlc_err_set(&reply->err, "TooManyPages", "GetMetricData "
			    "kept answering with a NextToken after %d pages",
			    f->pages);
			goto failed;
		}
		cw_metrics_send(f, page->next_token);
		return;
	}
	f->chunk += n;
	f->pages = 0;
	if (f->chunk < f->n) {
		cw_metrics_send(f, NULL);
		return;
	}
	f->cb(reply, f->series, f->n, f->arg);
	cw_metrics_fetch_free(f);
	return;
failed:
	f->cb(reply, NULL, 0, f->arg);
	cw_metrics_fetch_free(f);
}

struct cw_metrics_fetch *
cw_get_metric_data(struct aws_env *env, const struct cw_metric_query *queries,
    size_t n, time_t start, time_t end, cw_metrics_cb cb, void *arg)
{
	struct cw_metrics_fetch *f;
	struct cw_dimension *dims;
	size_t i, d;

	if (n == 0)
		return NULL;
	f = xcalloc(1, sizeof *f);
	f->env = env;
	f->n = n;
	f->start = start;
	f->end = end;
	f->cb = cb;
	f->arg = arg;
	f->q = xcalloc(n, sizeof *f->q);
	f->series = xcalloc(n, sizeof *f->series);
	/* A query AWS leaves unanswered still says which it is. */
	for (i = 0; i < n; i++)
		f->series[i].id = xstrdup(queries[i].id);
	for (i = 0; i < n; i++) {
		f->q[i] = queries[i];
		f->q[i].id = xstrdup(queries[i].id);
		f->q[i].namespace = xstrdup(queries[i].namespace);
		f->q[i].metric = xstrdup(queries[i].metric);
		f->q[i].stat = xstrdup(queries[i].stat);
		dims = xcalloc(queries[i].n_dims + 1, sizeof *dims);
		for (d = 0; d < queries[i].n_dims; d++) {
			dims[d].name = xstrdup(queries[i].dims[d].name);
			dims[d].value = xstrdup(queries[i].dims[d].value);
		}
		f->q[i].dims = dims;
	}
	cw_metrics_send(f, NULL);
	return f;
}

void
cw_metrics_cancel(struct cw_metrics_fetch *f)
{
	if (f == NULL)
		return;
	aws_call_cancel(f->call);
	cw_metrics_fetch_free(f);
}
