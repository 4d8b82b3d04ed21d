/*
 * Expected failures: a function that can fail returns 0 or -1 and fills a
 * struct dlc_err where the cause is known; callers pass it up untouched.
 * A message the user sees names the thing, the cause and the fix.
 */
#ifndef DLC_ERR_H
#define DLC_ERR_H

#include <stddef.h>

struct dlc_err {
	char	what[256];	/* what failed: "ListFunctions in alpha" */
	char	code[128];	/* AWS error code ("AccessDenied"), or dlc's own */
	char	message[1024];	/* AWS's message verbatim, or the cause */
	char	request_id[128];/* AWS request id, when there was one */
	char	fix[512];	/* what the user can do about it */
	int	http_status;	/* 0 when no HTTP response was seen */
	int	retryable;	/* aws.c: retrying later may succeed (5xx, throttled, transport) */
};

void	dlc_err_clear(struct dlc_err *err);
int	dlc_err_isset(const struct dlc_err *err);
/* Sets code (may be NULL) and a formatted message; returns -1 for tail calls. */
int	dlc_err_set(struct dlc_err *err, const char *code, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
void	dlc_err_what(struct dlc_err *err, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
void	dlc_err_fix(struct dlc_err *err, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/*
 * Writes "what: code: message (request id R)\n  fix" into buf; returns buf.
 * The text is not sanitised: callers printing it pass it through sanitize.
 */
const char *dlc_err_format(const struct dlc_err *err, char *buf, size_t len);

#endif
