/* Unit tests for src/whoami.c: one answer for who runs dlc, with or without $USER. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "lease.h"
#include "whoami.h"
#include "xmalloc.h"

static void
test_user_from_env(void **state)
{
	char *u;

	(void)state;
	setenv("USER", "alice", 1);
	u = whoami_user();
	assert_string_equal(u, "alice");
	free(u);
}

/* Without USER (cron, containers), the password entry names the user. */
static void
test_user_without_env(void **state)
{
	struct passwd *pw = getpwuid(getuid());
	char *u, *want;

	(void)state;
	unsetenv("USER");
	u = whoami_user();
	want = pw != NULL ? xstrdup(pw->pw_name) : xasprintf("uid%ld", (long)getuid());
	assert_string_equal(u, want);
	assert_string_not_equal(u, "unknown");
	free(u);
	free(want);
}

/* The lease's owner is the same person the journal names. */
static void
test_lease_owner_agrees(void **state)
{
	char *u, *h, *both, *owner, *want;

	(void)state;
	unsetenv("USER");
	u = whoami_user();
	h = whoami_host();
	both = whoami();
	owner = lease_owner();
	want = xasprintf("%s@%s", u, h);
	assert_string_equal(both, want);
	assert_string_equal(owner, want);
	assert_true(h[0] != '\0');
	free(u);
	free(h);
	free(both);
	free(owner);
	free(want);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_user_from_env),
		cmocka_unit_test(test_user_without_env),
		cmocka_unit_test(test_lease_owner_agrees),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
