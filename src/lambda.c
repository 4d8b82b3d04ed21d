/* Lambda (rest-json 2015-03-31): its operations, request targets and answer parsers. */
#include "lambda.h"
#include "aws-op.h"
#include "proto-json.h"
#include "buf.h"
#include "uri.h"
#include "xmalloc.h"

#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The string members of FunctionConfiguration dlc keeps, by wire name. */
static const struct {
	const char	*field;
	size_t		 offset;
} lambda_string_fields[] = {
	{ "FunctionName", offsetof(struct lambda_function, function_name) },
	{ "FunctionArn", offsetof(struct lambda_function, function_arn) },
	{ "Runtime", offsetof(struct lambda_function, runtime) },
	{ "Role", offsetof(struct lambda_function, role) },
	{ "Handler", offsetof(struct lambda_function, handler) },
	{ "Description", offsetof(struct lambda_function, description) },
	{ "LastModified", offsetof(struct lambda_function, last_modified) },
	{ "CodeSha256", offsetof(struct lambda_function, code_sha256) },
	{ "Version", offsetof(struct lambda_function, version) },
	{ "State", offsetof(struct lambda_function, state) },
	{ "StateReason", offsetof(struct lambda_function, state_reason) },
	{ "LastUpdateStatus",
	    offsetof(struct lambda_function, last_update_status) },
	{ "LastUpdateStatusReason",
	    offsetof(struct lambda_function, last_update_status_reason) },
	{ "PackageType", offsetof(struct lambda_function, package_type) },
	{ "RevisionId", offsetof(struct lambda_function, revision_id) },
};

