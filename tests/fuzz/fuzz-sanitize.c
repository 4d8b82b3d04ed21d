/*
 * libFuzzer target for src/sanitize.c. Whatever the input, what the
 * sanitiser lets out must be valid UTF-8 (checked here by a decoder of our
 * own, not the sanitiser's) holding no raw ESC, BEL or other C0 control
 * (a kept newline aside), no DEL, no C1 control, no bidi control and no
 * line or paragraph separator; sanitize_fit must fill its width exactly.
 * The first input byte picks the flags and the width.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "sanitize.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fuzz_sanitize_fail(const char *what, const char *s, size_t len, size_t at)
{
	size_t i;

	fprintf(stderr, "sanitizer output %s at byte %zu of %zu:", what, at,
	    len);
	for (i = at > 8 ? at - 8 : 0; i < len && i < at + 8; i++)
		fprintf(stderr, " %02x", (unsigned char)s[i]);
	fprintf(stderr, "\n");
	abort();
}

/* Code points that must never reach a terminal raw. */
static int
fuzz_sanitize_banned(uint32_t cp, int keep_newline)
{
	if (cp < 0x20)
		return !(cp == '\n' && keep_newline);
	if (cp == 0x7f || (cp >= 0x80 && cp <= 0x9f))
		return 1;
	return cp == 0x061c || cp == 0x200e || cp == 0x200f ||
	    (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) ||
	    cp == 0x2028 || cp == 0x2029;
}

/*
 * Independent strict UTF-8 check (RFC 3629) plus the banned set; mode 2
 * checks UTF-8 only (sanitize_utf8_repair keeps controls for encoders).
 */
static void
fuzz_sanitize_check(const char *s, size_t len, int keep_newline)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, n, k;
	uint32_t cp, min;

	while (i < len) {
		if (p[i] < 0x80) {
			cp = p[i];
			n = 1;
			min = 0;
		} else if (p[i] >= 0xc2 && p[i] <= 0xdf) {
			cp = p[i] & 0x1f;
			n = 2;
			min = 0x80;
		} else if ((p[i] & 0xf0) == 0xe0) {
			cp = p[i] & 0x0f;
			n = 3;
			min = 0x800;
		} else if (p[i] >= 0xf0 && p[i] <= 0xf4) {
			cp = p[i] & 0x07;
			n = 4;
			min = 0x10000;
		} else
			fuzz_sanitize_fail("has an invalid lead byte", s, len, i);
		if (len - i < n)
			fuzz_sanitize_fail("has a cut sequence", s, len, i);
		for (k = 1; k < n; k++) {
			if ((p[i + k] & 0xc0) != 0x80)
				fuzz_sanitize_fail("has a bad continuation",
				    s, len, i);
			cp = cp << 6 | (p[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			fuzz_sanitize_fail("has an overlong, surrogate or "
			    "out-of-range sequence", s, len, i);
		if (keep_newline != 2 && fuzz_sanitize_banned(cp, keep_newline))
			fuzz_sanitize_fail("has a raw control", s, len, i);
		i += n;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf out;
	const char *s;
	char *z, *copy;
	size_t len, width, limit;
	int flags;

	if (size < 1)
		return 0;
	flags = data[0] & (SANITIZE_KEEP_NEWLINE | SANITIZE_TAB_AS_SPACE);
	width = data[0] >> 2;
	/* Sometimes a tight ceiling: cutting must stop at a character. */
	limit = (data[0] & 0x80) ? width + 1 : 0;
	s = (const char *)data + 1;
	len = size - 1;

	buf_init(&out, limit);
	(void)sanitize_append(&out, s, len, flags);
	fuzz_sanitize_check(out.data != NULL ? out.data : "", out.len,
	    flags & SANITIZE_KEEP_NEWLINE);
	(void)sanitize_width(out.data != NULL ? out.data : "", out.len);
	buf_free(&out);

	/* The NUL-terminated entry points see the input up to its first NUL. */
	copy = malloc(len + 1);
	memcpy(copy, s, len);
	copy[len] = '\0';
	z = sanitize_str(copy);
	fuzz_sanitize_check(z, strlen(z), 0);
	free(z);

	buf_init(&out, 0);
	sanitize_fit(&out, copy, width, data[0] & 1);
	fuzz_sanitize_check(out.data != NULL ? out.data : "", out.len, 0);
	if (sanitize_width(out.data != NULL ? out.data : "", out.len) != width) {
		fprintf(stderr, "sanitize_fit gave %zu columns for %zu\n",
		    sanitize_width(out.data, out.len), width);
		abort();
	}
	buf_free(&out);

	/* Repair keeps controls (for JSON) but must leave valid UTF-8. */
	buf_init(&out, 0);
	if (sanitize_utf8_repair(&out, s, len) != 0)
		abort();
	fuzz_sanitize_check(out.data != NULL ? out.data : "", out.len, 2);
	buf_free(&out);
	free(copy);
	return 0;
}
