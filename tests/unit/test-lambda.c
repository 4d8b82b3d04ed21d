/* Unit tests for src/lambda.c: targets, FunctionConfiguration and pages. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "lambda.h"
#include "proto-json.h"
#include "data/proto/fixture.h"

static void
test_list_functions_page(void **state)
{
	struct lambda_page page;
	struct lambda_function *f;
	struct dlc_err err;
	size_t len;
	char *body = fixture_load("list-functions-page1.json", &len);

	dlc_err_clear(&err);
	assert_int_equal(lambda_parse_list_functions(body, len, &page, &err), 0);
	assert_int_equal(page.n, 2);
	assert_string_equal(page.next_marker, "YmF0Y2gtMg==:datalake-compact");

	f = &page.functions[0];
	assert_string_equal(f->function_name, "datalake-ingest-orders");
	assert_string_equal(f->function_arn, "arn:aws:lambda:eu-west-1:"
	    "123456789012:function:datalake-ingest-orders");
	assert_string_equal(f->runtime, "python3.12");
	assert_string_equal(f->handler, "app.handler");
	assert_string_equal(f->role,
	    "arn:aws:iam::123456789012:role/datalake-lambda");
	assert_string_equal(f->last_modified, "2026-11-20T09:14:02.123+0000");
	assert_string_equal(f->code_sha256,
	    "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
	assert_string_equal(f->version, "$LATEST");
	assert_string_equal(f->state, "Active");
	assert_null(f->state_reason);
	assert_string_equal(f->last_update_status, "Successful");
	assert_string_equal(f->package_type, "Zip");
	assert_string_equal(f->revision_id,
	    "5f7e8a9b-1c2d-4e3f-8a9b-0c1d2e3f4a5b");
	assert_string_equal(f->log_group, "/aws/lambda/datalake-ingest-orders");
	assert_int_equal(f->code_size, 5242880);
	assert_int_equal(f->memory_size, 1024);
	assert_int_equal(f->timeout, 300);
	assert_int_equal(f->n_layers, 2);
	assert_string_equal(f->layers[0].arn,
	    "arn:aws:lambda:eu-west-1:123456789012:layer:datalake-common:42");
	assert_int_equal(f->layers[0].code_size, 1048576);
	assert_int_equal(f->layers[1].code_size, 2981232);
	assert_int_equal(f->n_env, 3);
	assert_string_equal(f->env_names[0], "DATALAKE_BUCKET");
	assert_string_equal(f->env_values[0], "datalake-raw-alpha");
	assert_string_equal(f->env_names[2], "EMPTY");
	assert_string_equal(f->env_values[2], "");
	assert_int_equal(f->n_architectures, 1);
	assert_string_equal(f->architectures[0], "arm64");
	/* raw keeps AWS's names and the fields dlc does not model. */
	assert_non_null(f->raw);
	assert_int_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(f->raw,
	    "EphemeralStorage"), "Size")->valueint, 512);

	f = &page.functions[1];
	assert_string_equal(f->function_name, "datalake-compact");
	assert_string_equal(f->description, "");
	assert_int_equal(f->n_layers, 0);
	assert_null(f->layers);
	assert_int_equal(f->n_env, 0);
	assert_null(f->state);
	lambda_page_clear(&page);
	assert_null(page.functions);
	lambda_page_clear(&page);
	lambda_page_clear(NULL);
	free(body);
}

static void
test_list_functions_last_page(void **state)
{
	struct lambda_page page;
	struct dlc_err err;
	size_t len;
	char *body = fixture_load("list-functions-last.json", &len);

	assert_int_equal(lambda_parse_list_functions(body, len, &page, &err), 0);
	assert_int_equal(page.n, 1);
	assert_null(page.next_marker);
	assert_string_equal(page.functions[0].description,
	    "caf\xc3\xa9 \"quoted\" \\ done");
	assert_int_equal(page.functions[0].memory_size, 10240);
	assert_null(page.functions[0].log_group);
	lambda_page_clear(&page);
	free(body);

	/* An empty account. */
	assert_int_equal(lambda_parse_list_functions("{\"Functions\":[]}", 16,
	    &page, &err), 0);
	assert_int_equal(page.n, 0);
	assert_null(page.next_marker);
	lambda_page_clear(&page);
}

