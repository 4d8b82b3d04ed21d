/*
 * The secret scanner's rules: what a secret looks like, one table. Each
 * rule is a PCRE2 pattern (compiled once, JIT when the platform has it)
 * with a capture group holding the secret itself, and a check that turns
 * down look-alikes the pattern cannot (placeholders, names of things,
 * expressions). The formats follow the issuers' documented shapes (AWS key
 * ids are base32 after a 4-letter prefix, GitHub and Slack tokens carry a
 * prefix), as gitleaks and detect-secrets also read them; the generic rule
 * is deliberately narrow, since a scan that cries wolf gets allowlisted
 * into uselessness. Patterns never cross a line end, except private-key,
 * which needs the key material on the lines under its BEGIN marker.
 */
#ifndef DLC_SCAN_RULES_H
#define DLC_SCAN_RULES_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stddef.h>

#include "err.h"

/* How a value was written: generic-secret's unquoted form is for config files only. */
#define SCAN_RULE_UNQUOTED	0x1

struct scan_rule {
	const char	*id;		/* "aws-access-key-id": what scan-allow names */
	const char	*summary;	/* one line for --help and messages */
	const char	*pattern;
	/*
	 * Characters of the secret kept in an excerpt: the format's public
	 * prefix ("AKIA", "ghp_"); -1 keeps through the first '_' or '-'
	 * (github_pat_, xoxb-); 0 keeps nothing.
	 */
	int		 keep;
	/*
	 * A fallback (generic-secret): yields to a specific rule that found
	 * the same secret, and its third group is the unquoted form.
	 */
	int		 generic;
	/*
	 * 1 when the text before the match fits (the key an assignment
	 * sets): buf the text, at where the match starts, group the capture
	 * group that matched. NULL: nothing to check.
	 */
	int		(*context)(const char *buf, size_t at, int group);
	/*
	 * 1 when s[0..len) is a secret rather than a look-alike; flags and
	 * code_file as for scan_rules_generic_ok.
	 */
	int		(*check)(const char *s, size_t len, int flags, int code_file);
};

/*
 * The rules, in the order they are reported; ends with an all-NULL entry.
 * A rule may take several entries in a row (one id, several patterns).
 */
extern const struct scan_rule scan_rules[];
/* Number of entries in scan_rules. */
size_t		 scan_rules_count(void);
/* The first entry of entry i's rule: one id, one index. */
size_t		 scan_rules_canon(size_t i);
/* The rule named id, or NULL. */
const struct scan_rule *scan_rules_find(const char *id);
/*
 * The compiled pattern of rule i (0-based), compiled on first use with JIT
 * where available (a failed JIT compile falls back to the interpreter,
 * quietly). NULL with err only if a pattern does not compile (a bug).
 */
const pcre2_code *scan_rules_code(size_t i, struct dlc_err *err);
/* 1 when rule i's patterns run JIT-compiled. */
int		 scan_rules_jit(size_t i);
/* "aws-access-key-id, aws-secret-access-key, ..." for messages (static). */
const char	*scan_rules_ids(void);

/*
 * The generic-secret value check, with what scan.c knows of the file:
 * flags SCAN_RULE_UNQUOTED when the value had no quotes; code_file when
 * the path is a program (.py, .js, ...), where an unquoted right-hand side
 * is an expression, never a literal.
 */
int		 scan_rules_generic_ok(const char *s, size_t len, int flags,
		    int code_file);
/* 1 when path's extension names program source (where values are quoted). */
int		 scan_rules_code_file(const char *path);

#endif
