/*
 * Unit tests for src/push.c, the deploy job, against tests/fakeaws over
 * real HTTP: the policy (allow, deny, confirm with the right and a wrong
 * name, a dry run), the conflict backoff, a deploy's steps in order with
 * their states and the waiter's progress, an unchanged package that sends
 * nothing, a dry run that stops before sending, and cancel while waiting
 * (done comes once, Cancelled, and the steps after are cancelled); the
 * gate holding each step until resumed, failed, skipped or cancelled; and
 * a given package (rollback) sent without a build, with its own CodeSha256.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "pack.h"
#include "pack-zip.h"
#include "build-stage.h"
#include "scan-run.h"
#include "push.h"
#include "build.h"
#include "xmalloc.h"
#include "data/ops/fixture.h"

struct seen {
	char		 log[4096];	/* "step:state " for each step change */
	int		 progress[PUSH_STEP_COUNT];
	int		 done;
	int		 failed;
	struct dlc_err	 err;
	int		 cancel_in_wait;
	struct push_job	*job;
};

static void
on_step(struct push_job *job, enum push_step step, void *arg)
{
	struct seen *s = arg;
	const struct push_step_info *si = push_job_step(job, step);
	size_t n = strlen(s->log);

	assert_int_equal(s->done, 0);
	snprintf(s->log + n, sizeof s->log - n, "%s:%s ", push_step_name(step),
	    push_state_name(si->state));
	if (s->cancel_in_wait && step == PUSH_STEP_WAIT &&
	    si->state == PUSH_RUNNING)
		push_job_cancel(job);
}

static void
on_progress(struct push_job *job, enum push_step step, void *arg)
{
	struct seen *s = arg;

	(void)job;
	assert_int_equal(s->done, 0);
	s->progress[step]++;
}

static void
on_done(struct push_job *job, const struct dlc_err *err, void *arg)
{
	struct seen *s = arg;

	(void)job;
	assert_int_equal(s->done, 0);
	s->done = 1;
	s->failed = err != NULL;
	dlc_err_clear(&s->err);
	if (err != NULL)
		s->err = *err;
}

struct world {
	struct dlc_config	 cfg;
	struct dlc_env		 env;
	struct local_function	 fn;
	char			 root[300];
	char			 build_dir[320];
};

/* A function folder of its own whose source says text, in f's directory. */
static void
world_init(struct world *w, struct ops_fixture *f, const char *text)
{
	char path[512];
	FILE *fp;

	memset(w, 0, sizeof *w);
	snprintf(w->root, sizeof w->root, "%s", f->dir);
	w->cfg.dir = w->root;
	snprintf(w->build_dir, sizeof w->build_dir, "%s/build", f->dir);
	w->cfg.build_dir = w->build_dir;
	w->env.name = (char *)"alpha";
	w->env.function_name = (char *)"datalake-alpha-{function}";
	w->env.deploy = DEPLOY_ALLOW;
	w->fn.name = (char *)"mambu-to-s3-raw";
	w->fn.runtime = (char *)"python3.12";
	w->fn.source = (char *)"src";
	w->fn.dir = xasprintf("%s/fn", f->dir);
	snprintf(path, sizeof path, "%s/fn", f->dir);
	mkdir(path, 0755);
	snprintf(path, sizeof path, "%s/fn/src", f->dir);
	mkdir(path, 0755);
	snprintf(path, sizeof path, "%s/fn/src/lambda_function.py", f->dir);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fprintf(fp, "def lambda_handler(event, context):\n    return %s\n",
	    text);
	fclose(fp);
}

static void
world_free(struct world *w)
{
	free(w->fn.dir);
}

static struct push_job *
start(struct ops_fixture *f, struct world *w, struct seen *s,
    const struct push_options *opts, enum push_kind kind)
{
	struct push_callbacks cbs = { on_step, on_progress, NULL, on_done };
	struct dlc_err err;

	memset(s, 0, sizeof *s);
	dlc_err_clear(&err);
	s->job = push_job_start(f->aws.loop, f->env, &w->cfg, &w->env, &w->fn,
	    kind, opts, &cbs, s, &err);
	assert_non_null(s->job);
	/* Nothing calls back before start returns. */
	assert_string_equal(s->log, "");
	return s->job;
}

