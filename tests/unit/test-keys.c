/* Unit tests for ui/keys.c: the key table's rules and the help and hints
 * generated from it. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <curses.h>

#include "keys.h"

#define PANES	(KEYCTX_ENVS | KEYCTX_FUNCTIONS | KEYCTX_DETAILS | KEYCTX_HELP | \
	    KEYCTX_LOGS | KEYCTX_QUEUE | KEYCTX_COLUMNS | KEYCTX_ALARMS | KEYCTX_AUDIT)
#define ALL_CTX	(KEYCTX_GLOBAL | KEYCTX_LIST | KEYCTX_TABLE | PANES | \
	    KEYCTX_PROMPT)
/* The contexts each view passes. */
#define V_ENVS	(KEYCTX_GLOBAL | KEYCTX_LIST | KEYCTX_TABLE | KEYCTX_ENVS)
#define V_FN	(KEYCTX_GLOBAL | KEYCTX_LIST | KEYCTX_TABLE | KEYCTX_FUNCTIONS)
#define V_DET	(KEYCTX_GLOBAL | KEYCTX_LIST | KEYCTX_DETAILS)
#define V_HELP	(KEYCTX_GLOBAL | KEYCTX_LIST | KEYCTX_HELP)
#define V_LOGS	(KEYCTX_GLOBAL | KEYCTX_LIST | KEYCTX_LOGS)
#define V_COLS	(KEYCTX_GLOBAL | KEYCTX_LIST | KEYCTX_COLUMNS)
#define V_ALARMS	(KEYCTX_GLOBAL | KEYCTX_LIST | KEYCTX_TABLE | KEYCTX_ALARMS)
#define V_AUDIT	(KEYCTX_GLOBAL | KEYCTX_LIST | KEYCTX_AUDIT)

/*
 * The situations a binding can fire in: GLOBAL and LIST bindings are live
 * in every pane, TABLE ones in the two tables; a pane bit only in that
 * pane; PROMPT only while typing.
 */
static unsigned
situations(unsigned ctx)
{
	unsigned s = ctx & (PANES | KEYCTX_PROMPT);

	if (ctx & (KEYCTX_GLOBAL | KEYCTX_LIST))
		s |= PANES;
	if (ctx & KEYCTX_TABLE)
		s |= KEYCTX_ENVS | KEYCTX_FUNCTIONS;
	return s;
}

static void
test_no_key_bound_twice_where_both_apply(void **state)
{
	size_t i, j;

	assert_true(keys_count > 20);
	for (i = 0; i < keys_count; i++)
		for (j = i + 1; j < keys_count; j++) {
			const struct key_binding *a = &keys_table[i];
			const struct key_binding *b = &keys_table[j];
			if (a->key != b->key)
				continue;
			/*
			 * Deliberate: in the queue r retries (issue 16's key);
			 * reloading from AWS means nothing there. The queue's
			 * binding comes first in the table, so it wins there.
			 */
			if (a->key == 'r' && strcmp(a->action, "job-retry") == 0 &&
			    strcmp(b->action, "refresh") == 0 && a->contexts == KEYCTX_QUEUE)
				continue;
			if (situations(a->contexts) & situations(b->contexts))
				fail_msg("key %s bound to both %s and %s",
				    a->name, a->action, b->action);
		}
}

static void
test_every_binding_is_well_formed(void **state)
{
	size_t i;

	for (i = 0; i < keys_count; i++) {
		const struct key_binding *b = &keys_table[i];
		assert_non_null(b->name);
		assert_true(b->name[0] != '\0');
		assert_non_null(b->action);
		assert_true(b->action[0] != '\0');
		if (b->help == NULL || strlen(b->help) < 8)
			fail_msg("%s (%s) has no help text", b->name, b->action);
		assert_true(b->contexts != 0);
		assert_int_equal(b->contexts & ~(unsigned)ALL_CTX, 0);
		/* One name per key code. */
		{
			size_t j;
			for (j = 0; j < keys_count; j++)
				if (keys_table[j].key == b->key)
					assert_string_equal(keys_table[j].name,
					    b->name);
		}
	}
}