static void
lambda_free_strv(char **v, size_t n)
{
	size_t i;

	if (v == NULL)
		return;
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void
lambda_function_clear(struct lambda_function *fn)
{
	size_t i;

	if (fn == NULL)
		return;
	for (i = 0; i < sizeof lambda_string_fields /
	    sizeof lambda_string_fields[0]; i++)
		free(*(char **)((char *)fn + lambda_string_fields[i].offset));
	free(fn->log_group);
	for (i = 0; i < fn->n_layers; i++)
		free(fn->layers[i].arn);
	free(fn->layers);
	lambda_free_strv(fn->env_names, fn->n_env);
	lambda_free_strv(fn->env_values, fn->n_env);
	lambda_free_strv(fn->architectures, fn->n_architectures);
	cJSON_Delete(fn->raw);
	memset(fn, 0, sizeof *fn);
}

/* "Functions[3]" + "." + "Layers" -> "Functions[3].Layers", into out. */
static void
lambda_path(char *out, size_t len, const char *base, const char *field)
{
	if (base != NULL && base[0] != '\0')
		snprintf(out, len, "%s.%s", base, field);
	else
		snprintf(out, len, "%s", field);
}

static int
lambda_get_long(const cJSON *obj, const char *field, const char *path,
    long *out, struct dlc_err *err)
{
	int64_t v = 0;

	if (proto_json_get_int64(obj, field, path, 0, &v, err) != 0)
		return -1;
	if (v < 0 || (uint64_t)v > (uint64_t)LONG_MAX) {
		char p[512];

		lambda_path(p, sizeof p, path, field);
		return dlc_err_set(err, "MalformedResponse", "%s is %lld, "
		    "expected a size between 0 and %ld", p, (long long)v,
		    LONG_MAX);
	}
	*out = (long)v;
	return 0;
}

static int
lambda_parse_layers(const cJSON *obj, const char *path,
    struct lambda_function *out, struct dlc_err *err)
{
	const cJSON *arr = NULL, *item;
	const char *s;
	char p[512], ip[600];
	size_t i = 0;
	int64_t size;

	if (proto_json_get_array(obj, "Layers", path, 0, &arr, err) != 0)
		return -1;
	if (arr == NULL)
		return 0;
	lambda_path(p, sizeof p, path, "Layers");
	out->layers = xcalloc((size_t)cJSON_GetArraySize(arr) + 1,
	    sizeof *out->layers);
	cJSON_ArrayForEach(item, arr) {
		snprintf(ip, sizeof ip, "%s[%zu]", p, i);
		if (proto_json_expect_object(item, ip, err) != 0)
			return -1;
		s = NULL;
		size = 0;
		if (proto_json_get_string(item, "Arn", ip, 1, &s, err) != 0 ||
		    proto_json_get_int64(item, "CodeSize", ip, 0, &size,
		    err) != 0)
			return -1;
		out->layers[i].arn = xstrdup(s);
		out->layers[i].code_size = size;
		out->n_layers = ++i;
	}
	return 0;
}

static int
lambda_parse_env(const cJSON *obj, const char *path,
    struct lambda_function *out, struct dlc_err *err)
{
	const cJSON *env = NULL, *vars = NULL, *item;
	char p[512], vp[768];
	size_t n;

	if (proto_json_get_object(obj, "Environment", path, 0, &env, err) != 0)
		return -1;
	if (env == NULL)
		return 0;
	lambda_path(p, sizeof p, path, "Environment");
	if (proto_json_get_object(env, "Variables", p, 0, &vars, err) != 0)
		return -1;
	if (vars == NULL)
		return 0;
	n = (size_t)cJSON_GetArraySize(vars);
	out->env_names = xcalloc(n + 1, sizeof *out->env_names);
	out->env_values = xcalloc(n + 1, sizeof *out->env_values);
	cJSON_ArrayForEach(item, vars) {
		if (!cJSON_IsString(item) || item->valuestring == NULL) {
			snprintf(vp, sizeof vp, "%s.Variables.%.200s", p,
			    item->string != NULL ? item->string : "?");
			return dlc_err_set(err, "MalformedResponse", "%s is %s, "
			    "expected a string", vp, proto_json_type_name(item));
		}
		out->env_names[out->n_env] = xstrdup(item->string != NULL ?
		    item->string : "");
		out->env_values[out->n_env] = xstrdup(item->valuestring);
		out->n_env++;
	}
	return 0;
}

static int
lambda_parse_architectures(const cJSON *obj, const char *path,
    struct lambda_function *out, struct dlc_err *err)
{
	const cJSON *arr = NULL, *item;
	char p[512];
	size_t i = 0;

	if (proto_json_get_array(obj, "Architectures", path, 0, &arr,
	    err) != 0)
		return -1;
	if (arr == NULL)
		return 0;
	lambda_path(p, sizeof p, path, "Architectures");
	out->architectures = xcalloc((size_t)cJSON_GetArraySize(arr) + 1,
	    sizeof *out->architectures);
	cJSON_ArrayForEach(item, arr) {
		if (!cJSON_IsString(item) || item->valuestring == NULL)
			return dlc_err_set(err, "MalformedResponse", "%s[%zu] "
			    "is %s, expected a string", p, i,
			    proto_json_type_name(item));
		out->architectures[i] = xstrdup(item->valuestring);
		out->n_architectures = ++i;
	}
	return 0;
}

static int
lambda_parse_fc(const cJSON *obj, const char *path,
    struct lambda_function *out, struct dlc_err *err)
{
	const cJSON *logging = NULL;
	const char *s;
	char p[512];
	int64_t size = 0;
	size_t i;

	memset(out, 0, sizeof *out);
	if (obj == NULL || !cJSON_IsObject(obj)) {
		dlc_err_set(err, "MalformedResponse", "%s is %s, expected an "
		    "object", path != NULL && path[0] != '\0' ? path :
		    "FunctionConfiguration", proto_json_type_name(obj));
		goto fail;
	}
	for (i = 0; i < sizeof lambda_string_fields /
	    sizeof lambda_string_fields[0]; i++) {
		s = NULL;
		if (proto_json_get_string(obj, lambda_string_fields[i].field,
		    path, 0, &s, err) != 0)
			goto fail;
		*(char **)((char *)out + lambda_string_fields[i].offset) =
		    xstrdup(s);
	}
	if (proto_json_get_int64(obj, "CodeSize", path, 0, &size, err) != 0 ||
	    lambda_get_long(obj, "MemorySize", path, &out->memory_size,
	    err) != 0 ||
	    lambda_get_long(obj, "Timeout", path, &out->timeout, err) != 0)
		goto fail;
	out->code_size = size;
	if (proto_json_get_object(obj, "LoggingConfig", path, 0, &logging,
	    err) != 0)
		goto fail;
	if (logging != NULL) {
		lambda_path(p, sizeof p, path, "LoggingConfig");
		s = NULL;
		if (proto_json_get_string(logging, "LogGroup", p, 0, &s,
		    err) != 0)
			goto fail;
		out->log_group = xstrdup(s);
	}
	if (lambda_parse_layers(obj, path, out, err) != 0 ||
	    lambda_parse_env(obj, path, out, err) != 0 ||
	    lambda_parse_architectures(obj, path, out, err) != 0)
		goto fail;
	out->raw = cJSON_Duplicate(obj, 1);
	if (out->raw == NULL)
		fatal("out of memory copying a FunctionConfiguration");
	return 0;
fail:
	lambda_function_clear(out);
	return -1;
}

int
lambda_parse_function_configuration(const cJSON *obj,
    struct lambda_function *out, struct dlc_err *err)
{
	return lambda_parse_fc(obj, "", out, err);
}

int
lambda_parse_function_configuration_body(const char *body, size_t len,
    const char *op, struct lambda_function *out, struct dlc_err *err)
{
	cJSON *tree;
	int rc;

	memset(out, 0, sizeof *out);
	tree = proto_json_parse_object(body, len, op, err);
	if (tree == NULL)
		return -1;
	rc = lambda_parse_fc(tree, "", out, err);
	if (rc != 0)
		proto_json_err_prefix(err, op);
	cJSON_Delete(tree);
	return rc;
}

void
lambda_page_clear(struct lambda_page *page)
{
	size_t i;

	if (page == NULL)
		return;
	for (i = 0; i < page->n; i++)
		lambda_function_clear(&page->functions[i]);
	free(page->functions);
	free(page->next_marker);
	memset(page, 0, sizeof *page);
}

int
lambda_parse_list_functions(const char *body, size_t len,
    struct lambda_page *out, struct dlc_err *err)
{
	const cJSON *arr = NULL, *item;
	const char *marker = NULL;
	cJSON *tree;
	char path[64];

	memset(out, 0, sizeof *out);
	tree = proto_json_parse_object(body, len, "ListFunctions", err);
	if (tree == NULL)
		return -1;
	if (proto_json_get_array(tree, "Functions", NULL, 1, &arr, err) != 0 ||
	    proto_json_get_string(tree, "NextMarker", NULL, 0, &marker,
	    err) != 0)
		goto fail;
	out->functions = xcalloc((size_t)cJSON_GetArraySize(arr) + 1,
	    sizeof *out->functions);
	cJSON_ArrayForEach(item, arr) {
		snprintf(path, sizeof path, "Functions[%zu]", out->n);
		if (lambda_parse_fc(item, path, &out->functions[out->n],
		    err) != 0)
			goto fail;
		out->n++;
	}
	/* Lambda sends "NextMarker": null on the last page: that is "absent". */
	out->next_marker = marker != NULL && marker[0] != '\0' ?
	    xstrdup(marker) : NULL;
	cJSON_Delete(tree);
	return 0;
fail:
	proto_json_err_prefix(err, "ListFunctions");
	lambda_page_clear(out);
	cJSON_Delete(tree);
	return -1;
}

int
lambda_parse_get_function(const char *body, size_t len,
    struct lambda_function *out, char **code_location, struct dlc_err *err)
{
	const cJSON *conf = NULL, *code = NULL;
	const char *loc = NULL;
	cJSON *tree;

	memset(out, 0, sizeof *out);
	if (code_location != NULL)
		*code_location = NULL;
	tree = proto_json_parse_object(body, len, "GetFunction", err);
	if (tree == NULL)
		return -1;
	if (proto_json_get_object(tree, "Configuration", NULL, 1, &conf,
	    err) != 0 ||
	    proto_json_get_object(tree, "Code", NULL, 0, &code, err) != 0 ||
	    (code != NULL && proto_json_get_string(code, "Location", "Code", 0,
	    &loc, err) != 0) ||
	    lambda_parse_fc(conf, "Configuration", out, err) != 0) {
		proto_json_err_prefix(err, "GetFunction");
		cJSON_Delete(tree);
		return -1;
	}
	if (code_location != NULL)
		*code_location = xstrdup(loc);
	cJSON_Delete(tree);
	return 0;
}

char *
lambda_list_functions_target(const char *marker, int max_items)
{
	struct buf b;
	char sep = '?';

	/*
	 * The trailing slash is what Debian's awscli 2.9 (botocore < 1.39.11)
	 * sends; AWS accepts both and the signer signs what is sent, so dlc
	 * keeps the form the local endpoints were checked against.
	 */
	buf_init(&b, 0);
	buf_puts(&b, "/2015-03-31/functions/");
	if (max_items > 0) {
		if (max_items > 10000)
			max_items = 10000;
		buf_printf(&b, "%cMaxItems=%d", sep, max_items);
		sep = '&';
	}
	if (marker != NULL && marker[0] != '\0') {
		buf_putc(&b, sep);
		buf_puts(&b, "Marker=");
		uri_encode(&b, marker, strlen(marker), 0);
	}
	return buf_detach(&b, NULL);
}

char *
lambda_log_group(const char *configured, const char *function_name)
{
	return configured != NULL ? xstrdup(configured) :
	    xasprintf("/aws/lambda/%s", function_name);
}

char *
lambda_function_path(const char *function_name_or_arn, const char *suffix)
{
	struct buf b;

	buf_init(&b, 0);
	buf_puts(&b, "/2015-03-31/functions/");
	uri_encode(&b, function_name_or_arn, strlen(function_name_or_arn), 0);
	if (suffix != NULL)
		buf_puts(&b, suffix);
	return buf_detach(&b, NULL);
}

/*
 * Runtimes and the day AWS deprecates them (after which functions on them
 * get no security patches and, later, cannot be updated). Source: the
 * "Deprecated runtimes" and "Supported runtimes" tables of
 * https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html as of
 * 2025-11; future dates take effect by themselves. Keep it in this one place.
 */
static const struct {
	const char	*runtime;
	int		 y, m, d;
} lambda_deprecations[] = {
	{ "nodejs", 2016, 10, 31 },
	{ "nodejs4.3", 2020, 3, 5 },
	{ "nodejs4.3-edge", 2020, 3, 5 },
	{ "nodejs6.10", 2019, 8, 12 },
	{ "nodejs8.10", 2020, 3, 6 },
	{ "nodejs10.x", 2021, 7, 30 },
	{ "nodejs12.x", 2023, 3, 31 },
	{ "nodejs14.x", 2023, 12, 4 },
	{ "nodejs16.x", 2024, 6, 12 },
	{ "nodejs18.x", 2025, 9, 1 },
	{ "nodejs20.x", 2026, 4, 30 },
	{ "nodejs22.x", 2027, 4, 30 },
	{ "python2.7", 2021, 7, 15 },
	{ "python3.6", 2022, 7, 18 },
	{ "python3.7", 2023, 12, 4 },
	{ "python3.8", 2024, 10, 14 },
	{ "python3.9", 2025, 12, 15 },
	{ "python3.10", 2026, 6, 30 },
	{ "python3.11", 2026, 6, 30 },
	{ "python3.12", 2028, 10, 31 },
	{ "python3.13", 2029, 6, 30 },
	{ "java8", 2024, 1, 8 },
	{ "java8.al2", 2026, 6, 30 },
	{ "java11", 2026, 6, 30 },
	{ "java17", 2026, 6, 30 },
	{ "java21", 2029, 6, 30 },
	{ "dotnetcore1.0", 2019, 7, 27 },
	{ "dotnetcore2.0", 2019, 5, 30 },
	{ "dotnetcore2.1", 2022, 1, 5 },
	{ "dotnetcore3.1", 2023, 4, 3 },
	{ "dotnet5.0", 2022, 5, 10 },
	{ "dotnet6", 2024, 11, 12 },
	{ "dotnet7", 2024, 5, 14 },
	{ "dotnet8", 2026, 11, 10 },
	{ "ruby2.5", 2021, 7, 30 },
	{ "ruby2.7", 2023, 11, 27 },
	{ "ruby3.2", 2026, 3, 31 },
	{ "ruby3.3", 2027, 3, 31 },
	{ "go1.x", 2024, 1, 8 },
	{ "provided", 2024, 1, 8 },
	{ "provided.al2", 2026, 6, 30 },
	{ "provided.al2023", 2029, 6, 30 },
};

int
lambda_runtime_deprecated_at(const char *runtime, time_t now)
{
	struct tm tm;
	size_t i;

	if (runtime == NULL)
		return 0;
	for (i = 0; i < sizeof lambda_deprecations /
	    sizeof lambda_deprecations[0]; i++) {
		if (strcmp(runtime, lambda_deprecations[i].runtime) != 0)
			continue;
		memset(&tm, 0, sizeof tm);
		tm.tm_year = lambda_deprecations[i].y - 1900;
		tm.tm_mon = lambda_deprecations[i].m - 1;
		tm.tm_mday = lambda_deprecations[i].d;
		return now >= timegm(&tm);
	}
	return 0;
}

int
lambda_runtime_deprecated(const char *runtime)
{
	return lambda_runtime_deprecated_at(runtime, time(NULL));
}

/* Parses a paged list answer's array and NextMarker; shared by the two below. */
static cJSON *
lambda_parse_list(const char *body, size_t len, const char *op,
    const char *field, const cJSON **arr, char **next_marker,
    struct dlc_err *err)
{
	const char *marker = NULL;
	cJSON *tree;

	*next_marker = NULL;
	tree = proto_json_parse_object(body, len, op, err);
	if (tree == NULL)
		return NULL;
	if (proto_json_get_array(tree, field, NULL, 1, arr, err) != 0 ||
	    proto_json_get_string(tree, "NextMarker", NULL, 0, &marker,
	    err) != 0) {
		proto_json_err_prefix(err, op);
		cJSON_Delete(tree);
		return NULL;
	}
	*next_marker = marker != NULL && marker[0] != '\0' ?
	    xstrdup(marker) : NULL;
	return tree;
}

void
lambda_layer_versions_free(struct lambda_layer_version *v, size_t n)
{
	size_t i;

	if (v == NULL)
		return;
	for (i = 0; i < n; i++) {
		free(v[i].layer_version_arn);
		free(v[i].created_date);
		free(v[i].description);
	}
	free(v);
}

int
lambda_parse_list_layer_versions(const char *body, size_t len,
    struct lambda_layer_version **out, size_t *n, char **next_marker,
    struct dlc_err *err)
{
	static const char op[] = "ListLayerVersions";
	const cJSON *arr = NULL, *item;
	struct lambda_layer_version *v;
	cJSON *tree;
	char path[64];
	size_t k = 0;

	*out = NULL;
	*n = 0;
	tree = lambda_parse_list(body, len, op, "LayerVersions", &arr,
	    next_marker, err);
	if (tree == NULL)
		return -1;
	v = xcalloc((size_t)cJSON_GetArraySize(arr) + 1, sizeof *v);
	cJSON_ArrayForEach(item, arr) {
		snprintf(path, sizeof path, "LayerVersions[%zu]", k);
		if (proto_json_expect_object(item, path, err) != 0 ||
		    lambda_get_long(item, "Version", path, &v[k].version,
		    err) != 0 ||
		    proto_json_dup_string(item, "LayerVersionArn", path, 1,
		    &v[k].layer_version_arn, err) != 0 ||
		    proto_json_dup_string(item, "CreatedDate", path, 0,
		    &v[k].created_date, err) != 0 ||
		    proto_json_dup_string(item, "Description", path, 0,
		    &v[k].description, err) != 0) {
			lambda_layer_versions_free(v, k + 1);
			goto fail;
		}
		k++;
	}
	cJSON_Delete(tree);
	*out = v;
	*n = k;
	return 0;
fail:
	proto_json_err_prefix(err, op);
	free(*next_marker);
	*next_marker = NULL;
	cJSON_Delete(tree);
	return -1;
}

char *
lambda_list_layer_versions_target(const char *layer_name, const char *marker)
{
	struct buf b;

	buf_init(&b, 0);
	buf_puts(&b, "/2018-10-31/layers/");
	uri_encode(&b, layer_name, strlen(layer_name), 0);
	buf_puts(&b, "/versions");
	if (marker != NULL && marker[0] != '\0') {
		buf_puts(&b, "?Marker=");
		uri_encode(&b, marker, strlen(marker), 0);
	}
	return buf_detach(&b, NULL);
}

const char *
lambda_layer_arn_name(const char *arn, size_t *len)
{
	const char *p = strstr(arn, ":layer:"), *end;

	if (p == NULL) {
		*len = strlen(arn);
		return arn;
	}
	p += strlen(":layer:");
	end = strchr(p, ':');
	*len = end != NULL ? (size_t)(end - p) : strlen(p);
	return p;
}

int
lambda_layer_arn_split(const char *layer_version_arn, char **layer_arn,
    long *version)
{
	const char *colon, *name;
	char *end;
	long v;

	*layer_arn = NULL;
	*version = 0;
	if (layer_version_arn == NULL ||
	    strncmp(layer_version_arn, "arn:", 4) != 0 ||
	    (name = strstr(layer_version_arn, ":layer:")) == NULL)
		return -1;
	name += strlen(":layer:");
	colon = strrchr(layer_version_arn, ':');
	/* The name must be non-empty and followed by exactly one ":N". */
	if (colon < name + 1 || memchr(name, ':', (size_t)(colon - name)) !=
	    NULL || colon[1] < '0' || colon[1] > '9')
		return -1;
	errno = 0;
	v = strtol(colon + 1, &end, 10);
	if (*end != '\0' || errno != 0 || v <= 0)
		return -1;
	*layer_arn = xstrndup(layer_version_arn,
	    (size_t)(colon - layer_version_arn));
	*version = v;
	return 0;
}

void
lambda_esms_free(struct lambda_esm *v, size_t n)
{
	size_t i;

	if (v == NULL)
		return;
	for (i = 0; i < n; i++) {
		free(v[i].uuid);
		free(v[i].event_source_arn);
		free(v[i].function_arn);
		free(v[i].state);
		free(v[i].state_transition_reason);
		free(v[i].last_processing_result);
	}
	free(v);
}

/* rest-json timestamps are epoch seconds, possibly with a fraction. */
static int
lambda_get_epoch(const cJSON *obj, const char *field, const char *path,
    time_t *out, struct dlc_err *err)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, field);

	if (v == NULL || cJSON_IsNull(v))
		return 0;
	if (!cJSON_IsNumber(v) || v->valuedouble < 0 ||
	    v->valuedouble > 253402300799.0)
		return dlc_err_set(err, "MalformedResponse", "%s.%s is %s, "
		    "expected a time in seconds since 1970", path, field,
		    cJSON_IsNumber(v) ? "out of range" :
		    proto_json_type_name(v));
	*out = (time_t)v->valuedouble;
	return 0;
}

