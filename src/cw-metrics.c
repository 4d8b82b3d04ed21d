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

#include <expat.h>
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

/*
 * Read as it streams through expat, straight into the series: a DOM of a
 * day of 5-minute points for a hundred functions is ~230,000 nodes, and
 * building and freeing them took most of a refresh. Only the elements of
 * GetMetricDataResponse/GetMetricDataResult are looked at, by depth.
 */
#define CW_NS_SEP	'|'

enum cw_el {
	CW_EL_OTHER,
	CW_EL_BODY,		/* GetMetricDataResult (depth 2) */
	CW_EL_RESULTS,		/* MetricDataResults (depth 3) */
	CW_EL_TOKEN,		/* NextToken (3) */
	CW_EL_RESULT,		/* MetricDataResults/member (4) */
	CW_EL_ID, CW_EL_LABEL, CW_EL_STATUS,	/* (5) */
	CW_EL_TIMESTAMPS, CW_EL_VALUES, CW_EL_MESSAGES,	/* (5) */
	CW_EL_TIME, CW_EL_VALUE, CW_EL_MESSAGE,	/* their members (6) */
	CW_EL_CODE, CW_EL_MVALUE,	/* Messages/member/Code, Value (7) */
};

#define CW_MAX_DEPTH	16

struct cw_parse {
	XML_Parser		 parser;
	struct cw_metrics_page	*page;
	struct dlc_err		*err;
	enum cw_el		 el[CW_MAX_DEPTH + 1];	/* by depth */
	size_t			 depth;
	int			 root_ok;	/* <GetMetricDataResponse> */
	int			 saw_result;	/* <GetMetricDataResult> */
	int			 failed;
	const char		*refused;
	struct buf		 text;		/* of the element open at the bottom */
	struct cw_series	*cur;
	size_t			 cap_series, cap_t, cap_v, n_v;
	struct buf		 msg;		/* the result's Messages so far */
	char			*code;		/* of the message being read */
};

static void
cw_parse_stop(struct cw_parse *ps, const char *why)
{
	if (ps->refused == NULL)
		ps->refused = why;
	XML_StopParser(ps->parser, XML_FALSE);
}

static int
cw_metrics_bad(struct dlc_err *err, const char *id, const char *what)
{
	dlc_err_set(err, "MalformedResponse", "GetMetricData: result \"%.64s\" "
	    "%s", id != NULL ? id : "", what);
	dlc_err_fix(err, "The endpoint did not answer as AWS does: check "
	    "endpoint_url and any proxy in between.");
	return -1;
}

static void
cw_parse_fail(struct cw_parse *ps, const char *what)
{
	if (!ps->failed)
		cw_metrics_bad(ps->err, ps->cur != NULL ? ps->cur->id : NULL,
		    what);
	ps->failed = 1;
	cw_parse_stop(ps, what);
}

static enum cw_el
cw_parse_classify(const struct cw_parse *ps, const char *name)
{
	enum cw_el up = ps->depth >= 2 ? ps->el[ps->depth - 1] : CW_EL_OTHER;

	switch (ps->depth) {
	case 3:
		if (ps->el[2] != CW_EL_BODY)
			return CW_EL_OTHER;
		if (strcmp(name, "MetricDataResults") == 0)
			return CW_EL_RESULTS;
		return strcmp(name, "NextToken") == 0 ? CW_EL_TOKEN :
		    CW_EL_OTHER;
	case 4:
		return up == CW_EL_RESULTS && strcmp(name, "member") == 0 ?
		    CW_EL_RESULT : CW_EL_OTHER;
	case 5:
		if (up != CW_EL_RESULT)
			return CW_EL_OTHER;
		if (strcmp(name, "Id") == 0)
			return CW_EL_ID;
		if (strcmp(name, "Label") == 0)
			return CW_EL_LABEL;
		if (strcmp(name, "StatusCode") == 0)
			return CW_EL_STATUS;
		if (strcmp(name, "Timestamps") == 0)
			return CW_EL_TIMESTAMPS;
		if (strcmp(name, "Values") == 0)
			return CW_EL_VALUES;
		return strcmp(name, "Messages") == 0 ? CW_EL_MESSAGES :
		    CW_EL_OTHER;
	case 6:
		if (strcmp(name, "member") != 0)
			return CW_EL_OTHER;
		return up == CW_EL_TIMESTAMPS ? CW_EL_TIME :
		    up == CW_EL_VALUES ? CW_EL_VALUE :
		    up == CW_EL_MESSAGES ? CW_EL_MESSAGE : CW_EL_OTHER;
	case 7:
		if (up != CW_EL_MESSAGE)
			return CW_EL_OTHER;
		return strcmp(name, "Code") == 0 ? CW_EL_CODE :
		    strcmp(name, "Value") == 0 ? CW_EL_MVALUE : CW_EL_OTHER;
	default:
		return CW_EL_OTHER;
	}
}

