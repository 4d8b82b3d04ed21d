/*
 * Compiling the regexes users type (the console's filter and log search,
 * dlc logs --grep) one way everywhere: PCRE2 in UTF mode that tolerates
 * invalid UTF-8 in what it matches (log lines may hold any bytes), smart
 * case (case-insensitive unless the pattern has a capital outside an
 * escape), JIT when the platform has it.
 */
#ifndef DLC_REGEXP_H
#define DLC_REGEXP_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "err.h"

/* 1 when s has an upper-case letter; with regex set, escapes (\S, \W) do not count. */
int		 regexp_has_upper(const char *s, int regex);
/*
 * The compiled pattern (free with pcre2_code_free), or NULL with err:
 * the code given, the message "WHAT PATTERN: why at offset N".
 */
pcre2_code	*regexp_compile(const char *pattern, const char *code,
		    const char *what, struct dlc_err *err);

#endif
