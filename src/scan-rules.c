/* The secret scanner's rule table and value checks: see scan-rules.h. */
#include "scan-rules.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "xmalloc.h"

/* Distinct bytes in s[0..len): a placeholder repeats few ("XXXX", "0000"). */
static size_t
scan_rules_variety(const char *s, size_t len)
{
	unsigned char seen[256];
	size_t i, n = 0;

	memset(seen, 0, sizeof seen);
	for (i = 0; i < len; i++) {
		if (!seen[(unsigned char)s[i]]) {
			seen[(unsigned char)s[i]] = 1;
			n++;
		}
	}
	return n;
}

/* The part after a token's fixed prefix must look random, not "XXXX...". */
static int
scan_rules_check_token(const char *s, size_t len, int flags, int code_file)
{
	(void)flags;
	(void)code_file;
	const char *p = memchr(s, '_', len);

	if (p == NULL)
		p = memchr(s, '-', len);
	if (p == NULL || len < 4)
		p = s + 3;
	p++;
	return scan_rules_variety(p, len - (size_t)(p - s)) >= 6;
}

static int
scan_rules_check_aws_id(const char *s, size_t len, int flags, int code_file)
{
	(void)flags;
	(void)code_file;
	return len == 20 && scan_rules_variety(s + 4, 16) >= 5;
}

/* A real secret key is 30 random bytes in base64: mixed case and a digit or symbol. */
static int
scan_rules_check_aws_secret(const char *s, size_t len, int flags, int code_file)
{
	(void)flags;
	(void)code_file;
	int up = 0, low = 0, other = 0;
	size_t i;

	for (i = 0; i < len; i++) {
		if (isupper((unsigned char)s[i]))
			up = 1;
		else if (islower((unsigned char)s[i]))
			low = 1;
		else
			other = 1;
	}
	return up && low && other && scan_rules_variety(s, len) >= 12;
}

static int
scan_rules_check_key_body(const char *s, size_t len, int flags, int code_file)
{
	(void)flags;
	(void)code_file;
	return scan_rules_variety(s, len) >= 12;
}

/* Only the last path part of a webhook URL is its secret. */
static int
scan_rules_check_webhook(const char *s, size_t len, int flags, int code_file)
{
	(void)flags;
	(void)code_file;
	const char *p = s + len;

	while (p > s && p[-1] != '/')
		p--;
	return scan_rules_variety(p, len - (size_t)(p - s)) >= 6;
}

/*
 * The key an assignment at buf[at] (its operator) sets: the identifier
 * before it, past blanks, a ']' and a quote ("x": 1, d["x"] = 1), copied
 * lower-cased without '_', '.' and '-' into key (size at least 65).
 * Returns its length, 0 when there is none. The patterns start at the
 * operator, not at the key: a key word starts at any 'p', 's', 't' or 'a'
 * of the text, so a pattern starting there tried a match at a fifth of
 * all bytes, which made it 5 times slower.
 */
static size_t
scan_rules_key(const char *buf, size_t at, char *key)
{
	size_t p = at, end, n = 0, i;

	while (p > 0 && (buf[p - 1] == ' ' || buf[p - 1] == '\t'))
		p--;
	if (p > 0 && buf[p - 1] == ']')
		p--;
	if (p > 0 && (buf[p - 1] == '"' || buf[p - 1] == '\'' || buf[p - 1] == '`'))
		p--;
	end = p;
	while (p > 0 && end - p < 64 && (isalnum((unsigned char)buf[p - 1]) ||
	    buf[p - 1] == '_' || buf[p - 1] == '.' || buf[p - 1] == '-'))
		p--;
	for (i = p; i < end; i++) {
		if (buf[i] != '_' && buf[i] != '.' && buf[i] != '-')
			key[n++] = (char)tolower((unsigned char)buf[i]);
	}
	key[n] = '\0';
	return n;
}

static int
scan_rules_ends(const char *s, size_t n, const char *tail, size_t *rest)
{
	size_t t = strlen(tail);

	if (t > n || memcmp(s + n - t, tail, t) != 0)
		return 0;
	*rest = n - t;
	return 1;
}

/*
 * generic-secret's key: one ending in a secret's word (db_password,
 * client_secret, GITHUB_TOKEN, api-key), maybe plural, maybe with _key,
 * _value or _str after it. Keys that only name a secret (password_hash,
 * secret_arn, token_url) do not end so; pagination and CSRF tokens
 * (next_token, nextPageToken, csrf_token) are not secrets.
 */