static void XMLCALL
cw_parse_start(void *ud, const XML_Char *name, const XML_Char **attrs)
{
	struct cw_parse *ps = ud;
	struct cw_metrics_page *p = ps->page;
	const char *local = strrchr(name, CW_NS_SEP);

	(void)attrs;
	if (ps->refused != NULL)
		return;
	local = local != NULL ? local + 1 : name;
	if (++ps->depth > CW_MAX_DEPTH) {
		cw_parse_stop(ps, "nests deeper than 16 elements");
		return;
	}
	buf_reset(&ps->text);
	if (ps->depth == 1) {
		/* Anything else (an ErrorResponse) is read by proto-query. */
		if (strcmp(local, "GetMetricDataResponse") != 0) {
			cw_parse_stop(ps, "not ours");
			return;
		}
		ps->root_ok = 1;
	}
	if (ps->depth == 2 && strcmp(local, "GetMetricDataResult") == 0)
		ps->saw_result = 1;
	ps->el[ps->depth] = ps->depth == 2 ?
	    (strcmp(local, "GetMetricDataResult") == 0 ? CW_EL_BODY :
	    CW_EL_OTHER) : cw_parse_classify(ps, local);
	if (ps->el[ps->depth] == CW_EL_RESULT) {
		if (p->n == ps->cap_series) {
			ps->cap_series = ps->cap_series ? ps->cap_series * 2 : 16;
			p->series = xreallocarray(p->series, ps->cap_series,
			    sizeof *p->series);
		}
		ps->cur = &p->series[p->n++];
		memset(ps->cur, 0, sizeof *ps->cur);
		ps->cap_t = ps->cap_v = ps->n_v = 0;
		buf_reset(&ps->msg);
	}
}

static const char *
cw_parse_text(struct cw_parse *ps)
{
	return ps->text.data != NULL ? ps->text.data : "";
}

static void
cw_parse_point(struct cw_parse *ps, enum cw_el el)
{
	struct cw_series *s = ps->cur;
	const char *text = cw_parse_text(ps);
	char *end;

	if (el == CW_EL_TIME) {
		if (s->n == ps->cap_t) {
			ps->cap_t = ps->cap_t ? ps->cap_t * 2 : 64;
			s->t = xreallocarray(s->t, ps->cap_t, sizeof *s->t);
		}
		if (timeutil_parse_iso8601(text, &s->t[s->n], NULL) != 0) {
			cw_parse_fail(ps, "has a timestamp that is not ISO 8601");
			return;
		}
		s->n++;
		return;
	}
	if (ps->n_v == ps->cap_v) {
		ps->cap_v = ps->cap_v ? ps->cap_v * 2 : 64;
		s->v = xreallocarray(s->v, ps->cap_v, sizeof *s->v);
	}
	s->v[ps->n_v] = strtod(text, &end);
	if (end == text || *end != '\0') {
		cw_parse_fail(ps, "has a value that is not a number");
		return;
	}
	ps->n_v++;
}

static void XMLCALL
cw_parse_end(void *ud, const XML_Char *name)
{
	struct cw_parse *ps = ud;
	enum cw_el el;

	(void)name;
	if (ps->refused != NULL || ps->depth == 0)
		return;
	el = ps->el[ps->depth];
	switch (el) {
	case CW_EL_TOKEN:
		if (ps->text.len > 0) {
			free(ps->page->next_token);
			ps->page->next_token = xstrdup(cw_parse_text(ps));
		}
		break;
	case CW_EL_ID:
		free(ps->cur->id);
		ps->cur->id = xstrdup(cw_parse_text(ps));
		break;
	case CW_EL_LABEL:
		free(ps->cur->label);
		ps->cur->label = xstrdup(cw_parse_text(ps));
		break;
	case CW_EL_STATUS:
		free(ps->cur->status);
		ps->cur->status = xstrdup(cw_parse_text(ps));
		break;
	case CW_EL_TIME:
	case CW_EL_VALUE:
		cw_parse_point(ps, el);
		break;
	case CW_EL_CODE:
		free(ps->code);
		ps->code = xstrdup(cw_parse_text(ps));
		break;
	case CW_EL_MVALUE:
		buf_printf(&ps->msg, "%s%s%s%s", ps->msg.len > 0 ? "; " : "",
		    ps->code != NULL ? ps->code : "", ps->code != NULL ?
		    ": " : "", cw_parse_text(ps));
		free(ps->code);
		ps->code = NULL;
		break;
	case CW_EL_RESULT:
		if (ps->cur->id == NULL || ps->cur->id[0] == '\0') {
			cw_parse_fail(ps, "has no Id");
			return;
		}
		if (ps->cur->n != ps->n_v) {
			cw_parse_fail(ps, "has not as many Values as Timestamps");
			return;
		}
		if (ps->msg.len > 0)
			ps->cur->message = buf_detach(&ps->msg, NULL);
		ps->cur = NULL;
		break;
	default:
		break;
	}
	buf_reset(&ps->text);
	ps->depth--;
}

