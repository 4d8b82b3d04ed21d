/*
 * Credentials that are simply there: the environment variables and a
 * profile's static keys. Both answer at once.
 */
#include "creds.h"

#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

struct creds_static {
	struct aws_credentials	c;
};

static const char *
creds_env_var(const char *name)
{
	const char *v = getenv(name);

	return v != NULL && *v != '\0' ? v : NULL;
}

int
creds_env_read(struct aws_credentials *out)
{
	const char *id = creds_env_var("AWS_ACCESS_KEY_ID");
	const char *secret = creds_env_var("AWS_SECRET_ACCESS_KEY");
	const char *token = creds_env_var("AWS_SESSION_TOKEN");

	memset(out, 0, sizeof *out);
	if (id == NULL || secret == NULL)
		return -1;
	if (token == NULL)
		token = creds_env_var("AWS_SECURITY_TOKEN");
	out->access_key_id = xstrdup(id);
	out->secret_access_key = xstrdup(secret);
	out->session_token = xstrdup(token);
	out->account_id = xstrdup(creds_env_var("AWS_ACCOUNT_ID"));
	out->source = "env";
	return 0;
}

static void
creds_static_get(struct creds_provider *p, creds_cb cb, void *arg)
{
	struct creds_static *s = p->state;

	cb(&s->c, NULL, arg);
}

static void
creds_static_free(struct creds_provider *p)
{
	struct creds_static *s = p->state;

	aws_credentials_clear(&s->c);
	free(s);
	free(p);
}

struct creds_provider *
creds_static_new(const struct aws_credentials *c)
{
	struct creds_provider *p = xcalloc(1, sizeof *p);
	struct creds_static *s = xcalloc(1, sizeof *s);

	aws_credentials_copy(&s->c, c);
	p->kind = c->source != NULL ? c->source : "static";
	p->get = creds_static_get;
	p->free = creds_static_free;
	p->state = s;
	return p;
}

static void
creds_env_get(struct creds_provider *p, creds_cb cb, void *arg)
{
	struct aws_credentials c;
	struct dlc_err err;

	if (creds_env_read(&c) != 0) {
		dlc_err_clear(&err);
		dlc_err_set(&err, "NoCredentials", "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set");
		dlc_err_fix(&err, "export both, or name a profile");
		cb(NULL, &err, arg);
		return;
	}
	cb(&c, NULL, arg);
	aws_credentials_clear(&c);
}

static void
creds_env_free(struct creds_provider *p)
{
	free(p);
}

struct creds_provider *
creds_env_new(void)
{
	struct creds_provider *p = xcalloc(1, sizeof *p);

	p->kind = "env";
	p->get = creds_env_get;
	p->free = creds_env_free;
	return p;
}
