/* Secrets wiped before they are freed: see wipe.h. */
#include "wipe.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "xmalloc.h"

void
wipe_str(char *s)
{
	if (s != NULL)
		OPENSSL_cleanse(s, strlen(s));
}

void
wipe_free(char **s)
{
	if (*s == NULL)
		return;
	wipe_str(*s);
	free(*s);
	*s = NULL;
}

void
wipe_replace(char **dst, const char *src)
{
	wipe_free(dst);
	*dst = src != NULL ? xstrdup(src) : NULL;
}

void
wipe_buf(struct buf *b)
{
	if (b == NULL || b->data == NULL)
		return;
	/* cap, not len: a reset buffer still holds what it held before. */
	OPENSSL_cleanse(b->data, b->cap);
	b->len = 0;
}

void
wipe_buf_free(struct buf *b)
{
	wipe_buf(b);
	buf_free(b);
}