int
lambda_parse_list_event_source_mappings(const char *body, size_t len,
    struct lambda_esm **out, size_t *n, char **next_marker,
    struct dlc_err *err)
{
	static const char op[] = "ListEventSourceMappings";
	const cJSON *arr = NULL, *item;
	struct lambda_esm *v;
	cJSON *tree;
	char path[64];
	size_t k = 0;

	*out = NULL;
	*n = 0;
	tree = lambda_parse_list(body, len, op, "EventSourceMappings", &arr,
	    next_marker, err);
	if (tree == NULL)
		return -1;
	v = xcalloc((size_t)cJSON_GetArraySize(arr) + 1, sizeof *v);
	cJSON_ArrayForEach(item, arr) {
		snprintf(path, sizeof path, "EventSourceMappings[%zu]", k);
		if (proto_json_expect_object(item, path, err) != 0 ||
		    proto_json_dup_string(item, "UUID", path, 1, &v[k].uuid,
		    err) != 0 ||
		    proto_json_dup_string(item, "EventSourceArn", path, 0,
		    &v[k].event_source_arn, err) != 0 ||
		    proto_json_dup_string(item, "FunctionArn", path, 0,
		    &v[k].function_arn, err) != 0 ||
		    proto_json_dup_string(item, "State", path, 0, &v[k].state,
		    err) != 0 ||
		    proto_json_dup_string(item, "StateTransitionReason", path, 0,
		    &v[k].state_transition_reason, err) != 0 ||
		    proto_json_dup_string(item, "LastProcessingResult", path, 0,
		    &v[k].last_processing_result, err) != 0 ||
		    lambda_get_long(item, "BatchSize", path, &v[k].batch_size,
		    err) != 0 ||
		    lambda_get_epoch(item, "LastModified", path,
		    &v[k].last_modified, err) != 0) {
			lambda_esms_free(v, k + 1);
			goto fail;
		}
		k++;
	}
	cJSON_Delete(tree);
	*out = v;
	*n = k;
	return 0;
fail:
	proto_json_err_prefix(err, op);
	free(*next_marker);
	*next_marker = NULL;
	cJSON_Delete(tree);
	return -1;
}