static void
test_no_forbidden_chords(void **state)
{
	/* tmux's and vim's: C-a, C-b, C-h, C-k, C-l. */
	static const int banned[] = { 1, 2, 8, 11, 12 };
	size_t i, k;

	for (i = 0; i < keys_count; i++) {
		const struct key_binding *b = &keys_table[i];
		for (k = 0; k < sizeof(banned) / sizeof(banned[0]); k++)
			assert_int_not_equal(b->key, banned[k]);
		/* C-j is the code Enter arrives as under nl(): only Enter. */
		if (b->key == 10)
			assert_string_equal(b->name, "Enter");
		assert_string_not_equal(b->name, "C-a");
		assert_string_not_equal(b->name, "C-b");
		assert_string_not_equal(b->name, "C-h");
		assert_string_not_equal(b->name, "C-j");
		assert_string_not_equal(b->name, "C-k");
		assert_string_not_equal(b->name, "C-l");
	}
}

static int
in_help(const struct key_binding *b, unsigned ctx)
{
	const struct key_binding *out[256];
	size_t i, n = keys_help(ctx, out, 256);

	assert_true(n <= 256);
	for (i = 0; i < n; i++)
		if (strcmp(out[i]->name, b->name) == 0 &&
		    strcmp(out[i]->action, b->action) == 0)
			return 1;
	return 0;
}

static void
test_every_action_is_in_the_help(void **state)
{
	static const unsigned views[] = {
		V_ENVS, V_FN, V_DET, V_HELP, V_LOGS, V_COLS, V_ALARMS, V_AUDIT, KEYCTX_PROMPT,
		KEYCTX_GLOBAL | KEYCTX_QUEUE, KEYCTX_GLOBAL | KEYCTX_LIST | KEYCTX_QUEUE,
	};
	size_t i, v;

	for (i = 0; i < keys_count; i++) {
		const struct key_binding *b = &keys_table[i];
		int found = 0;
		for (v = 0; v < sizeof views / sizeof views[0]; v++)
			if ((b->contexts & views[v]) && in_help(b, views[v])) {
				found = 1;
				/* And the key does what the help says. */
				assert_string_equal(keys_action(b->key, views[v]),
				    b->action);
			}
		if (!found)
			fail_msg("%s (%s) is not in any help", b->name,
			    b->action);
	}
}

static void
test_help_order_and_dedup(void **state)
{
	const struct key_binding *out[256];
	unsigned ctx = V_FN;
	size_t i, n = keys_help(ctx, out, 256), enter = 0, first_global = n;

	assert_true(n > 10);
	for (i = 0; i < n; i++) {
		if (out[i]->contexts & KEYCTX_GLOBAL) {
			if (first_global == n)
				first_global = i;
		} else {
			assert_true(first_global == n);	/* GLOBAL ones last */
		}
		if (strcmp(out[i]->name, "Enter") == 0)
			enter++;
		/* Nothing from other panes only (l is the functions' and the details'). */
		assert_true(out[i]->contexts & ctx);
	}
	assert_true(first_global < n);
	assert_int_equal(enter, 1);
	/* Counting with a small array still reports the full size. */
	assert_int_equal(keys_help(ctx, out, 2), n);
	assert_int_equal(keys_help(0, out, 256), 0);
}

