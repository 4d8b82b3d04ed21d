/*
 * Unit tests for ui/audit-cell.c: the AUDIT cell of the functions view
 * for each state of the model's audit, found by a binary search of the
 * report's rows. The reports here are tiny hand-made ones; the console's
 * come from the engine (tests/e2e/test-console-audit.sh).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "ui.h"
#include "audit-cell.h"

static struct audit_row rows[3];
static struct audit_report report;

/* Three functions, sorted as the engine sorts them: clean, failing, warned. */
static void
make_report(void)
{
	size_t i;

	memset(rows, 0, sizeof rows);
	rows[0].function = "datalake-alpha-a";
	rows[1].function = "datalake-alpha-b";
	rows[2].function = "datalake-alpha-c";
	for (i = 0; i < 3; i++) {
		size_t c;

		for (c = 0; c < AUDIT_NCHECKS; c++)
			rows[i].result[c] = AUDIT_PASS;
	}
	rows[1].result[AUDIT_ALARMS] = AUDIT_FAIL;
	rows[1].result[AUDIT_RETENTION] = AUDIT_WARN;
	rows[1].n_findings = 2;
	rows[2].result[AUDIT_LAYERS] = AUDIT_WARN;
	rows[2].n_findings = 1;
	report.rows = rows;
	report.n_rows = 3;
}

static const char *
text(const struct model_audit *ma, const char *fn, int *role)
{
	static char buf[32];

	*role = -1;
	return audit_cell_text(ma, fn, buf, sizeof buf, role);
}

static void
test_before_and_during_the_first_audit(void **state)
{
	struct model_audit ma;
	int role;

	memset(&ma, 0, sizeof ma);
	assert_string_equal(text(NULL, "datalake-alpha-a", &role), "");
	assert_string_equal(text(&ma, "datalake-alpha-a", &role), "");
	assert_int_equal(audit_cell_count(&ma, "datalake-alpha-a"), -1);
	ma.state = MODEL_LOADING;
	assert_string_equal(text(&ma, "datalake-alpha-a", &role), "…");
	assert_int_equal(role, ROLE_LOADING);
	ma.state = MODEL_FAILED;
	assert_string_equal(text(&ma, "datalake-alpha-a", &role), "?");
	assert_int_equal(role, ROLE_ERROR);
}

static void
test_counts_and_roles(void **state)
{
	struct model_audit ma;
	int role;

	make_report();
	memset(&ma, 0, sizeof ma);
	ma.state = MODEL_READY;
	ma.report = &report;
	assert_string_equal(text(&ma, "datalake-alpha-a", &role), "ok");
	assert_int_equal(role, ROLE_OK);
	assert_string_equal(text(&ma, "datalake-alpha-b", &role), "2");
	assert_int_equal(role, ROLE_ERROR);	/* a check fails */
	assert_string_equal(text(&ma, "datalake-alpha-c", &role), "1");
	assert_int_equal(role, ROLE_WARN);	/* only warnings */
	/* Listed after the audit: no cell, and sorted with the unknown. */
	assert_string_equal(text(&ma, "datalake-alpha-new", &role), "");
	assert_int_equal(audit_cell_count(&ma, "datalake-alpha-new"), -1);
	assert_int_equal(audit_cell_count(&ma, "datalake-alpha-a"), 0);
	assert_int_equal(audit_cell_count(&ma, "datalake-alpha-b"), 2);
	assert_null(audit_cell_row(&ma, NULL));
}

/* A later audit running or failing keeps the counts of the last one. */
static void
test_the_last_report_stays(void **state)
{
	struct model_audit ma;
	int role;

	make_report();
	memset(&ma, 0, sizeof ma);
	ma.report = &report;
	ma.state = MODEL_LOADING;
	assert_string_equal(text(&ma, "datalake-alpha-b", &role), "2");
	ma.state = MODEL_FAILED;
	assert_string_equal(text(&ma, "datalake-alpha-b", &role), "2");
	assert_string_equal(text(&ma, "datalake-alpha-a", &role), "ok");
}

/* Every row of a thousand is found, and nothing between them. */
static void
test_binary_search(void **state)
{
	static struct audit_row many[1000];
	static char names[1000][32];
	struct audit_report r;
	struct model_audit ma;
	char probe[32];
	size_t i;

	for (i = 0; i < 1000; i++) {
		snprintf(names[i], sizeof names[i], "fn-%04zu", i * 2);
		memset(&many[i], 0, sizeof many[i]);
		many[i].function = names[i];
		many[i].n_findings = i % 7;
	}
	memset(&r, 0, sizeof r);
	r.rows = many;
	r.n_rows = 1000;
	memset(&ma, 0, sizeof ma);
	ma.state = MODEL_READY;
	ma.report = &r;
	for (i = 0; i < 1000; i++) {
		assert_ptr_equal(audit_cell_row(&ma, names[i]), &many[i]);
		snprintf(probe, sizeof probe, "fn-%04zu", i * 2 + 1);
		assert_null(audit_cell_row(&ma, probe));
	}
}

static void
test_roles(void **state)
{
	assert_int_equal(audit_cell_result_role(AUDIT_PASS), ROLE_OK);
	assert_int_equal(audit_cell_result_role(AUDIT_FAIL), ROLE_ERROR);
	assert_int_equal(audit_cell_result_role(AUDIT_WARN), ROLE_WARN);
	assert_int_equal(audit_cell_result_role(AUDIT_NA), ROLE_DIM);
	assert_int_equal(audit_cell_severity_role("high"), ROLE_ERROR);
	assert_int_equal(audit_cell_severity_role("medium"), ROLE_WARN);
	assert_int_equal(audit_cell_severity_role("low"), ROLE_NORMAL);
	assert_int_equal(audit_cell_severity_role(NULL), ROLE_NORMAL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_before_and_during_the_first_audit),
		cmocka_unit_test(test_counts_and_roles),
		cmocka_unit_test(test_the_last_report_stays),
		cmocka_unit_test(test_binary_search),
		cmocka_unit_test(test_roles),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
