/*
 * Test helper for the proto unit tests: loads a fixture body from
 * $DLC_SRCDIR/tests/unit/data/proto/ (srcdir-relative, so VPATH builds work).
 */
#ifndef DLC_TEST_PROTO_FIXTURE_H
#define DLC_TEST_PROTO_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Returns a malloc'd, NUL-terminated copy of the file; aborts when missing. */
static char *
fixture_load(const char *name, size_t *len)
{
	const char *top = getenv("DLC_SRCDIR");
	char path[4096];
	char *data;
	long n;
	FILE *f;

	snprintf(path, sizeof path, "%s/tests/unit/data/proto/%s",
	    top != NULL ? top : ".", name);
	f = fopen(path, "rb");
	if (f == NULL) {
		fprintf(stderr, "fixture %s: cannot open\n", path);
		abort();
	}
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	data = malloc((size_t)n + 1);
	if (data == NULL || fread(data, 1, (size_t)n, f) != (size_t)n)
		abort();
	data[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return data;
}

#endif