static void
test_policy(void **state)
{
	struct dlc_env env;
	struct dlc_err err;

	(void)state;
	memset(&env, 0, sizeof env);
	env.name = (char *)"sandbox";
	env.deploy = DEPLOY_ALLOW;
	assert_int_equal(push_policy_check(&env, NULL, 0, &err), 0);
	env.deploy = DEPLOY_DENY;
	dlc_err_clear(&err);
	assert_int_equal(push_policy_check(&env, "sandbox", 0, &err), -1);
	assert_string_equal(err.code, "DeployDenied");
	/* A dry run sends nothing: no policy stops it. */
	assert_int_equal(push_policy_check(&env, NULL, 1, &err), 0);
	env.deploy = DEPLOY_CONFIRM;
	dlc_err_clear(&err);
	assert_int_equal(push_policy_check(&env, NULL, 0, &err), -1);
	assert_string_equal(err.code, "ConfirmationRequired");
	assert_non_null(strstr(err.fix, "--confirm sandbox"));
	dlc_err_clear(&err);
	assert_int_equal(push_policy_check(&env, "Sandbox", 0, &err), -1);
	assert_non_null(strstr(err.message, "'Sandbox' is not"));
	assert_int_equal(push_policy_check(&env, "sandbox", 0, &err), 0);
}

static void
test_conflict_delays(void **state)
{
	(void)state;
	assert_int_equal(push_conflict_delay_ms(0), -1);
	assert_int_equal(push_conflict_delay_ms(1), 1000);
	assert_int_equal(push_conflict_delay_ms(2), 2000);
	assert_int_equal(push_conflict_delay_ms(4), 8000);
	assert_int_equal(push_conflict_delay_ms(5), 16000);
	assert_int_equal(push_conflict_delay_ms(PUSH_CONFLICT_MAX_ATTEMPTS),
	    16000);
	assert_int_equal(push_conflict_delay_ms(PUSH_CONFLICT_MAX_ATTEMPTS + 1),
	    -1);
}

static void
test_refused(void **state)
{
	struct ops_fixture *f = *state;
	struct push_options opts;
	struct world w;
	struct dlc_err err;

	world_init(&w, f, "1");
	memset(&opts, 0, sizeof opts);
	w.env.deploy = DEPLOY_DENY;
	dlc_err_clear(&err);
	assert_null(push_job_start(f->aws.loop, f->env, &w.cfg, &w.env, &w.fn,
	    PUSH_CODE, &opts, NULL, NULL, &err));
	assert_string_equal(err.code, "DeployDenied");
	w.env.deploy = DEPLOY_ALLOW;
	/* A function is not published as a layer. */
	dlc_err_clear(&err);
	assert_null(push_job_start(f->aws.loop, f->env, &w.cfg, &w.env, &w.fn,
	    PUSH_LAYER, &opts, NULL, NULL, &err));
	assert_string_equal(err.code, "WrongKind");
	world_free(&w);
}

