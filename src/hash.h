/*
 * Digests and encodings every part of dlc needs from libcrypto in one
 * place: SHA-256 for SigV4 and Lambda's CodeSha256 (base64 of the raw
 * digest), SHA-1 for the SSO cache file names, HMAC-SHA256 for signing
 * keys, and base64 for CodeSha256 and X-Amz-Log-Result.
 */
#ifndef DLC_HASH_H
#define DLC_HASH_H

#include <stddef.h>

#include "buf.h"

void	hash_sha256(const void *data, size_t len, unsigned char out[32]);
/* Lower-case hex, NUL-terminated. */
void	hash_sha256_hex(const void *data, size_t len, char out[65]);
void	hash_sha1_hex(const void *data, size_t len, char out[41]);
void	hash_hmac_sha256(const void *key, size_t keylen, const void *data,
	    size_t len, unsigned char out[32]);
/* Writes 2 * len lower-case hex digits and a NUL into out. */
void	hash_hex(const unsigned char *data, size_t len, char *out);

/*
 * Streaming SHA-256 for inputs too big to hold at once (deployment zips).
 * hash_sha256_final() may be called once; hash_sha256_free(NULL) is a no-op.
 */
struct hash_sha256;
struct hash_sha256 *hash_sha256_new(void);
void	hash_sha256_update(struct hash_sha256 *h, const void *data, size_t len);
void	hash_sha256_final(struct hash_sha256 *h, unsigned char out[32]);
void	hash_sha256_free(struct hash_sha256 *h);

/* Returns an allocated string: standard alphabet, '=' padding, no newlines. */
char	*hash_base64_encode(const void *data, size_t len);
/*
 * Appends the bytes that s[0..len) encodes to out. Standard alphabet with
 * padding, no whitespace. Returns -1 (out may hold a partial result) on a
 * character outside the alphabet, a bad length or misplaced '=', or when
 * out's ceiling is reached.
 */
int	hash_base64_decode(const char *s, size_t len, struct buf *out);

#endif
