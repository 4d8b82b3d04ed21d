/*
 * Unit tests for src/recon-table.c: RECONCILIATION.md's example shown as
 * a table, mismatches first, the difference worked out from the counts,
 * checksums compared; another version or a missing key is not the shape;
 * hostile text in a cell is shown inert; no rows is said.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "recon-table.h"

#define DOC(VERSION, ROWS) "{\"reconciliation\": " VERSION ", \"function\": \"dynamodb-datalake-reconciliation\"," \
	"\"source\": \"dynamodb\", \"database\": \"datalake_raw\", \"from\": \"2026-12-01\", \"to\": \"2026-12-02\"," \
	"\"generated_at\": \"2026-12-03T06:00:00Z\", \"ok\": false, \"checked\": 3, \"mismatches\": 1, \"rows\": [" ROWS "]}"
#define OK_ROW "{\"table\": \"customers\", \"date\": \"2026-12-01\", \"source_rows\": 40, \"lake_rows\": 40," \
	"\"row_diff\": 0, \"source_checksum\": \"00000013b0a6f7d1\", \"lake_checksum\": \"00000013b0a6f7d1\", \"status\": \"ok\"}"
#define BAD_ROW "{\"table\": \"customers\", \"date\": \"2026-12-02\", \"source_rows\": 120, \"lake_rows\": 118," \
	"\"row_diff\": -2, \"source_checksum\": \"0000003a51f2c9e4\", \"lake_checksum\": \"000000399c0e1a07\", \"status\": \"mismatch\"}"
#define SUM_ROW "{\"table\": \"sls_cards\", \"date\": \"2026-12-02\", \"source_rows\": 7, \"lake_rows\": 7," \
	"\"row_diff\": 0, \"source_checksum\": \"0000000000000001\", \"lake_checksum\": \"0000000000000002\", \"status\": \"mismatch\"}"

static char *
render(const char *json)
{
	cJSON *doc = cJSON_Parse(json);
	struct buf b;

	assert_non_null(doc);
	assert_true(recon_table_is(doc));
	buf_init(&b, 0);
	recon_table_render(&b, doc, 0);
	cJSON_Delete(doc);
	return buf_detach(&b, NULL);
}

static void
test_table(void **state)
{
	char *s = render(DOC("1", OK_ROW "," BAD_ROW "," SUM_ROW));

	(void)state;
	assert_string_equal(s,
	    "reconciliation dynamodb-datalake-reconciliation: dynamodb against datalake_raw, "
	    "2026-12-01 to 2026-12-02 (generated 2026-12-03T06:00:00Z)\n"
	    "MISMATCH: 2 of 3 tables and dates differ\n"
	    "STATUS    TABLE      DATE        SOURCE  LAKE  DIFF  CHECKSUM\n"
	    "mismatch  customers  2026-12-02     120   118    -2  differs\n"
	    "mismatch  sls_cards  2026-12-02       7     7     0  differs\n"
	    "ok        customers  2026-12-01      40    40     0  match\n");
	free(s);
	s = render(DOC("1", OK_ROW));
	assert_non_null(strstr(s, "ok: 1 tables and dates match\n"));
	free(s);
	s = render(DOC("1", ""));
	assert_non_null(strstr(s, "ok: 0 tables and dates match\n"));
	assert_null(strstr(s, "STATUS"));
	free(s);
}

static void
test_not_the_shape(void **state)
{
	static const char *const docs[] = {
		DOC("2", OK_ROW),
		DOC("\"1\"", OK_ROW),
		"{\"rows\": []}",
		"[1, 2]",
		DOC("1", "{\"table\": \"t\", \"date\": \"d\", \"status\": \"ok\"}"),
		DOC("1", "3"),
		"{\"reconciliation\": 1, \"rows\": {}}",
	};
	size_t i;
	cJSON *doc;

	(void)state;
	for (i = 0; i < sizeof docs / sizeof docs[0]; i++) {
		doc = cJSON_Parse(docs[i]);
		assert_non_null(doc);
		assert_false(recon_table_is(doc));
		cJSON_Delete(doc);
	}
}

static void
test_hostile_text_inert(void **state)
{
	char *s = render("{\"reconciliation\": 1, \"function\": \"f\\u001b]0;x\\u0007\", \"rows\": ["
	    "{\"table\": \"t\\u001b[2J\", \"date\": \"d\", \"source_rows\": 1, \"lake_rows\": 1,"
	    "\"source_checksum\": \"a\", \"lake_checksum\": \"a\", \"status\": \"ok\\u202e\"}]}");

	(void)state;
	assert_null(strchr(s, '\033'));
	assert_null(strchr(s, '\007'));
	assert_non_null(strstr(s, "f\\x1b]0;x\\x07"));
	assert_non_null(strstr(s, "t\\x1b[2J"));
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_not_the_shape),
		cmocka_unit_test(test_hostile_text_inert),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