static int
scan_rules_generic_key(const char *buf, size_t at, int group)
{
	static const char *const words[] = { "password", "passwd", "passwort",
	    "pwd", "secret", "token", "apikey", "accesskey", "privatekey",
	    "authkey", "credential", NULL };
	static const char *const suffixes[] = { "", "key", "value", "str",
	    "string", NULL };
	static const char *const not_before[] = { "next", "page",
	    "continuation", "csrf", "xsrf", NULL };
	char key[80];
	size_t n, m, r, i, j, k;

	(void)group;
	n = scan_rules_key(buf, at, key);
	for (i = 0; n > 0 && suffixes[i] != NULL; i++) {
		if (!scan_rules_ends(key, n, suffixes[i], &m))
			continue;
		if (m > 0 && key[m - 1] == 's')
			m--;	/* passwords, tokens */
		for (j = 0; words[j] != NULL; j++) {
			if (!scan_rules_ends(key, m, words[j], &r))
				continue;
			for (k = 0; not_before[k] != NULL; k++) {
				if (scan_rules_ends(key, r, not_before[k], &r))
					return 0;
			}
			return 1;
		}
		/* the plural 's' was part of the word after all (pwds -> none) */
	}
	return 0;
}

/*
 * aws-secret-access-key after an operator: the key must name an AWS
 * secret key (aws_secret_access_key, SecretAccessKey, AWS_SECRET).
 */
static int
scan_rules_aws_secret_key(const char *buf, size_t at, int group)
{
	char key[80];

	(void)group;
	scan_rules_key(buf, at, key);
	return strstr(key, "awssecret") != NULL ||
	    strstr(key, "secretaccesskey") != NULL;
}

#define SCAN_AWS_SECRET "an AWS secret access key: 40 characters under an " \
	"aws_secret / secret_access_key name, or quoted on a line about AWS"

const struct scan_rule scan_rules[] = {
	{ "aws-access-key-id", "an AWS access key id (AKIA..., ASIA...)",
	  "(?<![A-Za-z0-9])((?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16})(?![A-Za-z0-9])",
	  4, 0, NULL, scan_rules_check_aws_id },
	/*
	 * One rule, three patterns: each alone lets PCRE2 skip ahead on its
	 * own first characters; joined, the search for "A" or a quote ran at
	 * a fifth of the speed of the three together.
	 */
	{ "aws-secret-access-key", SCAN_AWS_SECRET,
	  "(?:=>|:=|=|:)[ \\t]*[\"'`]?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])",
	  0, 0, scan_rules_aws_secret_key, scan_rules_check_aws_secret },
	{ "aws-secret-access-key", SCAN_AWS_SECRET,
	  "(?<![A-Za-z0-9])A[KS]IA[A-Z2-7]{16}(?![A-Za-z0-9])[^\\n]{0,120}?"
	  "[\"'`]([A-Za-z0-9/+]{40})[\"'`]",
	  0, 0, NULL, scan_rules_check_aws_secret },
	{ "aws-secret-access-key", SCAN_AWS_SECRET,
	  "(?i)aws[^\\n]{0,80}?[\"'`]([A-Za-z0-9/+]{40})[\"'`]",
	  0, 0, NULL, scan_rules_check_aws_secret },
	{ "private-key", "a private key block (-----BEGIN ... PRIVATE KEY----- and its key material)",
	  "-----BEGIN[ A-Z0-9_-]{0,40}PRIVATE KEY(?: BLOCK)?-----"
	  "(?:[ \\t]*(?:\\\\r)?\\\\n|[ \\t\\r]*\\n(?:[ \\t]*[A-Za-z][A-Za-z-]{0,30}:"
	  "[^\\n]{0,200}\\n|[ \\t\\r]*\\n){0,5})[ \\t\"'>]*([A-Za-z0-9+/]{40,})",
	  0, 0, NULL, scan_rules_check_key_body },
	{ "github-token", "a GitHub token (ghp_, gho_, ghu_, ghs_, ghr_, github_pat_)",
	  "(?<![A-Za-z0-9_])((?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36,251}|"
	  "github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59})(?![A-Za-z0-9_])",
	  -1, 0, NULL, scan_rules_check_token },
	{ "slack-token", "a Slack token (xoxb-, xoxa-, xoxp-, xoxr-, xoxs-)",
	  "(?<![A-Za-z0-9])(xox[baprs]-[0-9]{6,13}-[A-Za-z0-9-]{8,255})(?![A-Za-z0-9-])",
	  -1, 0, NULL, scan_rules_check_token },
	{ "slack-webhook", "a Slack incoming webhook URL (https://hooks.slack.com/services/...)",
	  "https://hooks\\.slack\\.com/(?:services|workflows)/"
	  "(T[A-Z0-9]{6,12}/[AB][A-Z0-9]{6,12}/[A-Za-z0-9_/]{20,80})",
	  0, 0, NULL, scan_rules_check_webhook },
	{ "generic-secret",
	  "a literal assigned to a password, secret, token or API key name (password = \"...\")",
	  "(?:=>|:=|=(?!=)|:(?![:/]))[ \\t]*"
	  "(?:\"([^\"\\\\\\n\\t \\x00]{8,200})\"|'([^'\\\\\\n\\t \\x00]{8,200})'|"
	  "([^\\s\"'`,;()\\[\\]{}<>$%\\x00]{8,200})[ \\t]*\\r?$)",
	  0, 1, scan_rules_generic_key, scan_rules_generic_ok },
	{ NULL, NULL, NULL, 0, 0, NULL, NULL }
};