static void
expect_list_error(const char *body, const char *message)
{
	struct lambda_page page;
	struct dlc_err err;

	dlc_err_clear(&err);
	assert_int_equal(lambda_parse_list_functions(body, strlen(body), &page,
	    &err), -1);
	assert_string_equal(err.message, message);
	assert_string_equal(err.code, "MalformedResponse");
	assert_null(page.functions);
	assert_int_equal(page.n, 0);
}

static void
test_list_functions_wrong_types(void **state)
{
	expect_list_error("{\"Functions\":[{},{},{},{\"MemorySize\":\"128\"}]}",
	    "ListFunctions: Functions[3].MemorySize is a string, expected a "
	    "number");
	expect_list_error("{\"Functions\":[{\"FunctionName\":7}]}",
	    "ListFunctions: Functions[0].FunctionName is a number, expected a "
	    "string");
	expect_list_error("{\"Functions\":{}}",
	    "ListFunctions: Functions is an object, expected an array");
	expect_list_error("{}",
	    "ListFunctions: Functions is missing, expected an array");
	expect_list_error("{\"Functions\":[],\"NextMarker\":5}",
	    "ListFunctions: NextMarker is a number, expected a string");
	expect_list_error("{\"Functions\":[\"f\"]}",
	    "ListFunctions: Functions[0] is a string, expected an object");
	expect_list_error("{\"Functions\":[{\"Layers\":[{\"Arn\":\"a\"},"
	    "{\"Arn\":\"b\",\"CodeSize\":\"1\"}]}]}",
	    "ListFunctions: Functions[0].Layers[1].CodeSize is a string, "
	    "expected a number");
	expect_list_error("{\"Functions\":[{\"Layers\":[{}]}]}",
	    "ListFunctions: Functions[0].Layers[0].Arn is missing, expected a "
	    "string");
	expect_list_error("{\"Functions\":[{\"Layers\":[3]}]}",
	    "ListFunctions: Functions[0].Layers[0] is a number, expected an "
	    "object");
	expect_list_error("{\"Functions\":[{\"Environment\":{\"Variables\":"
	    "{\"A\":\"1\",\"B\":2}}}]}",
	    "ListFunctions: Functions[0].Environment.Variables.B is a number, "
	    "expected a string");
	expect_list_error("{\"Functions\":[{\"Environment\":[]}]}",
	    "ListFunctions: Functions[0].Environment is an array, expected an "
	    "object");
	expect_list_error("{\"Functions\":[{\"Architectures\":[\"x86_64\","
	    "null]}]}",
	    "ListFunctions: Functions[0].Architectures[1] is null, expected a "
	    "string");
	expect_list_error("{\"Functions\":[{\"LoggingConfig\":{\"LogGroup\":"
	    "true}}]}",
	    "ListFunctions: Functions[0].LoggingConfig.LogGroup is a boolean, "
	    "expected a string");
	expect_list_error("{\"Functions\":[{\"Timeout\":-3}]}",
	    "ListFunctions: Functions[0].Timeout is -3, expected a size "
	    "between 0 and 9223372036854775807");
	expect_list_error("{\"Functions\":[{\"CodeSize\":1.5}]}",
	    "ListFunctions: Functions[0].CodeSize is a number, expected a "
	    "whole number within 64 bits");
	expect_list_error("[]",
	    "ListFunctions: response is an array, expected an object");
	expect_list_error("<html><body>Bad Gateway</body></html>",
	    "ListFunctions: response is not JSON (invalid at byte 0)");
	expect_list_error("", "ListFunctions: response is empty, expected JSON");
}

static void
test_list_functions_truncated(void **state)
{
	struct lambda_page page;
	struct dlc_err err;
	char expect[96];
	size_t len, cut;
	char *body = fixture_load("list-functions-page1.json", &len);

	for (cut = 0; cut + 2 < len; cut += 53) {
		dlc_err_clear(&err);
		assert_int_equal(lambda_parse_list_functions(body, cut, &page,
		    &err), -1);
		if (cut == 0)
			continue;
		snprintf(expect, sizeof expect, "ListFunctions: response is not "
		    "JSON (truncated at byte %zu)", cut);
		assert_string_equal(err.message, expect);
	}
	free(body);
}