static void XMLCALL
cw_parse_chars(void *ud, const XML_Char *s, int len)
{
	struct cw_parse *ps = ud;

	/* Only leaves are read: the text of elements between them is not kept. */
	if (ps->refused != NULL || len <= 0 || ps->depth < 3)
		return;
	if (buf_append(&ps->text, s, (size_t)len) != 0)
		cw_parse_stop(ps, "has an element text over 4 MiB");
}

static void XMLCALL
cw_parse_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
    const XML_Char *pubid, int has_internal_subset)
{
	(void)name;
	(void)sysid;
	(void)pubid;
	(void)has_internal_subset;
	cw_parse_stop(ud, "has a DOCTYPE, which AWS never sends");
}

static void XMLCALL
cw_parse_entity(void *ud, const XML_Char *name, int is_param,
    const XML_Char *value, int value_len, const XML_Char *base,
    const XML_Char *sysid, const XML_Char *pubid, const XML_Char *notation)
{
	(void)name;
	(void)is_param;
	(void)value;
	(void)value_len;
	(void)base;
	(void)sysid;
	(void)pubid;
	(void)notation;
	cw_parse_stop(ud, "declares an entity, which AWS never does");
}

/* Not a GetMetricDataResponse: proto-query says what it is (an AWS error). */
static int
cw_metrics_other(const char *body, size_t len, struct dlc_err *err)
{
	struct xml_node *root = proto_query_parse(body, len, "GetMetricData",
	    err);

	if (root == NULL)
		return -1;
	xml_free(root);
	return cw_metrics_bad(err, "", "missing: the answer is not whole");
}

int
cw_metrics_parse(const char *body, size_t len, struct cw_metrics_page *page,
    struct dlc_err *err)
{
	struct cw_parse ps;
	enum XML_Status rc = XML_STATUS_OK;
	const char *p;
	size_t left, chunk;
	int ret = 0;

	memset(page, 0, sizeof *page);
	if (body == NULL || len == 0 || len > XML_MAX_BODY)
		return cw_metrics_other(body, len, err);
	memset(&ps, 0, sizeof ps);
	ps.page = page;
	ps.err = err;
	buf_init(&ps.text, XML_MAX_TEXT);
	buf_init(&ps.msg, 64 * 1024);
	ps.parser = XML_ParserCreateNS(NULL, CW_NS_SEP);
	if (ps.parser == NULL)
		fatal("out of memory creating an XML parser");
	XML_SetUserData(ps.parser, &ps);
	XML_SetElementHandler(ps.parser, cw_parse_start, cw_parse_end);
	XML_SetCharacterDataHandler(ps.parser, cw_parse_chars);
	XML_SetStartDoctypeDeclHandler(ps.parser, cw_parse_doctype);
	XML_SetEntityDeclHandler(ps.parser, cw_parse_entity);
	XML_SetParamEntityParsing(ps.parser, XML_PARAM_ENTITY_PARSING_NEVER);
	/* XML_Parse takes an int length: big bodies go in pieces. */
	for (p = body, left = len; left > 0 && rc == XML_STATUS_OK; ) {
		chunk = left > (1u << 20) ? (1u << 20) : left;
		left -= chunk;
		rc = XML_Parse(ps.parser, p, (int)chunk, left == 0);
		p += chunk;
	}
	if (ps.failed)
		ret = -1;
	else if (!ps.root_ok)
		ret = cw_metrics_other(body, len, err);
	else if (ps.refused != NULL || rc != XML_STATUS_OK) {
		/* Not XML, or refused: xml.c words it the same way for us. */
		ret = cw_metrics_other(body, len, err);
		if (ret == 0)
			ret = cw_metrics_bad(err, "", ps.refused != NULL ?
			    ps.refused : "is cut short");
	} else if (!ps.saw_result)
		ret = cw_metrics_bad(err, "", "missing: the answer has no "
		    "GetMetricDataResult");
	XML_ParserFree(ps.parser);
	buf_free(&ps.text);
	buf_free(&ps.msg);
	free(ps.code);
	if (ret != 0)
		cw_metrics_page_clear(page);
	return ret;
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