static void
test_deploy_then_unchanged(void **state)
{
	struct ops_fixture *f = *state;
	struct push_options opts;
	const struct push_result *r;
	struct world w;
	struct seen s;
	char text[64];

	snprintf(text, sizeof text, "%llu", (unsigned long long)loop_now_ms());
	world_init(&w, f, text);
	memset(&opts, 0, sizeof opts);
	opts.wait_interval_ms = 100;
	start(f, &w, &s, &opts, PUSH_CODE);
	assert_true(ops_run_until(f, &s.done));
	assert_false(s.failed);
	assert_string_equal(s.log, "build:running build:done package:running "
	    "package:done scan:running scan:done upload:running upload:done "
	    "wait:running wait:done verify:running verify:done ");
	r = push_job_result(s.job);
	assert_int_equal(r->outcome, PUSH_OUTCOME_DEPLOYED);
	assert_string_equal(r->remote_name, "datalake-alpha-mambu-to-s3-raw");
	assert_int_equal(strlen(r->local_sha256), 44);
	assert_string_not_equal(r->local_sha256, r->remote_sha256);
	assert_false(r->via_s3);
	/* fakeaws keeps it InProgress 500 ms: the waiter said so between polls. */
	assert_true(s.progress[PUSH_STEP_WAIT] >= 1);
	assert_true(r->polls >= 1);
	assert_true(s.progress[PUSH_STEP_PACKAGE] >= 1);
	assert_non_null(strstr(push_job_step(s.job, PUSH_STEP_VERIFY)->detail,
	    r->local_sha256));
	assert_int_equal(ops_requests(f, "UpdateFunctionCode"), 1);
	push_job_free(s.job);

	/* The same package again: compared, nothing sent, nothing waited. */
	start(f, &w, &s, &opts, PUSH_CODE);
	assert_true(ops_run_until(f, &s.done));
	assert_false(s.failed);
	r = push_job_result(s.job);
	assert_int_equal(r->outcome, PUSH_OUTCOME_UNCHANGED);
	assert_int_equal(push_job_step(s.job, PUSH_STEP_UPLOAD)->state,
	    PUSH_SKIPPED);
	assert_int_equal(push_job_step(s.job, PUSH_STEP_WAIT)->state,
	    PUSH_SKIPPED);
	assert_int_equal(push_job_step(s.job, PUSH_STEP_VERIFY)->state,
	    PUSH_DONE);
	assert_int_equal(ops_requests(f, "UpdateFunctionCode"), 1);
	push_job_free(s.job);
	world_free(&w);
}

static void
test_dry_run(void **state)
{
	struct ops_fixture *f = *state;
	struct push_options opts;
	const struct push_result *r;
	struct world w;
	struct seen s;

	world_init(&w, f, "\"dry\"");
	memset(&opts, 0, sizeof opts);
	opts.dry_run = 1;
	opts.inline_limit = 10;	/* it would go through S3 */
	w.env.deploy = DEPLOY_DENY;	/* and a dry run is still allowed */
	start(f, &w, &s, &opts, PUSH_CODE);
	assert_true(ops_run_until(f, &s.done));
	assert_false(s.failed);
	r = push_job_result(s.job);
	assert_int_equal(r->outcome, PUSH_OUTCOME_DRY_RUN);
	assert_true(r->via_s3);
	assert_non_null(strstr(push_job_step(s.job, PUSH_STEP_UPLOAD)->detail,
	    "through S3"));
	assert_int_equal(push_job_step(s.job, PUSH_STEP_WAIT)->state,
	    PUSH_SKIPPED);
	assert_int_equal(ops_requests(f, "UpdateFunctionCode"), 0);
	assert_int_equal(ops_requests(f, "PutObject"), 0);
	push_job_free(s.job);
	world_free(&w);
}

static void
test_secret_stops(void **state)
{
	struct ops_fixture *f = *state;
	struct push_options opts;
	struct world w;
	struct seen s;

	/* An access key id planted in the code: nothing may be sent. */
	world_init(&w, f, "\"AKIA" "QWERTYUIOPASDFGH\"");
	memset(&opts, 0, sizeof opts);
	start(f, &w, &s, &opts, PUSH_CODE);
	assert_true(ops_run_until(f, &s.done));
	assert_true(s.failed);
	assert_string_equal(s.err.code, "SecretFound");
	assert_non_null(strstr(s.err.message, "lambda_function.py:2"));
	assert_non_null(strstr(s.err.message, "aws-access-key-id"));
	/* The key itself is never repeated. */
	assert_null(strstr(s.err.message, "QWERTYUIOPASDFGH"));
	assert_int_equal(push_job_step(s.job, PUSH_STEP_SCAN)->state,
	    PUSH_FAILED);
	assert_int_equal(push_job_step(s.job, PUSH_STEP_UPLOAD)->state,
	    PUSH_CANCELLED);
	assert_int_equal(ops_requests(f, "GetFunction"), 0);
	assert_int_equal(ops_requests(f, "UpdateFunctionCode"), 0);
	push_job_free(s.job);
	world_free(&w);
}