#define SCAN_RULES_N	(sizeof scan_rules / sizeof scan_rules[0] - 1)

static pcre2_code *scan_rules_codes[SCAN_RULES_N];
static int scan_rules_jitted[SCAN_RULES_N];

size_t
scan_rules_count(void)
{
	return SCAN_RULES_N;
}

size_t
scan_rules_canon(size_t i)
{
	while (i > 0 && strcmp(scan_rules[i - 1].id, scan_rules[i].id) == 0)
		i--;
	return i;
}

const struct scan_rule *
scan_rules_find(const char *id)
{
	size_t i;

	for (i = 0; i < SCAN_RULES_N; i++) {
		if (strcmp(scan_rules[i].id, id) == 0)
			return &scan_rules[i];
	}
	return NULL;
}

const pcre2_code *
scan_rules_code(size_t i, struct dlc_err *err)
{
	PCRE2_UCHAR msg[256];
	PCRE2_SIZE off;
	int code;

	if (scan_rules_codes[i] != NULL)
		return scan_rules_codes[i];
	/* Bytes, not UTF: a package holds any bytes, and a secret is ASCII. */
	scan_rules_codes[i] = pcre2_compile((PCRE2_SPTR)scan_rules[i].pattern,
	    PCRE2_ZERO_TERMINATED, PCRE2_MULTILINE, &code, &off, NULL);
	if (scan_rules_codes[i] == NULL) {
		pcre2_get_error_message(code, msg, sizeof msg);
		dlc_err_set(err, "ScanRuleError", "scan rule %s does not compile: "
		    "%s at offset %zu", scan_rules[i].id, (const char *)msg, (size_t)off);
		dlc_err_fix(err, "this is a bug in dlc: report it");
		return NULL;
	}
	/* Without JIT (some platforms, hardened kernels) the interpreter still matches. */
	scan_rules_jitted[i] = pcre2_jit_compile(scan_rules_codes[i],
	    PCRE2_JIT_COMPLETE) == 0;
	return scan_rules_codes[i];
}

int
scan_rules_jit(size_t i)
{
	return i < SCAN_RULES_N && scan_rules_jitted[i];
}

const char *
scan_rules_ids(void)
{
	static char ids[512];
	size_t i, off = 0;

	if (ids[0] != '\0')
		return ids;
	for (i = 0; i < SCAN_RULES_N && off < sizeof ids; i++) {
		if (scan_rules_canon(i) == i)
			off += (size_t)snprintf(ids + off, sizeof ids - off,
			    "%s%s", i > 0 ? ", " : "", scan_rules[i].id);
	}
	return ids;
}

static int
scan_rules_has(const char *s, size_t len, const char *needle)
{
	size_t n = strlen(needle), i;

	for (i = 0; i + n <= len; i++) {
		if (strncasecmp(s + i, needle, n) == 0)
			return 1;
	}
	return 0;
}

/* 8-4-4-4-12 hex digits. */
static int
scan_rules_uuid(const char *s, size_t len)
{
	size_t i;

	if (len != 36)
		return 0;
	for (i = 0; i < len; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return 0;
		} else if (!isxdigit((unsigned char)s[i])) {
			return 0;
		}
	}
	return 1;
}

