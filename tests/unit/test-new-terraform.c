/*
 * Unit tests for src/new-terraform.c: terraform fmt's alignment (runs of
 * one-line attributes, broken by blank lines, comments, blocks and
 * multi-line values; '=' inside strings and comparisons ignored), the
 * remote name through dlc.ini's template, and a rendered function's
 * blocks.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "new-terraform.h"

static void
check_align(const char *in, const char *want)
{
	struct buf b;

	buf_init(&b, 0);
	new_terraform_align(&b, in);
	assert_string_equal(b.data != NULL ? b.data : "", want);
	buf_free(&b);
}

static void
test_align_runs(void **state)
{
	(void)state;
	check_align("x {\n  a = 1\n  long_name   =  \"v\"\n\n  b = [1, 2]\n}\n",
	    "x {\n  a         = 1\n  long_name = \"v\"\n\n  b = [1, 2]\n}\n");
	/* a block or a multi-line value ends a run; its inside is a run of its own */
	check_align("m {\n  aa = 1\n  env = {\n    K = \"a=b\"\n    LONGER = 2\n  }\n  c = 3\n}\n",
	    "m {\n  aa = 1\n  env = {\n    K      = \"a=b\"\n    LONGER = 2\n  }\n  c = 3\n}\n");
	/* comments end runs; == and >= are no assignment */
	check_align("  a = 1\n  # note\n  bbb = x == y\n  c = 2\n",
	    "  a = 1\n  # note\n  bbb = x == y\n  c   = 2\n");
	/* no trailing newline stays so */
	check_align("a = 1\nbb = 2", "a  = 1\nbb = 2");
}

static void
test_remote_name(void **state)
{
	struct dlc_env env = { .name = "alpha",
		.function_name = "datalake-alpha-{function}",
		.deploy = DEPLOY_ALLOW, .line = 1 };
	struct dlc_config cfg;
	char *s;

	(void)state;
	memset(&cfg, 0, sizeof cfg);
	s = new_terraform_remote_name(NULL, "x");
	assert_string_equal(s, "datalake-${var.environment}-x");
	free(s);
	cfg.envs = &env;
	cfg.n_envs = 1;
	s = new_terraform_remote_name(&cfg, "orders");
	assert_string_equal(s, "datalake-${var.environment}-orders");
	free(s);
	/* the name as a whole word only */
	env.name = "a";
	env.function_name = "datalake-a-{function}-a";
	s = new_terraform_remote_name(&cfg, "alpha");
	assert_string_equal(s, "datalake-${var.environment}-alpha-${var.environment}");
	free(s);
	env.function_name = "{function}-prod";
	s = new_terraform_remote_name(&cfg, "orders");
	assert_string_equal(s, "orders-prod");
	free(s);
}

static void
test_render_blocks(void **state)
{
	static char *layers[] = { "aws-wrangler", "flattenjson" };
	struct new_spec spec;
	struct dlc_err err;
	struct buf b;

	(void)state;
	memset(&spec, 0, sizeof spec);
	spec.name = "9orders-to-s3-raw";
	spec.table = "9orders";
	spec.description = "Lands 9orders";
	spec.functions_dir = "functions";
	spec.layers = layers;
	spec.n_layers = 2;
	spec.source = NEW_SOURCE_DYNAMODB;
	buf_init(&b, 0);
	dlc_err_clear(&err);
	assert_int_equal(new_terraform_render(&b, &spec, NULL, &err), 0);
	/* a label never starts with a digit */
	assert_non_null(strstr(b.data, "module \"fn_9orders_to_s3_raw\" {\n"));
	assert_non_null(strstr(b.data, "  source = \"terraform-aws-modules/lambda/aws\"\n"));
	assert_non_null(strstr(b.data, "  use_existing_cloudwatch_log_group = true\n"));
	assert_non_null(strstr(b.data, "  create_role = false\n"));
	assert_non_null(strstr(b.data, "  retention_in_days = 14\n"));
	assert_non_null(strstr(b.data, "data.aws_lambda_layer_version.fn_9orders_to_s3_raw_aws_wrangler.arn, "
	    "data.aws_lambda_layer_version.fn_9orders_to_s3_raw_flattenjson.arn]"));
	assert_non_null(strstr(b.data, "resource \"aws_lambda_event_source_mapping\""));
	assert_null(strstr(b.data, "aws_cloudwatch_event_rule"));
	assert_non_null(strstr(b.data, "  threshold           = 240000\n"));
	buf_reset(&b);
	spec.source = NEW_SOURCE_SCHEDULE;
	assert_int_equal(new_terraform_render(&b, &spec, NULL, &err), 0);
	assert_non_null(strstr(b.data, "resource \"aws_cloudwatch_event_rule\""));
	assert_non_null(strstr(b.data, "resource \"aws_lambda_permission\""));
	assert_non_null(strstr(b.data, "    SOURCE_SECRET_ID = var.fn_9orders_to_s3_raw_source_secret_id\n"));
	assert_null(strstr(b.data, "aws_lambda_event_source_mapping"));
	buf_free(&b);
}

/* The parts dlc audit's fixes are: each as in the whole, together the whole. */
static void
test_render_parts(void **state)
{
	static char *layers[] = { "aws-wrangler" };
	struct new_spec spec;
	struct dlc_err err;
	struct buf whole, part, joined;
	int p;

	(void)state;
	memset(&spec, 0, sizeof spec);
	spec.name = "orders";
	spec.table = "orders";
	spec.description = "Lands orders";
	spec.functions_dir = "functions";
	spec.layers = layers;
	spec.n_layers = 1;
	spec.source = NEW_SOURCE_SCHEDULE;
	buf_init(&whole, 0);
	buf_init(&part, 0);
	buf_init(&joined, 0);
	dlc_err_clear(&err);
	assert_int_equal(new_terraform_render(&whole, &spec, NULL, &err), 0);
	for (p = NEW_TF_HEADER; p <= NEW_TF_LAYERS; p++) {
		buf_reset(&part);
		assert_int_equal(new_terraform_render_part(&part, &spec, NULL,
		    (enum new_terraform_part)p, &err), 0);
		assert_true(part.len > 0);
		assert_true(part.data[0] != '\n');	/* no leading blank line */
		assert_non_null(strstr(whole.data, part.data));
		buf_printf(&joined, "%s%s", p > NEW_TF_HEADER ? "\n" : "", part.data);
	}
	assert_string_equal(joined.data, whole.data);
	buf_reset(&part);
	assert_int_equal(new_terraform_render_part(&part, &spec, NULL, NEW_TF_LOG_GROUP, &err), 0);
	assert_string_equal(part.data, "resource \"aws_cloudwatch_log_group\" \"orders\" {\n"
	    "  name              = \"/aws/lambda/datalake-${var.environment}-orders\"\n"
	    "  retention_in_days = 14\n}\n");
	buf_free(&whole);
	buf_free(&part);
	buf_free(&joined);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_align_runs),
		cmocka_unit_test(test_remote_name),
		cmocka_unit_test(test_render_blocks),
		cmocka_unit_test(test_render_parts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