static void
test_get_function(void **state)
{
	struct lambda_function fn;
	struct dlc_err err;
	char *loc = (char *)"junk";
	size_t len;
	char *body = fixture_load("get-function.json", &len);

	dlc_err_clear(&err);
	assert_int_equal(lambda_parse_get_function(body, len, &fn, &loc, &err),
	    0);
	assert_string_equal(fn.function_name, "datalake-ingest-orders");
	assert_string_equal(fn.state, "Pending");
	assert_string_equal(fn.state_reason, "The function is being created.");
	assert_string_equal(fn.last_update_status, "InProgress");
	assert_string_equal(fn.last_update_status_reason,
	    "The function is being updated.");
	assert_string_equal(fn.log_group, "/datalake/custom-group");
	assert_non_null(loc);
	assert_true(strncmp(loc, "https://awslambda-eu-west-1-tasks.s3.", 37)
	    == 0);
	assert_non_null(strstr(loc, "X-Amz-Signature=deadbeef"));
	free(loc);
	lambda_function_clear(&fn);
	assert_null(fn.function_name);

	/* Without code_location, and without Code at all. */
	assert_int_equal(lambda_parse_get_function(body, len, &fn, NULL, &err),
	    0);
	lambda_function_clear(&fn);
	free(body);
	assert_int_equal(lambda_parse_get_function("{\"Configuration\":{}}",
	    20, &fn, &loc, &err), 0);
	assert_null(loc);
	lambda_function_clear(&fn);

	dlc_err_clear(&err);
	assert_int_equal(lambda_parse_get_function("{\"Configuration\":{"
	    "\"MemorySize\":true}}", 37, &fn, &loc, &err), -1);
	assert_string_equal(err.message, "GetFunction: Configuration.MemorySize "
	    "is a boolean, expected a number");
	assert_null(loc);
	dlc_err_clear(&err);
	assert_int_equal(lambda_parse_get_function("{\"Code\":{}}", 11, &fn,
	    &loc, &err), -1);
	assert_string_equal(err.message, "GetFunction: Configuration is "
	    "missing, expected an object");
	dlc_err_clear(&err);
	assert_int_equal(lambda_parse_get_function("{\"Configuration\":{},"
	    "\"Code\":{\"Location\":1}}", 42, &fn, &loc, &err), -1);
	assert_string_equal(err.message, "GetFunction: Code.Location is a "
	    "number, expected a string");
}

static void
test_function_configuration_object_and_body(void **state)
{
	const char body[] = "{\"FunctionName\":\"f\",\"MemorySize\":256,"
	    "\"Timeout\":null,\"LastUpdateStatus\":\"InProgress\"}";
	struct lambda_function fn;
	struct dlc_err err;
	cJSON *obj;

	assert_int_equal(lambda_parse_function_configuration_body(body,
	    sizeof body - 1, "UpdateFunctionCode", &fn, &err), 0);
	assert_string_equal(fn.function_name, "f");
	assert_int_equal(fn.memory_size, 256);
	assert_int_equal(fn.timeout, 0);
	assert_string_equal(fn.last_update_status, "InProgress");
	lambda_function_clear(&fn);

	dlc_err_clear(&err);
	assert_int_equal(lambda_parse_function_configuration_body("{\"Role\":"
	    "[]}", 11, "GetFunctionConfiguration", &fn, &err), -1);
	assert_string_equal(err.message, "GetFunctionConfiguration: Role is an "
	    "array, expected a string");

	obj = cJSON_Parse("{\"Handler\":\"h\"}");
	memset(&fn, 0, sizeof fn);
	assert_int_equal(lambda_parse_function_configuration(obj, &fn, &err), 0);
	assert_string_equal(fn.handler, "h");
	/* raw is a copy: the caller's tree can go. */
	cJSON_Delete(obj);
	assert_string_equal(cJSON_GetObjectItem(fn.raw, "Handler")->valuestring,
	    "h");
	lambda_function_clear(&fn);
	lambda_function_clear(NULL);
}