static void
test_cancel_while_waiting(void **state)
{
	struct ops_fixture *f = *state;
	struct push_options opts;
	struct world w;
	struct seen s;
	char text[64];

	snprintf(text, sizeof text, "%llu + 1",
	    (unsigned long long)loop_now_ms());
	world_init(&w, f, text);
	memset(&opts, 0, sizeof opts);
	memset(&s, 0, sizeof s);
	start(f, &w, &s, &opts, PUSH_CODE);
	s.cancel_in_wait = 1;
	assert_true(ops_run_until(f, &s.done));
	assert_true(s.failed);
	assert_string_equal(s.err.code, "Cancelled");
	assert_int_equal(push_job_result(s.job)->outcome,
	    PUSH_OUTCOME_CANCELLED);
	assert_int_equal(push_job_step(s.job, PUSH_STEP_WAIT)->state,
	    PUSH_CANCELLED);
	assert_int_equal(push_job_step(s.job, PUSH_STEP_VERIFY)->state,
	    PUSH_CANCELLED);
	/* Nothing more comes once done has (on_* assert it). */
	ops_run_for(f, 300);
	push_job_free(s.job);
	world_free(&w);
}

/* The gate: asked before each step, holding the job until told. */
struct gate {
	char	asked[256];
	int	held;		/* the gate held a step and nobody let it go yet */
};

static int
gate_hold(struct push_job *job, enum push_step next, void *arg)
{
	struct gate *g = arg;
	size_t n = strlen(g->asked);

	(void)job;
	snprintf(g->asked + n, sizeof g->asked - n, "%s ", push_step_name(next));
	g->held = 1;
	return 1;
}

/* Runs until the gate holds; asserts it holds step want. */
static void
until_held(struct ops_fixture *f, struct gate *g, struct seen *s,
    enum push_step want)
{
	assert_true(ops_run_until(f, &g->held));
	assert_false(s->done);
	assert_int_equal(push_job_held(s->job), want);
}

static void
test_gate_holds_every_step(void **state)
{
	struct ops_fixture *f = *state;
	struct push_options opts;
	struct world w;
	struct seen s;
	struct gate g;
	char text[64], log[4096];
	enum push_step want[] = { PUSH_STEP_BUILD, PUSH_STEP_SCAN,
	    PUSH_STEP_UPLOAD, PUSH_STEP_WAIT, PUSH_STEP_VERIFY };
	size_t i;

	snprintf(text, sizeof text, "%llu + 2",
	    (unsigned long long)loop_now_ms());
	world_init(&w, f, text);
	memset(&opts, 0, sizeof opts);
	memset(&g, 0, sizeof g);
	opts.wait_interval_ms = 100;
	opts.gate = gate_hold;
	opts.gate_arg = &g;
	start(f, &w, &s, &opts, PUSH_CODE);
	for (i = 0; i < sizeof want / sizeof want[0]; i++) {
		until_held(f, &g, &s, want[i]);
		/* Held: nothing moves, however long it waits. */
		snprintf(log, sizeof log, "%s", s.log);
		ops_run_for(f, 150);
		assert_string_equal(s.log, log);
		assert_int_equal(push_job_step(s.job, want[i])->state,
		    PUSH_PENDING);
		g.held = 0;
		push_job_resume(s.job);
		/* Resume runs the step from the loop, not from inside. */
		assert_string_equal(s.log, log);
		assert_int_equal(push_job_held(s.job), PUSH_STEP_COUNT);
		push_job_resume(s.job);	/* not held: a no-op */
	}
	assert_true(ops_run_until(f, &s.done));
	assert_false(s.failed);
	assert_string_equal(g.asked, "build scan upload wait verify ");
	assert_int_equal(push_job_result(s.job)->outcome,
	    PUSH_OUTCOME_DEPLOYED);
	assert_int_equal(ops_requests(f, "UpdateFunctionCode"), 1);
	push_job_free(s.job);
	world_free(&w);
}

