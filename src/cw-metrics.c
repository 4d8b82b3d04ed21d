/* GetMetricData over the operation layer: calls of <= 500 queries, their pages. */
#include "cw-metrics.h"

#include <stdlib.h>
#include <string.h>

#include "aws-op.h"
#include "xmalloc.h"

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
