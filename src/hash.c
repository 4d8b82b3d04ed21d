/* Digests, HMAC and base64 over OpenSSL 3 libcrypto. */
#include "hash.h"
#include "xmalloc.h"

#include <limits.h>
#include <stdlib.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

struct hash_sha256 {
	EVP_MD_CTX	*md;
	int		 done;
};

/*
 * A digest libcrypto cannot compute means a broken installation (or a
 * provider configuration that removed it), not a condition to recover from.
 */
static void
hash_digest(const EVP_MD *md, const void *data, size_t len,
    unsigned char *out)
{
	unsigned int n;

	if (EVP_Digest(data, len, out, &n, md, NULL) != 1)
		fatal("libcrypto could not compute %s", EVP_MD_get0_name(md));
}

void
hash_hex(const unsigned char *data, size_t len, char *out)
{
	static const char hex[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < len; i++) {
		out[2 * i] = hex[data[i] >> 4];
		out[2 * i + 1] = hex[data[i] & 15];
	}
	out[2 * len] = '\0';
}

void
hash_sha256(const void *data, size_t len, unsigned char out[32])
{
	hash_digest(EVP_sha256(), data, len, out);
}

void
hash_sha256_hex(const void *data, size_t len, char out[65])
{
	unsigned char md[32];

	hash_sha256(data, len, md);
	hash_hex(md, sizeof(md), out);
}

void
hash_sha1_hex(const void *data, size_t len, char out[41])
{
	unsigned char md[20];

	hash_digest(EVP_sha1(), data, len, md);
	hash_hex(md, sizeof(md), out);
}

void
hash_hmac_sha256(const void *key, size_t keylen, const void *data, size_t len,
    unsigned char out[32])
{
	unsigned int n = 32;
	/* HMAC() with a NULL key means "no key" only when keylen is 0. */
	static const unsigned char empty;

	if (keylen > INT_MAX)
		fatal("HMAC key of %zu bytes is too long", keylen);
	if (HMAC(EVP_sha256(), keylen ? key : &empty, (int)keylen, data, len,
	    out, &n) == NULL || n != 32)
		fatal("libcrypto could not compute HMAC-SHA256");
}

struct hash_sha256 *
hash_sha256_new(void)
{
	struct hash_sha256 *h = xcalloc(1, sizeof(*h));

	h->md = EVP_MD_CTX_new();
	if (h->md == NULL)
		fatal("out of memory (EVP_MD_CTX_new)");
	if (EVP_DigestInit_ex(h->md, EVP_sha256(), NULL) != 1)
		fatal("libcrypto could not start SHA-256");
	return h;
}

void
hash_sha256_update(struct hash_sha256 *h, const void *data, size_t len)
{
	if (h->done)
		fatal("hash_sha256_update after final");
	if (len > 0 && EVP_DigestUpdate(h->md, data, len) != 1)
		fatal("libcrypto could not update SHA-256");
}

void
hash_sha256_final(struct hash_sha256 *h, unsigned char out[32])
{
	unsigned int n;

	if (h->done)
		fatal("hash_sha256_final called twice");
	if (EVP_DigestFinal_ex(h->md, out, &n) != 1 || n != 32)
		fatal("libcrypto could not finish SHA-256");
	h->done = 1;
}

void
hash_sha256_free(struct hash_sha256 *h)
{
	if (h == NULL)
		return;
	EVP_MD_CTX_free(h->md);
	free(h);
}

char *
hash_base64_encode(const void *data, size_t len)
{
	static const char abc[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const unsigned char *p = data;
	size_t i, o = 0;
	char *s;

	if (len > ((size_t)-1 - 1) / 4 * 3 - 3)
		fatal("base64 input too large (%zu bytes)", len);
	s = xmalloc((len + 2) / 3 * 4 + 1);
	for (i = 0; i + 2 < len; i += 3) {
		s[o++] = abc[p[i] >> 2];
		s[o++] = abc[(p[i] & 3) << 4 | p[i + 1] >> 4];
		s[o++] = abc[(p[i + 1] & 15) << 2 | p[i + 2] >> 6];
		s[o++] = abc[p[i + 2] & 63];
	}
	if (len - i == 1) {
		s[o++] = abc[p[i] >> 2];
		s[o++] = abc[(p[i] & 3) << 4];
		s[o++] = '=';
		s[o++] = '=';
	} else if (len - i == 2) {
		s[o++] = abc[p[i] >> 2];
		s[o++] = abc[(p[i] & 3) << 4 | p[i + 1] >> 4];
		s[o++] = abc[(p[i + 1] & 15) << 2];
		s[o++] = '=';
	}
	s[o] = '\0';
	return s;
}

static int
hash_b64val(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

int
hash_base64_decode(const char *s, size_t len, struct buf *out)
{
	size_t i, j;

	if (len % 4 != 0)
		return -1;
	for (i = 0; i < len; i += 4) {
		int v[4], pad = 0;
		unsigned char b[3];

		for (j = 0; j < 4; j++) {
			unsigned char c = (unsigned char)s[i + j];

			if (c == '=' && i + 4 == len && j >= 2) {
				/* "x=y=" is not padding: '=' only at the very end. */
				if (j == 2 && s[i + 3] != '=')
					return -1;
				v[j] = 0;
				pad++;
				continue;
			}
			v[j] = hash_b64val(c);
			if (v[j] < 0)
				return -1;
		}
		b[0] = (unsigned char)(v[0] << 2 | v[1] >> 4);
		b[1] = (unsigned char)((v[1] & 15) << 4 | v[2] >> 2);
		b[2] = (unsigned char)((v[2] & 3) << 6 | v[3]);
		if (buf_append(out, b, 3 - (size_t)pad) != 0)
			return -1;
	}
	return 0;
}