static void
test_actions_by_context(void **state)
{
	unsigned fn = V_FN, env = V_ENVS, det = V_DET, logs = V_LOGS;

	assert_string_equal(keys_action('j', fn), "down");
	assert_string_equal(keys_action(KEY_DOWN, fn), "down");
	assert_string_equal(keys_action('k', env), "up");
	assert_string_equal(keys_action('g', fn), "top");
	assert_string_equal(keys_action('G', fn), "bottom");
	assert_string_equal(keys_action(KEY_HOME, fn), "top");
	assert_string_equal(keys_action(KEY_END, fn), "bottom");
	assert_string_equal(keys_action(KEY_NPAGE, fn), "page-down");
	assert_string_equal(keys_action(4, fn), "half-page-down");
	assert_string_equal(keys_action(21, fn), "half-page-up");
	assert_string_equal(keys_action('\n', fn), "select");
	assert_string_equal(keys_action('\r', fn), "select");
	/* The audit: U opens it from the functions; Enter opens a finding, y copies its fix. */
	assert_string_equal(keys_action('U', fn), "audit");
	assert_string_equal(keys_action('\n', V_AUDIT), "select");
	assert_string_equal(keys_action('y', V_AUDIT), "copy-fix");
	assert_string_equal(keys_action('y', fn), "copy");
	assert_string_equal(keys_action('r', V_AUDIT), "refresh");
	assert_string_equal(keys_action(KEY_ENTER, fn), "select");
	assert_string_equal(keys_action('l', fn), "logs");
	assert_string_equal(keys_action('l', env), "select");
	/* A function's details open its logs too. */
	assert_string_equal(keys_action('l', det), "logs");
	assert_string_equal(keys_action('L', env), "login");
	assert_null(keys_action('L', fn));
	assert_string_equal(keys_action('x', det), "toggle-secrets");
	assert_null(keys_action('x', fn));
	assert_string_equal(keys_action('/', fn), "filter");
	assert_string_equal(keys_action('s', fn), "sort-next");
	assert_string_equal(keys_action('S', fn), "sort-reverse");
	assert_string_equal(keys_action('r', fn), "refresh");
	assert_string_equal(keys_action('?', det), "help");
	assert_string_equal(keys_action(':', env), "command");
	assert_string_equal(keys_action('\t', fn), "next-pane");
	assert_string_equal(keys_action(27, fn), "back");
	assert_string_equal(keys_action('h', fn), "back");
	assert_string_equal(keys_action('q', fn), "quit");
	/* Typing a prompt: letters are text, not commands. */
	assert_null(keys_action('q', KEYCTX_PROMPT));
	assert_null(keys_action('j', KEYCTX_PROMPT));
	assert_string_equal(keys_action('\n', KEYCTX_PROMPT), "submit");
	assert_string_equal(keys_action(27, KEYCTX_PROMPT), "cancel");
	assert_string_equal(keys_action('\t', KEYCTX_PROMPT), "complete");
	assert_string_equal(keys_action(21, KEYCTX_PROMPT), "clear");
	assert_null(keys_action('Z', fn));
	/* The log view: '/' searches there, and tables' sort keys are not live. */
	assert_string_equal(keys_action('/', logs), "search");
	assert_null(keys_action('/', det));
	assert_null(keys_action('s', logs));
	assert_string_equal(keys_action('n', logs), "next-match");
	assert_string_equal(keys_action(' ', logs), "pause");
	assert_string_equal(keys_action('j', logs), "down");
	assert_string_equal(keys_action('\n', logs), "select");
	assert_null(keys_action('n', fn));
	assert_null(keys_action('w', fn));
}

static void
test_hint_from_table(void **state)
{
	unsigned fn = V_FN;
	const char *h = keys_hint(fn);

	assert_string_equal(h, "Enter open  / filter  s sort  l logs  "
	    "Q queue  : command  ? help  q quit");
	assert_ptr_equal(keys_hint(fn), h);	/* cached */
	assert_non_null(strstr(keys_hint(V_ENVS), "L login"));
	assert_null(strstr(keys_hint(V_ENVS), "logs"));
	assert_non_null(strstr(keys_hint(V_DET), "x secrets"));
	/* KEYCTX_AUDIT is past 2048: its hint has its own slot, not G|L's. */
	assert_null(strstr(keys_hint(KEYCTX_GLOBAL | KEYCTX_LIST), "copy fix"));
	assert_non_null(strstr(keys_hint(V_AUDIT), "y copy fix"));
	assert_non_null(strstr(keys_hint(V_AUDIT), "Enter open"));
	assert_string_equal(keys_hint(KEYCTX_PROMPT),
	    "Enter run  Esc cancel  Tab complete");
	assert_string_equal(keys_hint(0), "");
	/* The first one is still intact. */
	assert_string_equal(h, "Enter open  / filter  s sort  l logs  "
	    "Q queue  : command  ? help  q quit");
}

/* The line of g (in context) holding key name, or NULL. */
static const struct key_line *
group_line(const char *title, unsigned context, const char *name,
    struct key_line *lines, size_t *n)
{
	size_t g, i;