static void
test_gate_fail_skip_cancel(void **state)
{
	struct ops_fixture *f = *state;
	struct push_options opts;
	struct world w;
	struct seen s;
	struct gate g;
	struct dlc_err err;
	char text[64];

	snprintf(text, sizeof text, "%llu + 3",
	    (unsigned long long)loop_now_ms());
	world_init(&w, f, text);
	memset(&opts, 0, sizeof opts);
	opts.gate = gate_hold;
	opts.gate_arg = &g;

	/* Failed at the gate (a lost lease): the held step says why. */
	memset(&g, 0, sizeof g);
	start(f, &w, &s, &opts, PUSH_CODE);
	until_held(f, &g, &s, PUSH_STEP_BUILD);
	g.held = 0;
	push_job_resume(s.job);
	until_held(f, &g, &s, PUSH_STEP_SCAN);
	g.held = 0;
	push_job_resume(s.job);
	until_held(f, &g, &s, PUSH_STEP_UPLOAD);
	dlc_err_clear(&err);
	dlc_err_set(&err, "LeaseLost", "the team lease was taken over");
	push_job_fail(s.job, &err);
	assert_false(s.done);
	assert_true(ops_run_until(f, &s.done));
	assert_true(s.failed);
	assert_string_equal(s.err.code, "LeaseLost");
	assert_int_equal(push_job_step(s.job, PUSH_STEP_UPLOAD)->state,
	    PUSH_FAILED);
	assert_int_equal(push_job_step(s.job, PUSH_STEP_SCAN)->state,
	    PUSH_DONE);
	assert_int_equal(push_job_result(s.job)->outcome, PUSH_OUTCOME_FAILED);
	assert_int_equal(ops_requests(f, "GetFunction"), 0);
	push_job_free(s.job);

	/* Skipped at the gate: the remaining steps are skipped, not failed. */
	memset(&g, 0, sizeof g);
	start(f, &w, &s, &opts, PUSH_CODE);
	until_held(f, &g, &s, PUSH_STEP_BUILD);
	g.held = 0;
	push_job_resume(s.job);
	until_held(f, &g, &s, PUSH_STEP_SCAN);
	push_job_skip(s.job);
	assert_true(ops_run_until(f, &s.done));
	assert_false(s.failed);
	assert_int_equal(push_job_result(s.job)->outcome, PUSH_OUTCOME_SKIPPED);
	assert_string_equal(push_outcome_name(PUSH_OUTCOME_SKIPPED), "skipped");
	assert_int_equal(push_job_step(s.job, PUSH_STEP_PACKAGE)->state,
	    PUSH_DONE);
	assert_int_equal(push_job_step(s.job, PUSH_STEP_SCAN)->state,
	    PUSH_SKIPPED);
	assert_int_equal(push_job_step(s.job, PUSH_STEP_VERIFY)->state,
	    PUSH_SKIPPED);
	push_job_free(s.job);

	/* Cancelled while held: the step that ended stays done. */
	memset(&g, 0, sizeof g);
	start(f, &w, &s, &opts, PUSH_CODE);
	until_held(f, &g, &s, PUSH_STEP_BUILD);
	g.held = 0;
	push_job_resume(s.job);
	until_held(f, &g, &s, PUSH_STEP_SCAN);
	push_job_cancel(s.job);
	assert_true(ops_run_until(f, &s.done));
	assert_true(s.failed);
	assert_string_equal(s.err.code, "Cancelled");
	assert_int_equal(push_job_step(s.job, PUSH_STEP_PACKAGE)->state,
	    PUSH_DONE);
	assert_int_equal(push_job_step(s.job, PUSH_STEP_SCAN)->state,
	    PUSH_CANCELLED);
	assert_string_equal(g.asked, "build scan ");
	assert_int_equal(ops_requests(f, "GetFunction"), 0);
	push_job_free(s.job);
	world_free(&w);
}

static void
copy_file(const char *from, const char *to)
{
	FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
	char chunk[8192];
	size_t n;

	assert_non_null(in);
	assert_non_null(out);
	while ((n = fread(chunk, 1, sizeof chunk, in)) > 0)
		assert_int_equal(fwrite(chunk, 1, n, out), n);
	fclose(in);
	assert_int_equal(fclose(out), 0);
}