char *
lambda_list_event_source_mappings_target(const char *function_name,
    const char *marker)
{
	struct buf b;

	/* The model's URI has the trailing slash; AWS and the CLI send it. */
	buf_init(&b, 0);
	buf_puts(&b, "/2015-03-31/event-source-mappings/");
	/* Without a function: every mapping of the account (dlc audit asks once). */
	if (function_name != NULL) {
		buf_puts(&b, "?FunctionName=");
		uri_encode(&b, function_name, strlen(function_name), 0);
	}
	if (marker != NULL && marker[0] != '\0') {
		buf_puts(&b, function_name != NULL ? "&Marker=" : "?Marker=");
		uri_encode(&b, marker, strlen(marker), 0);
	}
	return buf_detach(&b, NULL);
}

/* ---- operations ---- */

static void
lambda_list_functions_req(const void *args, const char *token,
    struct aws_request *req, char **owned)
{
	(void)args;
	req->method = "GET";
	req->target = owned[0] = lambda_list_functions_target(token, 50);
}

static int
lambda_list_functions_parse(const char *body, size_t len, void *out,
    struct dlc_err *err)
{
	return lambda_parse_list_functions(body, len, out, err);
}

static void
lambda_list_functions_clear(void *out)
{
	lambda_page_clear(out);
}

