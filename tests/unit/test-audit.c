/* Unit tests for dlc audit's checks (src/audit-*.c) from constructed facts. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "audit.h"
#include "audit-facts.h"

static void
test_names(void **state)
{
	(void)state;
	assert_string_equal(audit_check_name(AUDIT_RETENTION), "retention");
	assert_string_equal(audit_check_key(AUDIT_LOG_GROUP), "log_group");
	assert_string_equal(audit_result_mark(AUDIT_PASS, 1), "\xe2\x9c\x94");
	assert_string_equal(audit_result_mark(AUDIT_FAIL, 0), "X");
	assert_string_equal(audit_result_mark(AUDIT_WARN, 0), "~");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