/*
 * A name: identifiers joined by '.', each maybe indexed ("Shards[-1]",
 * "Items[*]"), never starting with a digit (an environment variable, a
 * JMESPath, a type), and with no digit outside an index or no lower-case
 * letter: "hunter2hunter2" is a password, "AWS_ACCESS_KEY_ID" a name.
 */
static int
scan_rules_name(const char *s, size_t len)
{
	size_t i, j;
	int start = 1, digit = 0, lower = 0;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '.' && !start) {
			start = 1;
		} else if (c == '[' && !start) {
			for (j = i + 1; j < len && (isdigit((unsigned char)s[j]) ||
			    s[j] == '-' || s[j] == '*'); j++)
				;
			if (j >= len || s[j] != ']')
				return 0;
			i = j;
		} else if (isalpha(c) || c == '_' || (isdigit(c) && !start)) {
			start = 0;
			digit |= isdigit(c) != 0;
			lower |= islower(c) != 0;
		} else {
			return 0;
		}
	}
	return !start && (!digit || !lower);
}

int
scan_rules_generic_ok(const char *s, size_t len, int flags, int code_file)
{
	/*
	 * Placeholders, templates and references to a secret kept elsewhere;
	 * a value holding a secret's word names one ("SessionToken",
	 * "X-Amz-Security-Token", "prod/db/password").
	 */
	static const char *const not_secret[] = { "example", "changeme",
	    "change_me", "change-me", "placeholder", "your", "dummy", "redacted",
	    "xxxx", "****", "....", "<", ">", "${", "{{", "%(", "%s", "{}", "$(",
	    "sample", "fake", "password", "passwd", "secret", "token",
	    "credential", NULL };
	int lower = 0, upper = 0, digit = 0, other = 0;
	size_t i;

	if ((flags & SCAN_RULE_UNQUOTED) && code_file)
		return 0;	/* an expression: os.environ[...], get_token() */
	for (i = 0; not_secret[i] != NULL; i++) {
		if (scan_rules_has(s, len, not_secret[i]))
			return 0;
	}
	if (s[0] == '/' || s[0] == '~' || (s[0] == '.' && len > 1 &&
	    (s[1] == '/' || s[1] == '.')) || strncasecmp(s, "arn:", 4) == 0)
		return 0;	/* a path or an ARN */
	for (i = 0; i + 2 < len && (isalnum((unsigned char)s[i]) || s[i] == '+' ||
	    s[i] == '.' || s[i] == '-'); i++)
		;
	if (i > 0 && i + 2 < len && memcmp(s + i, "://", 3) == 0 &&
	    memchr(s, '@', len) == NULL)
		return 0;	/* a URL without credentials in it */
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (islower(c))
			lower = 1;
		else if (isupper(c))
			upper = 1;
		else if (isdigit(c))
			digit = 1;
		else
			other = 1;
	}
	if (lower + upper + digit + other < 2 || scan_rules_variety(s, len) < 5)
		return 0;	/* a word ("production"), a run ("aaaa1111") */
	if (!lower && !upper)
		return 0;	/* a number, a date: 1556312220.133 */
	if (scan_rules_uuid(s, len))
		return 0;	/* idempotency and request tokens are uuids */
	if (scan_rules_name(s, len))
		return 0;	/* AWS_ACCESS_KEY_ID, DistributionList.NextMarker */
	/* Unquoted, a word with no digit is a name (default_value, PROD_KEY). */
	if ((flags & SCAN_RULE_UNQUOTED) && !digit)
		return 0;
	return 1;
}

int
scan_rules_code_file(const char *path)
{
	static const char *const ext[] = { "py", "pyi", "pyx", "js", "mjs",
	    "cjs", "jsx", "ts", "tsx", "java", "kt", "kts", "scala", "go", "rb",
	    "php", "cs", "c", "h", "cc", "cpp", "hpp", "rs", "swift", "lua", "pl",
	    "pm", "r", "groovy", "dart", NULL };
	const char *slash = strrchr(path, '/');
	const char *dot = strrchr(slash != NULL ? slash : path, '.');
	size_t i;

	if (dot == NULL)
		return 0;
	for (i = 0; ext[i] != NULL; i++) {
		if (strcasecmp(dot + 1, ext[i]) == 0)
			return 1;
	}
	return 0;
}
