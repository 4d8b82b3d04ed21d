/* User regexes, compiled one way everywhere: see regexp.h. */
#include "regexp.h"

#include <ctype.h>

int
regexp_has_upper(const char *s, int regex)
{
	for (; *s != '\0'; s++) {
		if (regex && *s == '\\') {
			if (s[1] == '\0')
				break;
			s++;
			continue;
		}
		if (isupper((unsigned char)*s))
			return 1;
	}
	return 0;
}

pcre2_code *
regexp_compile(const char *pattern, const char *errcode, const char *what,
    struct dlc_err *err)
{
	uint32_t opts = PCRE2_UTF;
	pcre2_code *re;
	PCRE2_SIZE off;
	int code;

#ifdef PCRE2_MATCH_INVALID_UTF
	opts |= PCRE2_MATCH_INVALID_UTF;	/* log lines may be bad */
#endif
	if (!regexp_has_upper(pattern, 1))
		opts |= PCRE2_CASELESS;
	re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, opts,
	    &code, &off, NULL);
	if (re == NULL) {
		PCRE2_UCHAR msg[256];

		pcre2_get_error_message(code, msg, sizeof msg);
		dlc_err_set(err, errcode, "%s %s: %s at offset %zu", what,
		    pattern, (const char *)msg, (size_t)off);
		return NULL;
	}
	(void)pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
	return re;
}
