/*
 * Scanning a package as it will be sent: every entry of the zip read back
 * through libzip (inflated in pieces, never whole) and streamed through
 * the rules. An entry that cannot be read (encrypted, corrupt) fails the
 * scan: what was not read cannot be called clean.
 */
#include "scan.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zip.h>

#include "scan-stream.h"
#include "xmalloc.h"

#define SCAN_ZIP_READ	(64 * 1024)

static int
scan_zip_fail(struct dlc_err *err, const char *zip_path, const char *fix,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int
scan_zip_fail(struct dlc_err *err, const char *zip_path, const char *fix,
    const char *fmt, ...)
{
	char msg[768];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	dlc_err_what(err, "scanning %s", zip_path);
	dlc_err_set(err, "ScanFailed", "%s", msg);
	dlc_err_fix(err, "%s", fix);
	return -1;
}

static int
scan_zip_entry(zip_t *za, zip_uint64_t i, const char *name,
    const char *zip_path, struct scan_stream *s, char *chunk,
    struct dlc_err *err)
{
	zip_file_t *zf;
	zip_int64_t got;
	char *display;
	int rc = 0;

	zf = zip_fopen_index(za, i, 0);
	if (zf == NULL)
		return scan_zip_fail(err, zip_path, "rebuild the package; an "
		    "entry that cannot be read cannot be called clean",
		    "cannot read entry %s: %s", name, zip_strerror(za));
	display = xasprintf("%s!%s", zip_path, name);
	rc = scan_stream_begin(s, display, strlen(zip_path) + 1, err);
	while (rc == 0) {
		got = zip_fread(zf, chunk, SCAN_ZIP_READ);
		if (got < 0) {
			rc = scan_zip_fail(err, zip_path, "rebuild the package: "
			    "it is damaged", "cannot read entry %s: %s", name,
			    zip_file_strerror(zf));
			break;
		}
		if (got == 0) {
			rc = scan_stream_end(s, err);
			break;
		}
		rc = scan_stream_feed(s, chunk, (size_t)got, err);
	}
	zip_fclose(zf);
	free(display);
	return rc;
}

/*
 * Which part of parts entry i belongs to: entries are cut by unzipped
 * bytes (each goes where its middle byte falls), so parts take about equal
 * work whatever the order of large and small files.
 */
static unsigned
scan_zip_part_of(zip_uint64_t before, zip_uint64_t size, zip_uint64_t total,
    unsigned parts)
{
	long double mid = (long double)before + (long double)size / 2;
	unsigned k;

	if (total == 0 || parts <= 1)
		return 0;
	k = (unsigned)(mid * parts / (long double)total);
	return k < parts ? k : parts - 1;
}

int
scan_zip_allow(const char *zip_path, const struct scan_allow *allow,
    struct scan_report *out, struct dlc_err *err)
{
	return scan_zip_part(zip_path, allow, 0, 1, out, err);
}

int
scan_zip_part(const char *zip_path, const struct scan_allow *allow,
    unsigned part, unsigned parts, struct scan_report *out,
    struct dlc_err *err)
{
	struct scan_stream *s;
	zip_uint64_t total = 0, before = 0, size;
	zip_int64_t n, i;
	zip_stat_t st;
	zip_error_t ze;
	zip_t *za;
	char *chunk;
	int zerr, rc = 0;

	za = zip_open(zip_path, ZIP_RDONLY | ZIP_CHECKCONS, &zerr);
	if (za == NULL) {
		zip_error_init_with_code(&ze, zerr);
		scan_zip_fail(err, zip_path, "scan a zip file (the package "
		    "dlc build wrote), or a folder", "cannot open %s as a zip: %s",
		    zip_path, zip_error_strerror(&ze));
		zip_error_fini(&ze);
		return -1;
	}
	n = zip_get_num_entries(za, 0);
	/* Sizes first: a zip that unpacks to gigabytes is refused before any work. */
	for (i = 0; i < n; i++) {
		if (zip_stat_index(za, (zip_uint64_t)i, 0, &st) == 0 &&
		    (st.valid & ZIP_STAT_SIZE))
			total += st.size;
	}
	if (total > SCAN_MAX_UNZIPPED) {
		zip_discard(za);
		return scan_zip_fail(err, zip_path, "a Lambda package unpacks "
		    "to at most 250 MB: check what the package holds",
		    "%s unpacks to %llu bytes, more than the scan reads", zip_path,
		    (unsigned long long)total);
	}
	s = scan_stream_new(allow, out);
	chunk = xmalloc(SCAN_ZIP_READ);
	for (i = 0; i < n && rc == 0; i++) {
		const char *name;
		size_t len;

		if (zip_stat_index(za, (zip_uint64_t)i, 0, &st) != 0 ||
		    !(st.valid & ZIP_STAT_NAME)) {
			rc = scan_zip_fail(err, zip_path, "rebuild the package: "
			    "it is damaged", "%s: an entry has no name (%s)",
			    zip_path, zip_strerror(za));
			break;
		}
		name = st.name;
		len = strlen(name);
		size = (st.valid & ZIP_STAT_SIZE) ? st.size : 0;
		before += size;
		if (scan_zip_part_of(before - size, size, total, parts) != part)
			continue;	/* another part's */
		if (len > 0 && name[len - 1] == '/')
			continue;	/* a folder */
		if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) &&
		    st.encryption_method != ZIP_EM_NONE) {
			rc = scan_zip_fail(err, zip_path, "package without "
			    "encryption: Lambda cannot read it either",
			    "entry %s of %s is encrypted and cannot be scanned",
			    name, zip_path);
			break;
		}
		rc = scan_zip_entry(za, (zip_uint64_t)i, name, zip_path, s, chunk,
		    err);
	}
	explicit_bzero(chunk, SCAN_ZIP_READ);
	free(chunk);
	scan_stream_free(s);
	zip_discard(za);
	return rc;
}

int
scan_zip(const char *zip_path, const struct local_function *fn,
    struct scan_report *out, struct dlc_err *err)
{
	struct scan_allow *allow;
	int rc;

	allow = scan_allow_new(fn, err);
	if (allow == NULL)
		return -1;
	rc = scan_zip_allow(zip_path, allow, out, err);
	scan_allow_free(allow);
	return rc;
}
