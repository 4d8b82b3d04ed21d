/* A log event and its ownership rules: see logevent.h. */
#include "logevent.h"

#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

void
log_event_clear(struct log_event *ev)
{
	if (ev == NULL)
		return;
	free(ev->stream);
	free(ev->message);
	memset(ev, 0, sizeof *ev);
}

void
log_event_set_message(struct log_event *ev, const char *msg, size_t len)
{
	char *m = xmalloc(len + 1);

	if (len > 0)
		memcpy(m, msg, len);
	m[len] = '\0';
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
