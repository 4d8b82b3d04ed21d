/* Expected-error records, filled once where the cause is known. */
#include "err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void
dlc_err_clear(struct dlc_err *err)
{
	if (err != NULL)
		memset(err, 0, sizeof *err);
}

int
dlc_err_isset(const struct dlc_err *err)
{
	return err != NULL && (err->message[0] != '\0' || err->code[0] != '\0');
}

int
dlc_err_set(struct dlc_err *err, const char *code, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return -1;
	snprintf(err->code, sizeof err->code, "%s", code != NULL ? code : "");
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof err->message, fmt, ap);
	va_end(ap);
	return -1;
}

void
dlc_err_what(struct dlc_err *err, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(err->what, sizeof err->what, fmt, ap);
	va_end(ap);
}

void
dlc_err_fix(struct dlc_err *err, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(err->fix, sizeof err->fix, fmt, ap);
	va_end(ap);
}

const char *
dlc_err_format(const struct dlc_err *err, char *buf, size_t len)
{
	size_t off = 0;

#define APPEND(...) do { \
	int n_ = snprintf(buf + off, len - off, __VA_ARGS__); \
	if (n_ > 0) off = (size_t)n_ >= len - off ? len - 1 : off + (size_t)n_; \
} while (0)
	if (len == 0)
		return buf;
	buf[0] = '\0';
	if (err->what[0] != '\0')
		APPEND("%s: ", err->what);
	if (err->code[0] != '\0')
		APPEND("%s: ", err->code);
	APPEND("%s", err->message[0] != '\0' ? err->message : "failed");
	if (err->request_id[0] != '\0')
		APPEND(" (request id %s)", err->request_id);
	if (err->fix[0] != '\0')
		APPEND("\n  %s", err->fix);
#undef APPEND
	return buf;
}