AWS_OP_DELIVER(lambda_list_functions_deliver, lambda_list_functions_cb)

static const char *
lambda_list_functions_next(const void *out)
{
	return ((const struct lambda_page *)out)->next_marker;
}

const struct aws_op lambda_op_list_functions = {
	&aws_service_lambda, "ListFunctions", sizeof(struct lambda_page),
	lambda_list_functions_req, lambda_list_functions_parse,
	lambda_list_functions_clear, lambda_list_functions_deliver,
	lambda_list_functions_next, 0,
};

struct aws_call *
lambda_list_functions(struct aws_env *env, const char *marker,
    lambda_list_functions_cb cb, void *arg)
{
	return aws_op_send(env, &lambda_op_list_functions, NULL, marker,
	    (aws_op_fn)cb, arg);
}

static void
lambda_get_function_req(const void *args, const char *token,
    struct aws_request *req, char **owned)
{
	(void)token;
	req->method = "GET";
	req->target = owned[0] = lambda_function_path(args, "");
}

static int
lambda_get_function_parse(const char *body, size_t len, void *out,
    struct dlc_err *err)
{
	struct lambda_function_code *c = out;

	return lambda_parse_get_function(body, len, &c->config,
	    &c->code_location, err);
}

static void
lambda_get_function_clear(void *out)
{
	struct lambda_function_code *c = out;

	lambda_function_clear(&c->config);
	free(c->code_location);
	c->code_location = NULL;
}

