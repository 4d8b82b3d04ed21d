/* Redaction of secrets and control characters in traced text. */
#include "redact.h"
#include "sanitize.h"
#include "xmalloc.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* Headers whose whole value is a secret. */
static const char *const redact_secret_headers[] = {
	"X-Amz-Security-Token", "x-amz-sso_bearer_token", "Proxy-Authorization",
	"Cookie", "Set-Cookie", NULL
};

/*
 * Field names whose value is a secret, in any case: JSON and XML bodies
 * (STS, SSO, SSO-OIDC, credential_process), INI files, form bodies and
 * presigned URL queries.
 */
static const char *const redact_secret_fields[] = {
	"SecretAccessKey", "SessionToken", "SecurityToken", "AccessToken",
	"RefreshToken", "ClientSecret", "DeviceCode", "IdToken", "Password",
	"aws_secret_access_key", "aws_session_token", "aws_security_token",
	"X-Amz-Security-Token", "X-Amz-Signature", "Signature", "code_verifier",
	NULL
};

int
redact_escape(struct buf *out, const char *s, size_t len, int keep_newlines)
{
	int flags = keep_newlines ? SANITIZE_KEEP_NEWLINE | SANITIZE_TAB_AS_SPACE : 0;
	struct buf tmp;
	int rc;

	/* The one sanitiser: C0, C1 (raw 8-bit or UTF-8), bidi, invalid UTF-8. */
	if (out->limit == 0) {
		sanitize_append(out, s, len, flags);
		return 0;
	}
	/* It stops quietly at a ceiling; here the caller wants to know. */
	buf_init(&tmp, 0);
	sanitize_append(&tmp, s, len, flags);
	rc = buf_append(out, tmp.data != NULL ? tmp.data : "", tmp.len);
	buf_free(&tmp);
	return rc;
}

static char *
redact_printable(const char *s, size_t len)
{
	struct buf b;

	/* Unbounded, but never more than four times the input. */
	buf_init(&b, 0);
	redact_escape(&b, s, len, 0);
	return buf_detach(&b, NULL);
}

char *
redact_header_value(const char *name, const char *value)
{
	const char *p, *end;
	size_t i;

	if (value == NULL)
		value = "";
	for (i = 0; redact_secret_headers[i] != NULL; i++) {
		if (strcasecmp(name, redact_secret_headers[i]) == 0)
			return xstrdup(REDACTED);
	}
	if (strcasecmp(name, "Authorization") != 0)
		return redact_printable(value, strlen(value));
	/* The key id says which credentials signed; the signature is the secret. */
	if (strncmp(value, "AWS4-HMAC-SHA256 ", 17) == 0 &&
	    (p = strstr(value, "Credential=")) != NULL) {
		p += 11;
		end = p + strcspn(p, "/, ");
		return xasprintf("%.*s/%s", (int)(end - value),
		    value, REDACTED);
	}
	return xstrdup(REDACTED);
}

static int
redact_is_word(int c)
{
	return isalnum(c) || c == '_' || c == '-';
}

/* Length of the secret field name starting at s[i], or 0. */
static size_t
redact_field_at(const char *s, size_t len, size_t i)
{
	size_t k, n;

	if (i > 0 && redact_is_word((unsigned char)s[i - 1]))
		return 0;
	for (k = 0; redact_secret_fields[k] != NULL; k++) {
		n = strlen(redact_secret_fields[k]);
		if (n <= len - i && strncasecmp(s + i, redact_secret_fields[k], n) == 0 &&
		    (i + n == len || !redact_is_word((unsigned char)s[i + n])))
			return n;
	}
	return 0;
}

/*
 * Given a field name at [i, i+n), finds the value it introduces as
 * [*vs, *ve). Returns 0 when the name is not followed by a value.
 */
static int
redact_value_span(const char *s, size_t len, size_t i, size_t n,
    size_t *vs, size_t *ve)
{
	size_t j = i + n;

	if (i > 0 && s[i - 1] == '<') {
		/* XML start tag: the text up to the next tag. */
		while (j < len && s[j] != '>')
			j++;
		if (j >= len)
			return 0;
		*vs = ++j;
		while (j < len && s[j] != '<')
			j++;
		*ve = j;
		return 1;
	}
	if (i > 0 && s[i - 1] == '"') {
		/* JSON member: "Name" : "value"; only strings hold secrets. */
		if (j >= len || s[j] != '"')
			return 0;
		j++;
		while (j < len && isspace((unsigned char)s[j]))
			j++;
		if (j >= len || s[j] != ':')
			return 0;
		j++;
		while (j < len && isspace((unsigned char)s[j]))
			j++;
		if (j >= len || s[j] != '"')
			return 0;
		*vs = ++j;
		while (j < len && s[j] != '"') {
			if (s[j] == '\\' && j + 1 < len)
				j++;
			j++;
		}
		*ve = j;
		return 1;
	}
	/* Form, query or INI: Name=value, Name = value, Name: value. */
	while (j < len && (s[j] == ' ' || s[j] == '\t'))
		j++;
	if (j >= len || (s[j] != '=' && s[j] != ':'))
		return 0;
	j++;
	while (j < len && (s[j] == ' ' || s[j] == '\t'))
		j++;
	*vs = j;
	while (j < len && s[j] != '&' && s[j] != '\n' && s[j] != '\r' &&
	    s[j] != ' ' && s[j] != '\t' && s[j] != '#' && s[j] != ',')
		j++;
	*ve = j;
	return 1;
}

/* Appends s[0..len): sanitised, or as it is for text sanitised later. */
static int
redact_emit(struct buf *out, const char *s, size_t len, int raw)
{
	return raw ? buf_append(out, s, len) : redact_escape(out, s, len, 0);
}

static int
redact_text(const char *s, size_t len, struct buf *out, int raw)
{
	size_t i = 0, start = 0, n, vs, ve;

	while (i < len) {
		n = redact_field_at(s, len, i);
		if (n == 0 || !redact_value_span(s, len, i, n, &vs, &ve)) {
			i += n > 0 ? n : 1;
			continue;
		}
		if (redact_emit(out, s + start, vs - start, raw) != 0 ||
		    (ve > vs && buf_puts(out, REDACTED) != 0))
			return -1;
		start = i = ve;
	}
	return redact_emit(out, s + start, len - start, raw);
}

void
redact_message(char *msg, size_t size)
{
	struct buf b;
	size_t len;

	if (msg == NULL || size == 0)
		return;
	len = strnlen(msg, size - 1);
	buf_init(&b, 0);
	redact_text(msg, len, &b, 1);
	/* REDACTED can be longer than what it hides: cut to the record's size. */
	snprintf(msg, size, "%s", b.data != NULL ? b.data : "");
	buf_free(&b);
}

char *
redact_url(const char *url)
{
	struct buf b;
	const char *q;

	buf_init(&b, 0);
	q = strchr(url, '?');
	if (q == NULL)
		redact_escape(&b, url, strlen(url), 0);
	else {
		redact_escape(&b, url, (size_t)(q - url), 0);
		redact_text(q, strlen(q), &b, 0);
	}
	return buf_detach(&b, NULL);
}
