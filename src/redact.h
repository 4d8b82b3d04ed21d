/*
 * Keeps secrets out of traces and logs: signatures, session and bearer
 * tokens in headers, URLs and bodies become "<redacted>". Everything it
 * returns has its control characters escaped as \xNN, so traced network
 * text cannot drive the terminal it is printed on.
 */
#ifndef DLC_REDACT_H
#define DLC_REDACT_H

#include <stddef.h>

#include "buf.h"

#define REDACTED "<redacted>"

/*
 * Returns an allocated, printable copy of a header value. Authorization
 * keeps "AWS4-HMAC-SHA256 Credential=AKID" and loses the rest; token
 * headers (X-Amz-Security-Token, x-amz-sso_bearer_token, ...) lose all.
 */
char	*redact_header_value(const char *name, const char *value);

/* Returns an allocated, printable URL with signature and token query values redacted. */
char	*redact_url(const char *url);

/*
 * Appends to out a printable copy of a JSON, XML, form or INI body with
 * the values of secret fields (SecretAccessKey, sessionToken, accessToken,
 * aws_secret_access_key, ...) replaced. Newlines and tabs are kept.
 * Returns -1 when out's ceiling was reached (what fitted is kept).
 */
int	redact_body(const char *s, size_t len, struct buf *out);

/*
 * Appends s with C0 controls, DEL and UTF-8 encoded C1 controls written
 * as \xNN; keep_newlines keeps \n and \t. Returns -1 at out's ceiling.
 */
int	redact_escape(struct buf *out, const char *s, size_t len, int keep_newlines);

#endif