static void
test_targets(void **state)
{
	char *s;

	s = lambda_list_functions_target(NULL, 50);
	assert_string_equal(s, "/2015-03-31/functions/?MaxItems=50");
	free(s);
	s = lambda_list_functions_target(NULL, 0);
	assert_string_equal(s, "/2015-03-31/functions/");
	free(s);
	s = lambda_list_functions_target("YmF0Y2gtMg==:next/f+g", 50);
	assert_string_equal(s, "/2015-03-31/functions/?MaxItems=50"
	    "&Marker=YmF0Y2gtMg%3D%3D%3Anext%2Ff%2Bg");
	free(s);
	s = lambda_list_functions_target("m", 0);
	assert_string_equal(s, "/2015-03-31/functions/?Marker=m");
	free(s);
	s = lambda_list_functions_target(NULL, 99999);
	assert_string_equal(s, "/2015-03-31/functions/?MaxItems=10000");
	free(s);

	s = lambda_function_path("datalake-ingest", "");
	assert_string_equal(s, "/2015-03-31/functions/datalake-ingest");
	free(s);
	s = lambda_function_path("arn:aws:lambda:eu-west-1:123456789012:"
	    "function:f:live", "/configuration");
	assert_string_equal(s, "/2015-03-31/functions/arn%3Aaws%3Alambda%3A"
	    "eu-west-1%3A123456789012%3Afunction%3Af%3Alive/configuration");
	free(s);

	/* The log group: LoggingConfig.LogGroup when set, else Lambda's default. */
	s = lambda_log_group(NULL, "datalake-alpha-mambu-to-s3-raw");
	assert_string_equal(s, "/aws/lambda/datalake-alpha-mambu-to-s3-raw");
	free(s);
	s = lambda_log_group("/datalake/alpha/shared", "datalake-alpha-mambu-to-s3-raw");
	assert_string_equal(s, "/datalake/alpha/shared");
	free(s);
}

static void
test_runtime_deprecation(void **state)
{
	/* 2026-11-25T00:00:00Z, fixed so the test does not age. */
	time_t now = 1795564800;

	assert_int_equal(lambda_runtime_deprecated_at("python3.7", now), 1);
	assert_int_equal(lambda_runtime_deprecated_at("python3.8", now), 1);
	assert_int_equal(lambda_runtime_deprecated_at("nodejs12.x", now), 1);
	assert_int_equal(lambda_runtime_deprecated_at("nodejs16.x", now), 1);
	assert_int_equal(lambda_runtime_deprecated_at("go1.x", now), 1);
	assert_int_equal(lambda_runtime_deprecated_at("java8", now), 1);
	assert_int_equal(lambda_runtime_deprecated_at("dotnetcore3.1", now), 1);
	assert_int_equal(lambda_runtime_deprecated_at("python3.12", now), 0);
	assert_int_equal(lambda_runtime_deprecated_at("python3.13", now), 0);
	assert_int_equal(lambda_runtime_deprecated_at("provided.al2023", now),
	    0);
	assert_int_equal(lambda_runtime_deprecated_at("nodejs22.x", now), 0);
	/* Dates take effect by themselves: python3.9 on the day before/of. */
	assert_int_equal(lambda_runtime_deprecated_at("python3.9",
	    1765756800 - 1), 0);
	assert_int_equal(lambda_runtime_deprecated_at("python3.9", 1765756800),
	    1);
	assert_int_equal(lambda_runtime_deprecated_at("nope", now), 0);
	assert_int_equal(lambda_runtime_deprecated_at(NULL, now), 0);
	assert_int_equal(lambda_runtime_deprecated("python2.7"), 1);
}

/*
 * Seeded byte flips over the real fixtures: whatever comes out, the parser
 * must return 0 or -1 with a message, and ASan must stay quiet.
 */