AWS_OP_DELIVER(lambda_get_function_deliver, lambda_get_function_cb)

const struct aws_op lambda_op_get_function = {
	&aws_service_lambda, "GetFunction", sizeof(struct lambda_function_code),
	lambda_get_function_req, lambda_get_function_parse,
	lambda_get_function_clear, lambda_get_function_deliver, NULL, 0,
};

struct aws_call *
lambda_get_function(struct aws_env *env, const char *name,
    lambda_get_function_cb cb, void *arg)
{
	return aws_op_send(env, &lambda_op_get_function, name, NULL,
	    (aws_op_fn)cb, arg);
}

static void
lambda_configuration_req(const void *args, const char *token,
    struct aws_request *req, char **owned)
{
	(void)token;
	req->method = "GET";
	req->target = owned[0] = lambda_function_path(args, "/configuration");
}

static int
lambda_configuration_parse(const char *body, size_t len, void *out,
    struct dlc_err *err)
{
	return lambda_parse_function_configuration_body(body, len,
	    "GetFunctionConfiguration", out, err);
}

static void
lambda_configuration_clear(void *out)
{
	lambda_function_clear(out);
}

AWS_OP_DELIVER(lambda_configuration_deliver, lambda_function_configuration_cb)

const struct aws_op lambda_op_get_function_configuration = {
	&aws_service_lambda, "GetFunctionConfiguration",
	sizeof(struct lambda_function), lambda_configuration_req,
	lambda_configuration_parse, lambda_configuration_clear,
	lambda_configuration_deliver, NULL, 0,
};

