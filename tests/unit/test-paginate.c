/*
 * Unit tests for src/paginate.c against tests/unit/data/ops/stub-ops.py
 * over real HTTP: a normal three-page run in order, a token handed back
 * twice stops with RepeatedToken (without asking a third time), the page
 * cap stops an endless list, a page that does not parse says which, and a
 * cancel from inside the page callback ends it quietly.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "lambda.h"
#include "paginate.h"
#include "data/ops/fixture.h"

struct run {
	int			 pages;
	long			 versions[32];
	size_t			 n;
	int			 done;
	enum paginate_status	 status;
	struct dlc_err		 err;
	struct paginate		*pg;
	int			 cancel_at;	/* cancel from the page callback at this page */
};

static void
on_page(struct aws_reply *reply, struct lambda_layer_versions_page *page,
    void *arg)
{
	struct run *r = arg;
	size_t i;

	assert_int_equal(reply->ok, 0);
	assert_non_null(page);
	r->pages++;
	for (i = 0; i < page->n && r->n < 32; i++)
		r->versions[r->n++] = page->versions[i].version;
	if (r->cancel_at > 0 && r->pages == r->cancel_at)
		paginate_cancel(r->pg);
}

static void
on_done(enum paginate_status status, struct dlc_err *err, void *arg)
{
	struct run *r = arg;

	assert_int_equal(r->done, 0);
	r->done = 1;
	r->status = status;
	dlc_err_clear(&r->err);
	if (err != NULL)
		r->err = *err;
	else
		assert_int_equal(status, PAGINATE_DONE);
}

static void
start(struct ops_fixture *f, struct run *r, const char *layer, int max_pages)
{
	memset(r, 0, sizeof *r);
	r->pg = paginate_start(f->env, &lambda_op_list_layer_versions, layer,
	    max_pages, (aws_op_fn)on_page, on_done, r);
	assert_non_null(r->pg);
}

static void
test_three_pages(void **state)
{
	struct ops_fixture *f = *state;
	struct run r;
	size_t i;

	start(f, &r, "normal", 0);
	assert_true(ops_run_until(f, &r.done));
	assert_int_equal(r.status, PAGINATE_DONE);
	assert_int_equal(r.pages, 3);
	/* Every page, in order: 2 1, 4 3, 6 5. */
	assert_int_equal(r.n, 6);
	for (i = 0; i < 6; i += 2) {
		assert_int_equal(r.versions[i], (long)i + 2);
		assert_int_equal(r.versions[i + 1], (long)i + 1);
	}
	assert_int_equal(ops_requests(f, "/layers/normal/versions"), 3);
	assert_int_equal(ops_requests(f, "Marker=p3"), 1);
}

static void
test_repeated_token(void **state)
{
	struct ops_fixture *f = *state;
	struct run r;

	start(f, &r, "repeat", 0);
	assert_true(ops_run_until(f, &r.done));
	assert_int_equal(r.status, PAGINATE_REPEATED_TOKEN);
	assert_string_equal(r.err.code, "RepeatedToken");
	assert_non_null(strstr(r.err.message, "ListLayerVersions"));
	assert_non_null(strstr(r.err.what, "stub"));
	/* Page 2 was delivered, then nothing more was asked. */
	assert_int_equal(r.pages, 2);
	ops_run_for(f, 200);
	assert_int_equal(ops_requests(f, "/layers/repeat/versions"), 2);
}

static void
test_page_cap(void **state)
{
	struct ops_fixture *f = *state;
	struct run r;

	start(f, &r, "endless", 5);
	assert_true(ops_run_until(f, &r.done));
	assert_int_equal(r.status, PAGINATE_TOO_MANY_PAGES);
	assert_string_equal(r.err.code, "TooManyPages");
	assert_non_null(strstr(r.err.message, "after 5 pages"));
	assert_int_equal(r.pages, 5);
	ops_run_for(f, 200);
	assert_int_equal(ops_requests(f, "/layers/endless/versions"), 5);
}

static void
test_bad_page(void **state)
{
	struct ops_fixture *f = *state;
	struct run r;

	start(f, &r, "broken", 0);
	assert_true(ops_run_until(f, &r.done));
	assert_int_equal(r.status, PAGINATE_BAD_ANSWER);
	assert_int_equal(r.pages, 1);
	assert_non_null(strstr(r.err.what, "page 2"));
}

static void
test_call_failed(void **state)
{
	struct ops_fixture *f = *state;
	struct run r;

	start(f, &r, "no-such-layer", 0);
	assert_true(ops_run_until(f, &r.done));
	assert_int_equal(r.status, PAGINATE_CALL_FAILED);
	assert_string_equal(r.err.code, "ResourceNotFoundException");
	assert_int_equal(r.err.http_status, 404);
	assert_int_equal(r.pages, 0);
}

static void
test_cancel(void **state)
{
	struct ops_fixture *f = *state;
	struct run r;

	/* From inside the page callback: no more pages, no done. */
	start(f, &r, "normal", 0);
	r.cancel_at = 1;
	ops_run_for(f, 500);
	assert_int_equal(r.pages, 1);
	assert_int_equal(r.done, 0);
	assert_int_equal(ops_requests(f, "/layers/normal/versions"), 1);

	/* Before anything was sent. */
	start(f, &r, "endless", 0);
	paginate_cancel(r.pg);
	ops_run_for(f, 300);
	assert_int_equal(r.pages, 0);
	assert_int_equal(r.done, 0);
	assert_int_equal(ops_requests(f, "/layers/endless/versions"), 0);
	paginate_cancel(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_three_pages, ops_setup,
		    ops_teardown),
		cmocka_unit_test_setup_teardown(test_repeated_token, ops_setup,
		    ops_teardown),
		cmocka_unit_test_setup_teardown(test_page_cap, ops_setup,
		    ops_teardown),
		cmocka_unit_test_setup_teardown(test_bad_page, ops_setup,
		    ops_teardown),
		cmocka_unit_test_setup_teardown(test_call_failed, ops_setup,
		    ops_teardown),
		cmocka_unit_test_setup_teardown(test_cancel, ops_setup,
		    ops_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
