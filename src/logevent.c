/* A log event and its ownership rules: see logevent.h. */
#include "logevent.h"

#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

struct log_arena {
	size_t	refs;
	char	data[];
};

struct log_arena *
log_arena_new(size_t cap)
{
	struct log_arena *a = xmalloc(sizeof *a + cap);

	a->refs = 1;
	return a;
}

char *
log_arena_data(struct log_arena *a)
{
	return a->data;
}

void
log_arena_ref(struct log_arena *a)
{
	a->refs++;
}

void
log_arena_unref(struct log_arena *a)
{
	if (a != NULL && --a->refs == 0)
		free(a);
}

void
log_event_clear(struct log_event *ev)
{
	static const struct log_event zero;

	if (ev == NULL)
		return;
	if (ev->arena != NULL)
		log_arena_unref(ev->arena);
	else {
		free(ev->stream);
		free(ev->message);
	}
	/* An assignment, not memset: stores, where memset was a slow rep stos. */
	*ev = zero;
}

void
log_event_set_message(struct log_event *ev, const char *msg, size_t len)
{
	char *m = xmalloc(len + 1);

	if (len > 0)
		memcpy(m, msg, len);
	m[len] = '\0';
	if (ev->arena != NULL) {
		/* msg may lie in the arena: it was copied before the arena goes. */
		ev->stream = ev->stream == NULL ? NULL : xstrdup(ev->stream);
		log_arena_unref(ev->arena);
		ev->arena = NULL;
	} else
		free(ev->message);
	ev->message = m;
	ev->message_len = len;
}

void
log_event_set_id(struct log_event *ev, const char *id)
{
	size_t n = id == NULL ? 0 : strlen(id);

	if (n >= sizeof ev->event_id)
		n = sizeof ev->event_id - 1;
	if (n > 0)
		memcpy(ev->event_id, id, n);
	ev->event_id[n] = '\0';
}

void
log_event_copy(struct log_event *dst, const struct log_event *src)
{
	*dst = *src;
	dst->arena = NULL;
	dst->stream = src->stream == NULL ? NULL : xstrdup(src->stream);
	dst->message = NULL;
	if (src->message != NULL)
		log_event_set_message(dst, src->message, src->message_len);
	else
		dst->message_len = 0;
}

int
log_event_cmp(const struct log_event *a, const struct log_event *b)
{
	size_t la, lb;

	if (a->timestamp != b->timestamp)
		return a->timestamp < b->timestamp ? -1 : 1;
	if (a->ingestion_time != b->ingestion_time)
		return a->ingestion_time < b->ingestion_time ? -1 : 1;
	/* AWS ids are fixed-width digits; compare shorter first for safety. */
	la = strlen(a->event_id);
	lb = strlen(b->event_id);
	if (la != lb)
		return la < lb ? -1 : 1;
	return strcmp(a->event_id, b->event_id);
}
