/* Credential sets: copying and wiping. */
#include "credentials.h"
#include "wipe.h"
#include "xmalloc.h"

#include <stdlib.h>
#include <string.h>

void
aws_credentials_clear(struct aws_credentials *c)
{
	if (c == NULL)
		return;
	wipe_free(&c->access_key_id);
	wipe_free(&c->secret_access_key);
	wipe_free(&c->session_token);
	free(c->account_id);
	memset(c, 0, sizeof *c);
}

void
aws_credentials_copy(struct aws_credentials *dst, const struct aws_credentials *src)
{
	dst->access_key_id = xstrdup(src->access_key_id);
	dst->secret_access_key = xstrdup(src->secret_access_key);
	dst->session_token = xstrdup(src->session_token);
	dst->expiration = src->expiration;
	dst->account_id = xstrdup(src->account_id);
	dst->source = src->source;
}
