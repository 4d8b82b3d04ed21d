/*
 * Keeps secrets out of traces and logs: signatures, session and bearer
 * tokens in headers, URLs and AWS error messages become "<redacted>".
 * Everything it returns for the trace has gone through the one sanitiser,
 * so traced network text cannot drive the terminal it is printed on.
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
 * Redacts, in place, the secrets an AWS error message can quote: with a
 * wrong secret key, SignatureDoesNotMatch / InvalidSignatureException
 * repeat the canonical request, x-amz-security-token line included. Values
 * of secret fields (SecretAccessKey, x-amz-security-token, Signature, ...)
 * in "name:value", "name=value", JSON and XML forms become "<redacted>".
 * msg is a NUL-terminated string in a buffer of size bytes (a struct
 * dlc_err field); it stays raw text for the sanitiser to print.
 */
void	redact_message(char *msg, size_t size);

/*
 * Appends s through the one sanitiser (sanitize_append): controls, C1
 * (raw or encoded), bidi controls and invalid UTF-8 made inert;
 * keep_newlines keeps \n and turns \t into spaces. Returns -1 at out's
 * ceiling.
 */
int	redact_escape(struct buf *out, const char *s, size_t len, int keep_newlines);

#endif