struct aws_call *
lambda_get_function_configuration(struct aws_env *env, const char *name,
    lambda_function_configuration_cb cb, void *arg)
{
	return aws_op_send(env, &lambda_op_get_function_configuration, name,
	    NULL, (aws_op_fn)cb, arg);
}

static void
lambda_layers_req(const void *args, const char *token,
    struct aws_request *req, char **owned)
{
	req->method = "GET";
	req->target = owned[0] = lambda_list_layer_versions_target(args, token);
}

static int
lambda_layers_parse(const char *body, size_t len, void *out,
    struct dlc_err *err)
{
	struct lambda_layer_versions_page *p = out;

	return lambda_parse_list_layer_versions(body, len, &p->versions, &p->n,
	    &p->next_marker, err);
}

static void
lambda_layers_clear(void *out)
{
	struct lambda_layer_versions_page *p = out;

	lambda_layer_versions_free(p->versions, p->n);
	free(p->next_marker);
	memset(p, 0, sizeof *p);
}

AWS_OP_DELIVER(lambda_layers_deliver, lambda_list_layer_versions_cb)

static const char *
lambda_layers_next(const void *out)
{
	return ((const struct lambda_layer_versions_page *)out)->next_marker;
}

const struct aws_op lambda_op_list_layer_versions = {
	&aws_service_lambda, "ListLayerVersions",
	sizeof(struct lambda_layer_versions_page), lambda_layers_req,
	lambda_layers_parse, lambda_layers_clear, lambda_layers_deliver,
	lambda_layers_next, 0,
};