/* A rollback's package: sent as given, nothing built, its own CodeSha256. */
static void
test_package_path(void **state)
{
	struct ops_fixture *f = *state;
	struct push_options opts;
	const struct push_result *r;
	struct world w;
	struct seen s;
	char text[64], kept[600], first_sha[45];
	char *zip;

	snprintf(text, sizeof text, "%llu + 4",
	    (unsigned long long)loop_now_ms());
	world_init(&w, f, text);
	memset(&opts, 0, sizeof opts);
	opts.wait_interval_ms = 100;
	start(f, &w, &s, &opts, PUSH_CODE);
	assert_true(ops_run_until(f, &s.done));
	assert_false(s.failed);
	snprintf(first_sha, sizeof first_sha, "%s",
	    push_job_result(s.job)->local_sha256);
	push_job_free(s.job);
	/* Keep that zip, then deploy another version over it. */
	zip = build_zip_path(&w.cfg, &w.fn);
	snprintf(kept, sizeof kept, "%s/kept.zip", f->dir);
	copy_file(zip, kept);
	free(zip);
	world_free(&w);
	world_init(&w, f, "\"second\"");
	start(f, &w, &s, &opts, PUSH_CODE);
	assert_true(ops_run_until(f, &s.done));
	assert_false(s.failed);
	assert_string_not_equal(push_job_result(s.job)->local_sha256,
	    first_sha);
	push_job_free(s.job);
	assert_int_equal(ops_requests(f, "UpdateFunctionCode"), 2);

	opts.package_path = kept;
	start(f, &w, &s, &opts, PUSH_CODE);
	assert_true(ops_run_until(f, &s.done));
	assert_false(s.failed);
	r = push_job_result(s.job);
	assert_int_equal(r->outcome, PUSH_OUTCOME_DEPLOYED);
	assert_string_equal(r->local_sha256, first_sha);
	assert_string_equal(s.log, "build:skipped package:running "
	    "package:skipped scan:running scan:done upload:running upload:done "
	    "wait:running wait:done verify:running verify:done ");
	assert_non_null(strstr(push_job_step(s.job, PUSH_STEP_BUILD)->detail,
	    "given package"));
	assert_non_null(strstr(push_job_step(s.job, PUSH_STEP_PACKAGE)->detail,
	    first_sha));
	assert_int_equal(ops_requests(f, "UpdateFunctionCode"), 3);
	push_job_free(s.job);

	/* A pruned package fails the package step, naming it. */
	snprintf(kept, sizeof kept, "%s/gone.zip", f->dir);
	start(f, &w, &s, &opts, PUSH_CODE);
	assert_true(ops_run_until(f, &s.done));
	assert_true(s.failed);
	assert_string_equal(s.err.code, "ReadZip");
	assert_non_null(strstr(s.err.message, "gone.zip"));
	assert_int_equal(push_job_step(s.job, PUSH_STEP_PACKAGE)->state,
	    PUSH_FAILED);
	assert_int_equal(ops_requests(f, "UpdateFunctionCode"), 3);
	push_job_free(s.job);
	world_free(&w);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_policy),
		cmocka_unit_test(test_conflict_delays),
		cmocka_unit_test_setup_teardown(test_refused, ops_setup_fakeaws,
		    ops_teardown),
		cmocka_unit_test_setup_teardown(test_deploy_then_unchanged,
		    ops_setup_fakeaws, ops_teardown),
		cmocka_unit_test_setup_teardown(test_dry_run, ops_setup_fakeaws,
		    ops_teardown),
		cmocka_unit_test_setup_teardown(test_secret_stops,
		    ops_setup_fakeaws, ops_teardown),
		cmocka_unit_test_setup_teardown(test_cancel_while_waiting,
		    ops_setup_fakeaws, ops_teardown),
		cmocka_unit_test_setup_teardown(test_gate_holds_every_step,
		    ops_setup_fakeaws, ops_teardown),
		cmocka_unit_test_setup_teardown(test_gate_fail_skip_cancel,
		    ops_setup_fakeaws, ops_teardown),
		cmocka_unit_test_setup_teardown(test_package_path,
		    ops_setup_fakeaws, ops_teardown),
	};

	(void)ops_setup;	/* the fixture's stub server: not used here */
	/* The packer child is this binary, as it is dlc in real use. */
	if (argc > 1 && strcmp(argv[1], PACK_ZIP_COMMAND) == 0)
		return pack_zip_main(argc, argv);
	if (argc > 1 && strcmp(argv[1], BUILD_STAGE_COMMAND) == 0)
		return build_stage_main(argc, argv);
	if (argc > 1 && strcmp(argv[1], SCAN_CHILD_COMMAND) == 0)
		return scan_child_main(argc, argv);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