	for (g = 0; g < keys_groups_count; g++) {
		if (strcmp(keys_groups[g].title, title) != 0)
			continue;
		*n = keys_group_lines(&keys_groups[g], context, lines, 64);
		assert_true(*n <= 64);
		for (i = 0; i < *n; i++) {
			char copy[48], *w, *save = NULL;

			snprintf(copy, sizeof copy, "%s", lines[i].names);
			for (w = strtok_r(copy, " ", &save); w != NULL;
			    w = strtok_r(NULL, " ", &save))
				if (strcmp(w, name) == 0)
					return &lines[i];
		}
		return NULL;
	}
	fail_msg("no group %s", title);
	return NULL;
}

static void
test_groups_one_line_per_action(void **state)
{
	struct key_line lines[64];
	const struct key_line *l;
	size_t n, i, j;

	l = group_line("Moving, in every view that scrolls", V_FN, "j", lines, &n);
	assert_non_null(l);
	assert_string_equal(l->names, "j Down");
	l = group_line("Functions view", V_FN, "Enter", lines, &n);
	assert_non_null(l);
	assert_string_equal(l->names, "Enter Right");	/* \n, \r, KEY_ENTER once */
	/* No two lines of a group do one thing. */
	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++)
			assert_false(strcmp(lines[i].b->action, lines[j].b->action) == 0 &&
			    strcmp(lines[i].b->help, lines[j].b->help) == 0);
	/* l and / mean different things by view. */
	assert_string_equal(group_line("Environments view", V_ENVS, "l", lines, &n)->b->action, "select");
	assert_string_equal(group_line("Functions view", V_FN, "l", lines, &n)->b->action, "logs");
	assert_string_equal(group_line("Log view", V_LOGS, "/", lines, &n)->b->action, "search");
	assert_string_equal(group_line("Functions view", V_FN, "/", lines, &n)->b->action, "filter");
	assert_null(group_line("Functions view", V_FN, "x", lines, &n));
	assert_string_equal(group_line("Everywhere", V_FN, "-", lines, &n)->b->action, "previous-env");
}

static void
test_group_for_each_view(void **state)
{
	assert_string_equal(keys_group_for(V_FN)->title, "Functions view");
	assert_string_equal(keys_group_for(V_ENVS)->title, "Environments view");
	assert_string_equal(keys_group_for(V_DET)->title, "Details view");
	assert_string_equal(keys_group_for(V_LOGS)->title, "Log view");
	assert_string_equal(keys_group_for(KEYCTX_GLOBAL | KEYCTX_QUEUE)->title, "Queue strip");
	assert_null(keys_group_for(KEYCTX_DETAILS));
}

static void
test_details_and_queue_offer_no_enter(void **state)
{
	/* Enter opens rows that open; the details have none (issue 14). */
	assert_null(keys_action('\n', V_DET));
	assert_null(keys_action(KEY_RIGHT, V_DET));
	assert_null(strstr(keys_hint(V_DET), "Enter"));
	assert_null(keys_action('\n', V_HELP));
	/* The focused queue strip takes no list key; its Enter is the queue's (refused there, in code). */
	assert_null(keys_action('j', KEYCTX_GLOBAL | KEYCTX_QUEUE));
	assert_string_equal(keys_action('\n', KEYCTX_GLOBAL | KEYCTX_QUEUE), "select");
	/* In the queue, r retries (not the global reload), n steps. */
	assert_string_equal(keys_action('r', KEYCTX_GLOBAL | KEYCTX_LIST | KEYCTX_QUEUE), "job-retry");
	assert_string_equal(keys_action('n', KEYCTX_GLOBAL | KEYCTX_LIST | KEYCTX_QUEUE), "step-next");
	assert_string_equal(keys_group_for(KEYCTX_GLOBAL | KEYCTX_LIST | KEYCTX_QUEUE)->title,
	    "Queue view (Q)");
	assert_string_equal(keys_action('\t', KEYCTX_GLOBAL | KEYCTX_QUEUE), "next-pane");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_key_bound_twice_where_both_apply),
		cmocka_unit_test(test_every_binding_is_well_formed),
		cmocka_unit_test(test_no_forbidden_chords),
		cmocka_unit_test(test_every_action_is_in_the_help),
		cmocka_unit_test(test_help_order_and_dedup),
		cmocka_unit_test(test_actions_by_context),
		cmocka_unit_test(test_hint_from_table),
		cmocka_unit_test(test_groups_one_line_per_action),
		cmocka_unit_test(test_group_for_each_view),
		cmocka_unit_test(test_details_and_queue_offer_no_enter),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