struct aws_call *
lambda_list_layer_versions(struct aws_env *env, const char *layer,
    const char *marker, lambda_list_layer_versions_cb cb, void *arg)
{
	return aws_op_send(env, &lambda_op_list_layer_versions, layer, marker,
	    (aws_op_fn)cb, arg);
}

static void
lambda_esms_req(const void *args, const char *token,
    struct aws_request *req, char **owned)
{
	req->method = "GET";
	req->target = owned[0] =
	    lambda_list_event_source_mappings_target(args, token);
}

static int
lambda_esms_parse(const char *body, size_t len, void *out,
    struct dlc_err *err)
{
	struct lambda_esm_page *p = out;

	return lambda_parse_list_event_source_mappings(body, len, &p->esms,
	    &p->n, &p->next_marker, err);
}

static void
lambda_esms_clear(void *out)
{
	struct lambda_esm_page *p = out;

	lambda_esms_free(p->esms, p->n);
	free(p->next_marker);
	memset(p, 0, sizeof *p);
}

AWS_OP_DELIVER(lambda_esms_deliver, lambda_list_event_source_mappings_cb)

static const char *
lambda_esms_next(const void *out)
{
	return ((const struct lambda_esm_page *)out)->next_marker;
}

const struct aws_op lambda_op_list_event_source_mappings = {
	&aws_service_lambda, "ListEventSourceMappings",
	sizeof(struct lambda_esm_page), lambda_esms_req, lambda_esms_parse,
	lambda_esms_clear, lambda_esms_deliver, lambda_esms_next, 0,
};

struct aws_call *
lambda_list_event_source_mappings(struct aws_env *env, const char *function,
    const char *marker, lambda_list_event_source_mappings_cb cb, void *arg)
{
	return aws_op_send(env, &lambda_op_list_event_source_mappings,
	    function, marker, (aws_op_fn)cb, arg);
}

/* ---- waiting on an update ---- */

static const struct waiter_matcher lambda_updated_matchers[] = {
	{ WAITER_MATCH_PATH, "LastUpdateStatus", "Successful", WAITER_SUCCESS,
	    NULL },
	{ WAITER_MATCH_PATH, "LastUpdateStatus", "Failed", WAITER_FAILURE,
	    "LastUpdateStatusReason" },
	{ WAITER_MATCH_PATH, "LastUpdateStatus", "InProgress", WAITER_RETRY,
	    NULL },
};

const struct waiter_config lambda_waiter_updated = {
	lambda_updated_matchers,
	sizeof lambda_updated_matchers / sizeof lambda_updated_matchers[0],
	1000, 300000, 300,
};

struct waiter *
lambda_wait_updated(struct loop *loop, struct aws_env *env, const char *name,
    waiter_progress_cb progress, waiter_done_cb done, void *arg)
{
	return waiter_start(loop, env, &lambda_op_get_function_configuration,
	    name, &lambda_waiter_updated, progress, done, arg);
}
