/*
 * Percent-encoding as AWS wants it (RFC 3986): only A-Z a-z 0-9 - . _ ~ stay
 * as they are, everything else becomes %XX with upper-case hex. Used by the
 * signer (canonical URI and query), REST path labels and query-protocol forms.
 */
#ifndef DLC_URI_H
#define DLC_URI_H

#include <stddef.h>

#include "buf.h"

/* Appends the encoding of s[0..len) to out; keep_slash leaves '/' alone. */
int	uri_encode(struct buf *out, const char *s, size_t len, int keep_slash);
/* Returns an allocated encoding of the NUL-terminated s. */
char	*uri_encode_str(const char *s, int keep_slash);
/*
 * Decodes %XX in s[0..len) into out ('+' is left alone: AWS query strings
 * use %20). Returns -1 on a malformed escape.
 */
int	uri_decode(struct buf *out, const char *s, size_t len);

#endif