static void
test_mutations_never_crash(void **state)
{
	static const char bytes[] = "{}[]\":,0-9.e\\ntu\x00\xff";
	const char *files[] = { "list-functions-page1.json", "get-function.json" };
	struct lambda_page page;
	struct lambda_function fn;
	struct dlc_err err;
	unsigned long seed = 12345;
	size_t len, f, round, k, failed = 0;
	char *orig, *body, *loc;

	for (f = 0; f < 2; f++) {
		orig = fixture_load(files[f], &len);
		body = malloc(len);
		for (round = 0; round < 400; round++) {
			memcpy(body, orig, len);
			for (k = 0; k < 1 + round % 4; k++) {
				seed = seed * 6364136223846793005UL + 1442695040888963407UL;
				body[(seed >> 33) % len] =
				    bytes[(seed >> 17) % (sizeof bytes - 1)];
			}
			dlc_err_clear(&err);
			if (f == 0) {
				if (lambda_parse_list_functions(body, len, &page,
				    &err) == 0)
					lambda_page_clear(&page);
				else {
					assert_true(err.message[0] != '\0');
					failed++;
				}
			} else {
				if (lambda_parse_get_function(body, len, &fn, &loc,
				    &err) == 0) {
					lambda_function_clear(&fn);
					free(loc);
				} else {
					assert_true(err.message[0] != '\0');
					assert_null(loc);
					failed++;
				}
			}
		}
		free(body);
		free(orig);
	}
	/* Most mutations must be caught, or the mutator is not mutating. */
	assert_true(failed > 400);
}

#define LBODY(s) (s), strlen(s)

static void
test_list_layer_versions(void **state)
{
	struct lambda_layer_version *v;
	struct dlc_err err;
	char *marker;
	size_t n;

	(void)state;
	dlc_err_clear(&err);
	assert_int_equal(lambda_parse_list_layer_versions(LBODY(
	    "{\"NextMarker\":\"m2\",\"LayerVersions\":["
	    "{\"LayerVersionArn\":\"arn:aws:lambda:eu-west-1:111111111111:layer:common:3\","
	    "\"Version\":3,\"CreatedDate\":\"2026-11-20T09:14:02.123+0000\","
	    "\"Description\":\"pandas\",\"CompatibleRuntimes\":[\"python3.12\"]},"
	    "{\"LayerVersionArn\":\"arn:aws:lambda:eu-west-1:111111111111:layer:common:2\","
	    "\"Version\":2}]}"), &v, &n, &marker, &err), 0);
	assert_int_equal(n, 2);
	assert_int_equal(v[0].version, 3);
	assert_string_equal(v[0].layer_version_arn,
	    "arn:aws:lambda:eu-west-1:111111111111:layer:common:3");
	assert_string_equal(v[0].created_date, "2026-11-20T09:14:02.123+0000");
	assert_string_equal(v[0].description, "pandas");
	assert_int_equal(v[1].version, 2);
	assert_null(v[1].description);
	assert_string_equal(marker, "m2");
	lambda_layer_versions_free(v, n);
	free(marker);

	assert_int_equal(lambda_parse_list_layer_versions(LBODY(
	    "{\"LayerVersions\":[],\"NextMarker\":null}"), &v, &n, &marker,
	    &err), 0);
	assert_int_equal(n, 0);
	assert_null(marker);
	lambda_layer_versions_free(v, n);
}

