/* harden_process: core dumps off (soft and hard) and the process not dumpable. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <cmocka.h>

#include "harden.h"

static void
test_harden_process(void **state)
{
	struct rlimit rl = { RLIM_INFINITY, RLIM_INFINITY };
	struct dlc_err err;

	(void)state;
	/* Start from a process that would dump core, so the test can fail. */
	getrlimit(RLIMIT_CORE, &rl);
	rl.rlim_cur = rl.rlim_max;
	setrlimit(RLIMIT_CORE, &rl);
	prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
	assert_int_equal(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), 1);

	dlc_err_clear(&err);
	assert_int_equal(harden_process(&err), 0);
	assert_int_equal(getrlimit(RLIMIT_CORE, &rl), 0);
	assert_true(rl.rlim_cur == 0);
	assert_true(rl.rlim_max == 0);
	assert_int_equal(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_harden_process),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
