/* RFC 3986 percent-encoding, the AWS way. */
#include "uri.h"

#include <string.h>

static int
uri_unreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
	    c == '~';
}

int
uri_encode(struct buf *out, const char *s, size_t len, int keep_slash)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		char esc[3];

		if (uri_unreserved(c) || (keep_slash && c == '/')) {
			if (buf_putc(out, (char)c) != 0)
				return -1;
			continue;
		}
		esc[0] = '%';
		esc[1] = hex[c >> 4];
		esc[2] = hex[c & 15];
		if (buf_append(out, esc, 3) != 0)
			return -1;
	}
	return 0;
}

char *
uri_encode_str(const char *s, int keep_slash)
{
	struct buf b;

	buf_init(&b, 0);
	uri_encode(&b, s, strlen(s), keep_slash);
	return buf_detach(&b, NULL);
}

static int
uri_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int
uri_decode(struct buf *out, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		int hi, lo;

		if (s[i] != '%') {
			if (buf_putc(out, s[i]) != 0)
				return -1;
			continue;
		}
		if (i + 2 >= len)
			return -1;
		hi = uri_hexval(s[i + 1]);
		lo = uri_hexval(s[i + 2]);
		if (hi < 0 || lo < 0)
			return -1;
		if (buf_putc(out, (char)(hi << 4 | lo)) != 0)
			return -1;
		i += 2;
	}
	return 0;
}