static void
test_list_layer_versions_malformed(void **state)
{
	struct lambda_layer_version *v;
	struct dlc_err err;
	char *marker;
	size_t n;

	(void)state;
	dlc_err_clear(&err);
	assert_int_equal(lambda_parse_list_layer_versions(LBODY(
	    "{\"LayerVersions\":[{\"LayerVersionArn\":\"a:1\",\"Version\":1},"
	    "{\"LayerVersionArn\":\"a:2\",\"Version\":\"2\"}],\"NextMarker\":\"x\"}"),
	    &v, &n, &marker, &err), -1);
	assert_non_null(strstr(err.message, "LayerVersions[1].Version"));
	assert_non_null(strstr(err.message, "ListLayerVersions"));
	assert_null(v);
	assert_int_equal(n, 0);
	assert_null(marker);

	dlc_err_clear(&err);
	assert_int_equal(lambda_parse_list_layer_versions(LBODY(
	    "{\"LayerVersions\":[{\"Version\":1}]}"), &v, &n, &marker, &err), -1);
	assert_non_null(strstr(err.message, "LayerVersionArn"));

	dlc_err_clear(&err);
	assert_int_equal(lambda_parse_list_layer_versions(LBODY(
	    "{\"LayerVersions\":[17]}"), &v, &n, &marker, &err), -1);
	assert_non_null(strstr(err.message, "LayerVersions[0]"));

	dlc_err_clear(&err);
	assert_int_equal(lambda_parse_list_layer_versions(LBODY("{}"), &v, &n,
	    &marker, &err), -1);
	assert_non_null(strstr(err.message, "LayerVersions"));

	dlc_err_clear(&err);
	assert_int_equal(lambda_parse_list_layer_versions(LBODY(
	    "{\"LayerVersions\":["), &v, &n, &marker, &err), -1);
}

static void
test_layer_targets_and_arns(void **state)
{
	char *t, *arn;
	const char *name;
	long ver;
	size_t len;

	(void)state;
	t = lambda_list_layer_versions_target("datalake-common", NULL);
	assert_string_equal(t, "/2018-10-31/layers/datalake-common/versions");
	free(t);
	t = lambda_list_layer_versions_target(
	    "arn:aws:lambda:eu-west-1:111111111111:layer:common", "a b/c");
	assert_string_equal(t, "/2018-10-31/layers/arn%3Aaws%3Alambda%3Aeu-west-1"
	    "%3A111111111111%3Alayer%3Acommon/versions?Marker=a%20b%2Fc");
	free(t);

	assert_int_equal(lambda_layer_arn_split(
	    "arn:aws:lambda:eu-west-1:111111111111:layer:common:42", &arn, &ver), 0);
	assert_string_equal(arn, "arn:aws:lambda:eu-west-1:111111111111:layer:common");
	assert_int_equal(ver, 42);
	free(arn);
	/* Not a layer version ARN: no version, no layer, junk after the number. */
	assert_int_equal(lambda_layer_arn_split(
	    "arn:aws:lambda:eu-west-1:111111111111:layer:common", &arn, &ver), -1);
	assert_null(arn);
	assert_int_equal(lambda_layer_arn_split(
	    "arn:aws:lambda:eu-west-1:111111111111:function:f:3", &arn, &ver), -1);
	assert_int_equal(lambda_layer_arn_split(
	    "arn:aws:lambda:eu-west-1:111111111111:layer:common:4x", &arn, &ver), -1);
	assert_int_equal(lambda_layer_arn_split(
	    "arn:aws:lambda:eu-west-1:111111111111:layer::4", &arn, &ver), -1);
	assert_int_equal(lambda_layer_arn_split("common:4", &arn, &ver), -1);
	assert_int_equal(lambda_layer_arn_split(
	    "arn:aws:lambda:eu-west-1:1:layer:common:0", &arn, &ver), -1);

	name = lambda_layer_arn_name(
	    "arn:aws:lambda:eu-west-1:111111111111:layer:common:42", &len);
	assert_int_equal(len, 6);
	assert_memory_equal(name, "common", 6);
	name = lambda_layer_arn_name("plain", &len);
	assert_int_equal(len, 5);
}

