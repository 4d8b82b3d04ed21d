/*
 * The cache in front of every provider: one answer is kept until five
 * minutes before it expires, and calls that arrive while a fetch is under
 * way wait for that fetch instead of starting their own (an SSO refresh
 * or an AssumeRole happens once, however many requests need it).
 *
 * The five minutes are advisory, as in botocore's RefreshableCredentials:
 * the keys still work, so callers get them at once while one refresh runs
 * behind them, and a refresh that fails keeps them and is tried again
 * after 30 s, then 60 s, 120 s... From one minute before expiry the
 * refresh is mandatory: callers wait for it and see its failure.
 */
#include "creds.h"

#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

#define CREDS_CACHE_EARLY	300	/* seconds before expiry: advisory refresh */
#define CREDS_CACHE_MANDATORY	60	/* seconds before expiry: mandatory refresh */
#define CREDS_CACHE_BACKOFF	30	/* first wait after a failed advisory refresh */

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
	time_t			 retry_at;	/* no advisory refresh before this */
	time_t			 backoff;	/* the next wait after a failure */
	struct creds_waiter	*waiters;
	struct creds_waiter	**tail;
	int			*freed;		/* set when freed during a callback */
};

static time_t
creds_cache_time(void)
{
	return time(NULL);
}

static int
creds_cache_fresh(struct creds_cache *s, time_t now)
{
	if (!s->have)
		return 0;
	return s->c.expiration == 0 || s->c.expiration - CREDS_CACHE_EARLY > now;
}

/* Inside the advisory window: old keys may still be handed out. */
static int
creds_cache_usable(struct creds_cache *s, time_t now)
{
	return s->have && s->c.expiration - CREDS_CACHE_MANDATORY > now;
}

/* After a failed advisory refresh: wait, doubling, never into the mandatory window. */
static void
creds_cache_back_off(struct creds_cache *s, time_t now)
{
	time_t last = s->c.expiration - CREDS_CACHE_MANDATORY;

	if (s->backoff == 0)
		s->backoff = CREDS_CACHE_BACKOFF;
	s->retry_at = now + s->backoff < last ? now + s->backoff : last;
	s->backoff *= 2;
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
		s->retry_at = 0;
		s->backoff = 0;
	} else if (creds_cache_usable(s, s->now())) {
		/* Only callers that could not use the old keys wait: none here. */
		creds_cache_back_off(s, s->now());
	}
	list = s->waiters;
	s->waiters = NULL;
	s->tail = &s->waiters;
	s->freed = &freed;
	while (list != NULL) {
		w = list;
		list = w->next;
		if (!freed)
			w->cb(c, err, w->arg);
		free(w);
	}
	if (!freed)
		s->freed = NULL;
}

static void
creds_cache_get(struct creds_provider *p, creds_cb cb, void *arg)
{
	struct creds_cache *s = p->state;
	struct creds_waiter *w;
	time_t now = s->now();

	if (creds_cache_fresh(s, now)) {
		cb(&s->c, NULL, arg);
		return;
	}
	if (creds_cache_usable(s, now)) {
		/*
		 * Start the refresh first: an inner provider may answer at
		 * once, and the caller then gets the new keys.
		 */
		if (!s->fetching && now >= s->retry_at) {
			s->fetching = 1;
			creds_get(s->inner, creds_cache_answer, p);
		}
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
	s->retry_at = 0;
	s->backoff = 0;
}
