/* Credential sets: copying and wiping. */
#include "credentials.h"
#include "xmalloc.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

static void
credentials_wipe(char **s)
{
	if (*s != NULL) {
		OPENSSL_cleanse(*s, strlen(*s));
		free(*s);
		*s = NULL;
	}
}

void
aws_credentials_clear(struct aws_credentials *c)
{
	if (c == NULL)
		return;
	credentials_wipe(&c->access_key_id);
	credentials_wipe(&c->secret_access_key);
	credentials_wipe(&c->session_token);
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