static void
test_list_event_source_mappings(void **state)
{
	struct lambda_esm *v;
	struct dlc_err err;
	char *marker, *t;
	size_t n;

	(void)state;
	dlc_err_clear(&err);
	assert_int_equal(lambda_parse_list_event_source_mappings(LBODY(
	    "{\"EventSourceMappings\":[{\"UUID\":\"6b2e3c1a-0000-4000-8000-000000000001\","
	    "\"BatchSize\":10,\"EventSourceArn\":\"arn:aws:sqs:eu-west-1:111111111111:orders\","
	    "\"FunctionArn\":\"arn:aws:lambda:eu-west-1:111111111111:function:f\","
	    "\"LastModified\":1.7640072E9,\"LastProcessingResult\":\"OK\","
	    "\"State\":\"Enabled\",\"StateTransitionReason\":\"USER_INITIATED\"},"
	    "{\"UUID\":\"u2\",\"State\":\"Disabled\"}],\"NextMarker\":\"n2\"}"),
	    &v, &n, &marker, &err), 0);
	assert_int_equal(n, 2);
	assert_string_equal(v[0].uuid, "6b2e3c1a-0000-4000-8000-000000000001");
	assert_int_equal(v[0].batch_size, 10);
	assert_string_equal(v[0].event_source_arn,
	    "arn:aws:sqs:eu-west-1:111111111111:orders");
	assert_string_equal(v[0].last_processing_result, "OK");
	assert_string_equal(v[0].state, "Enabled");
	assert_string_equal(v[0].state_transition_reason, "USER_INITIATED");
	assert_int_equal(v[0].last_modified, 1764007200);
	assert_string_equal(v[1].uuid, "u2");
	assert_null(v[1].event_source_arn);
	assert_int_equal(v[1].batch_size, 0);
	assert_string_equal(marker, "n2");
	lambda_esms_free(v, n);
	free(marker);

	t = lambda_list_event_source_mappings_target("datalake-alpha-x", NULL);
	assert_string_equal(t, "/2015-03-31/event-source-mappings/"
	    "?FunctionName=datalake-alpha-x");
	free(t);
	t = lambda_list_event_source_mappings_target("arn:aws:lambda:r:1:function:f", "m=");
	assert_string_equal(t, "/2015-03-31/event-source-mappings/"
	    "?FunctionName=arn%3Aaws%3Alambda%3Ar%3A1%3Afunction%3Af&Marker=m%3D");
	free(t);
}

static void
test_list_event_source_mappings_malformed(void **state)
{
	struct lambda_esm *v;
	struct dlc_err err;
	char *marker;
	size_t n;

	(void)state;
	dlc_err_clear(&err);
	assert_int_equal(lambda_parse_list_event_source_mappings(LBODY(
	    "{\"EventSourceMappings\":[{\"UUID\":\"u1\",\"BatchSize\":-3}]}"),
	    &v, &n, &marker, &err), -1);
	assert_non_null(strstr(err.message, "EventSourceMappings[0].BatchSize"));
	assert_null(v);

	dlc_err_clear(&err);
	assert_int_equal(lambda_parse_list_event_source_mappings(LBODY(
	    "{\"EventSourceMappings\":[{\"UUID\":\"u1\",\"LastModified\":\"yesterday\"}]}"),
	    &v, &n, &marker, &err), -1);
	assert_non_null(strstr(err.message, "LastModified"));

	dlc_err_clear(&err);
	assert_int_equal(lambda_parse_list_event_source_mappings(LBODY(
	    "{\"EventSourceMappings\":[{\"State\":\"Enabled\"}]}"),
	    &v, &n, &marker, &err), -1);
	assert_non_null(strstr(err.message, "UUID"));

	dlc_err_clear(&err);
	assert_int_equal(lambda_parse_list_event_source_mappings(LBODY(
	    "{\"EventSourceMappings\":{}}"), &v, &n, &marker, &err), -1);
	assert_non_null(strstr(err.message, "ListEventSourceMappings"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_list_functions_page),
		cmocka_unit_test(test_list_functions_last_page),
		cmocka_unit_test(test_list_functions_wrong_types),
		cmocka_unit_test(test_list_functions_truncated),
		cmocka_unit_test(test_get_function),
		cmocka_unit_test(test_function_configuration_object_and_body),
		cmocka_unit_test(test_targets),
		cmocka_unit_test(test_runtime_deprecation),
		cmocka_unit_test(test_mutations_never_crash),
		cmocka_unit_test(test_list_layer_versions),
		cmocka_unit_test(test_list_layer_versions_malformed),
		cmocka_unit_test(test_layer_targets_and_arns),
		cmocka_unit_test(test_list_event_source_mappings),
		cmocka_unit_test(test_list_event_source_mappings_malformed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
