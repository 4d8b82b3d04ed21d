/*
 * The cache in front of every provider: one answer is kept until five
 * minutes before it expires, and calls that arrive while a fetch is under
 * way wait for that fetch instead of starting their own (an SSO refresh
 * or an AssumeRole happens once, however many requests need it).
 */
#include "creds.h"

#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

#define CREDS_CACHE_EARLY 300	/* seconds before expiry to refresh */

struct creds_waiter {
	creds_cb		 cb;
	void			*arg;
	struct creds_waiter	*next;
};

struct creds_cache {
	struct creds_provider	*inner;
	time_t			(*now)(void);
	struct aws_credentials	 c;
	int			 have;
	int			 fetching;
	struct creds_waiter	*waiters;
	struct creds_waiter	**tail;
	int			*freed;		/* set when freed during a callback */
	struct creds_waiter	**answering;	/* the list being answered, for cancel */
};

static time_t
creds_cache_time(void)
{
	return time(NULL);
}

static int
creds_cache_fresh(struct creds_cache *s)
{
	if (!s->have)
		return 0;
	return s->c.expiration == 0 || s->c.expiration - CREDS_CACHE_EARLY > s->now();
}

static void
creds_cache_answer(const struct aws_credentials *c, const struct dlc_err *err, void *arg)
{
	struct creds_provider *p = arg;
	struct creds_cache *s = p->state;
	struct creds_waiter *w, *list;
	int freed = 0;

	s->fetching = 0;
	if (c != NULL) {
		aws_credentials_clear(&s->c);
		aws_credentials_copy(&s->c, c);
		s->have = 1;
	}
	list = s->waiters;
	s->waiters = NULL;
	s->tail = &s->waiters;
	s->freed = &freed;
	s->answering = &list;
	while (list != NULL) {
		w = list;
		list = w->next;
		if (!freed)
			w->cb(c, err, w->arg);
		free(w);
	}
	if (!freed) {
		s->freed = NULL;
		s->answering = NULL;
	}
}

/* Unlinks and frees the waiters for (cb, arg) from *list; returns the new tail. */
static struct creds_waiter **
creds_cache_forget(struct creds_waiter **list, creds_cb cb, void *arg)
{
	struct creds_waiter **pp = list, *w;

	while ((w = *pp) != NULL) {
		if (w->cb == cb && w->arg == arg) {
			*pp = w->next;
			free(w);
		} else
			pp = &w->next;
	}
	return pp;
}

static void
creds_cache_cancel(struct creds_provider *p, creds_cb cb, void *arg)
{
	struct creds_cache *s = p->state;

	s->tail = creds_cache_forget(&s->waiters, cb, arg);
	/* A waiter answered earlier in this round may cancel a later one. */
	if (s->answering != NULL)
		(void)creds_cache_forget(s->answering, cb, arg);
}

static void
creds_cache_get(struct creds_provider *p, creds_cb cb, void *arg)
{
	struct creds_cache *s = p->state;
	struct creds_waiter *w;

	if (creds_cache_fresh(s)) {
		cb(&s->c, NULL, arg);
		return;
	}
	w = xcalloc(1, sizeof *w);
	w->cb = cb;
	w->arg = arg;
	*s->tail = w;
	s->tail = &w->next;
	if (s->fetching)
		return;
	s->fetching = 1;
	creds_get(s->inner, creds_cache_answer, p);
}

static void
creds_cache_free(struct creds_provider *p)
{
	struct creds_cache *s = p->state;
	struct creds_waiter *w;

	if (s->freed != NULL)
		*s->freed = 1;
	while ((w = s->waiters) != NULL) {
		s->waiters = w->next;
		free(w);
	}
	creds_provider_free(s->inner);
	aws_credentials_clear(&s->c);
	free(s);
	free(p);
}

struct creds_provider *
creds_cache_new(struct creds_provider *inner, time_t (*now_fn)(void))
{
	struct creds_provider *p = xcalloc(1, sizeof *p);
	struct creds_cache *s = xcalloc(1, sizeof *s);

	s->inner = inner;
	s->now = now_fn != NULL ? now_fn : creds_cache_time;
	s->tail = &s->waiters;
	p->kind = inner->kind;
	p->get = creds_cache_get;
	p->free = creds_cache_free;
	p->cancel = creds_cache_cancel;
	p->state = s;
	return p;
}

void
creds_cache_invalidate(struct creds_provider *p)
{
	struct creds_cache *s;

	if (p == NULL || p->get != creds_cache_get)
		return;
	s = p->state;
	aws_credentials_clear(&s->c);
	s->have = 0;
}
