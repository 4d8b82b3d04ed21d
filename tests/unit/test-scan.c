/*
 * Unit tests for the secret scan (src/scan*.c): every rule hits on a
 * real-looking sample and stays quiet on its near-misses (a hash, a uuid,
 * an empty password, a password read from the environment, placeholders);
 * excerpts mask every secret on the line and keep only a format's public
 * prefix; a key split across the stream's buffers and a line longer than
 * the buffer are still found, once, on the right line; binary files are
 * read; scan-allow refuses "*", an empty rule, unknown rules and paths
 * that match everything, and allows exactly what it names; function.ini
 * loads it; zips made here with libzip are scanned entry by entry.
 *
 * The samples are assembled at run time, so this file itself holds no
 * string a scanner would (rightly) stop.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include <zip.h>

#include "manifest.h"
#include "scan.h"
#include "scan-rules.h"
#include "xmalloc.h"

static char tmproot[] = "/tmp/dlc-test-scan-XXXXXX";

static const char B62[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
static const char B64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* n characters from set after prefix, the same every run (xorshift). */
static char *
fake(const char *prefix, size_t n, const char *set, uint64_t seed)
{
	size_t plen = strlen(prefix), m = strlen(set), i;
	char *s = xmalloc(plen + n + 1);
	uint64_t x = seed * 0x9E3779B97F4A7C15ULL + 1;

	memcpy(s, prefix, plen);
	for (i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		s[plen + i] = set[x % m];
	}
	s[plen + n] = '\0';
	return s;
}

/* The canonical test key id of AWS's documentation, in two pieces. */
#define AWS_EXAMPLE_ID	"AKIA" "IOSFODNN7EXAMPLE"
#define AWS_EXAMPLE_KEY	"wJalrXUtnFEMI/K7MDENG/" "bPxRfiCYEXAMPLEKEY"

static void
scan_text(const char *text, const char *name, struct scan_report *r)
{
	struct dlc_err err;

	dlc_err_clear(&err);
	scan_report_init(r);
	assert_int_equal(scan_buffer(text, strlen(text), name, NULL, r, &err), 0);
}

/* Exactly one hit, of rule, on line; its excerpt must not hold secret. */
static void
expect_one(const char *text, const char *name, const char *rule,
    unsigned long line, const char *secret, const char *shown)
{
	struct scan_report r;

	scan_text(text, name, &r);
	if (r.n != 1)
		fail_msg("%zu hits in: %s", r.n, text);
	assert_string_equal(r.hits[0].rule, rule);
	assert_int_equal(r.hits[0].line, line);
	assert_string_equal(r.hits[0].path, name);
	if (secret != NULL && strstr(r.hits[0].excerpt, secret + 4) != NULL)
		fail_msg("excerpt shows the secret: %s", r.hits[0].excerpt);
	if (shown != NULL && strstr(r.hits[0].excerpt, shown) == NULL)
		fail_msg("excerpt '%s' lacks '%s'", r.hits[0].excerpt, shown);
	scan_report_free(&r);
}

static void
expect_none(const char *text, const char *name)
{
	struct scan_report r;

	scan_text(text, name, &r);
	if (r.n != 0)
		fail_msg("hit %s in: %s", r.hits[0].rule, text);
	scan_report_free(&r);
}

static void
test_rules_compile_with_jit(void **state)
{
	struct dlc_err err;
	size_t i, jit = 0;
	uint32_t have_jit = 0;

	(void)state;
	for (i = 0; i < scan_rules_count(); i++) {
		assert_non_null(scan_rules_code(i, &err));
		jit += (size_t)scan_rules_jit(i);
	}
	/* Every rule JIT-compiled where PCRE2 has JIT, none (the fallback) where not. */
	assert_int_equal(pcre2_config(PCRE2_CONFIG_JIT, &have_jit), 0);
	assert_int_equal(jit, have_jit ? scan_rules_count() : 0);
	assert_non_null(scan_rules_find("generic-secret"));
	assert_null(scan_rules_find("*"));
}

static void
test_aws_access_key_id(void **state)
{
	char *id = fake("ASIA", 16, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 1);
	char text[256];

	(void)state;
	expect_one("import boto3\n\nkey = '" AWS_EXAMPLE_ID "'\n", "a.py",
	    "aws-access-key-id", 3, AWS_EXAMPLE_ID, "key = 'AKIA********'");
	snprintf(text, sizeof text, "[default]\naws_access_key_id=%s\n", id);
	expect_one(text, "credentials", "aws-access-key-id", 2, id, "ASIA********");
	/* Near-misses: one short, glued to a word, not base32, lower case. */
	expect_none("k = 'AKIAIOSFODNN7EXAMPL'\n", "a.py");
	expect_none("k = 'XAKIAIOSFODNN7EXAMPLE'\n", "a.py");
	expect_none("k = 'AKIA0000111188889999'\n", "a.py");
	expect_none("k = 'akiaiosfodnn7example'\n", "a.py");
	expect_none("k = 'AKIAAAAAAAAAAAAAAAAA'\n", "a.py");
	free(id);
}

static void
test_aws_secret_access_key(void **state)
{
	char *key = fake("", 40, B64, 2), text[512];

	(void)state;
	expect_one("aws_secret_access_key = " AWS_EXAMPLE_KEY "\n", "credentials",
	    "aws-secret-access-key", 1, AWS_EXAMPLE_KEY, "aws_secret_access_key = ********");
	snprintf(text, sizeof text, "{\n  \"AccessKeyId\": \"x\",\n  \"SecretAccessKey\": \"%s\"\n}\n", key);
	expect_one(text, "creds.json", "aws-secret-access-key", 3, key, NULL);
	snprintf(text, sizeof text, "s3 = boto3.client('s3', aws_secret_access_key='%s')\n", key);
	expect_one(text, "x.py", "aws-secret-access-key", 1, key, NULL);
	/* A sha1 is 40 characters too, but not under a secret key's name. */
	expect_none("commit = 'da39a3ee5e6b4b0d3255bfef95601890afd80709'\n", "x.py");
	expect_none("aws_secret_access_key = os.environ['AWS_SECRET_ACCESS_KEY']\n", "x.py");
	expect_none("aws_secret_access_key = ''\n", "x.py");
	free(key);
}

/* A PEM block with key material of n lines. */
static char *
pem(const char *kind, int lines, uint64_t seed)
{
	struct buf b;
	char *line;
	int i;

	buf_init(&b, 0);
	buf_printf(&b, "-----BEGIN %s-----\n", kind);
	for (i = 0; i < lines; i++) {
		line = fake("", 64, B64, seed + (uint64_t)i);
		buf_printf(&b, "%s\n", line);
		free(line);
	}
	buf_printf(&b, "-----END %s-----\n", kind);
	return buf_detach(&b, NULL);
}

static void
test_private_key(void **state)
{
	char *rsa = pem("RSA PRIVATE" " KEY", 5, 10);
	char *ossh = pem("OPENSSH PRIVATE" " KEY", 3, 20);
	char *pub = pem("PUBLIC KEY", 5, 30);
	char *cert = pem("CERTIFICATE", 5, 40);
	char *body = fake("", 64, B64, 50);
	char text[2048];

	(void)state;
	snprintf(text, sizeof text, "# deploy key\n%s", rsa);
	expect_one(text, "id_rsa", "private-key", 2, NULL, "-----BEGIN RSA PRIVATE KEY-----");
	expect_one(ossh, "key", "private-key", 1, NULL, NULL);
	/* An encrypted PEM has headers and a blank line before its material. */
	snprintf(text, sizeof text, "-----BEGIN RSA PRIVATE" " KEY-----\nProc-Type: 4,ENCRYPTED\n"
	    "DEK-Info: AES-128-CBC,0123\n\n%s\n-----END RSA PRIVATE KEY-----\n", body);
	expect_one(text, "enc.pem", "private-key", 1, NULL, NULL);
	/* A service account's JSON holds it on one line with \n escapes. */
	snprintf(text, sizeof text, "{\"private_key\": \"-----BEGIN PRIVATE" " KEY-----\\n%s\\n-----END PRIVATE KEY-----\\n\"}\n", body);
	expect_one(text, "sa.json", "private-key", 1, body, "********");
	/* Public halves, certificates and mere mentions are not keys. */
	expect_none(pub, "pub.pem");
	expect_none(cert, "cert.pem");
	expect_none("HEADER = '-----BEGIN RSA PRIVATE" " KEY-----'\nFOOTER = '-----END'\n", "pem.py");
	free(rsa);
	free(ossh);
	free(pub);
	free(cert);
	free(body);
}

static void
test_github_tokens(void **state)
{
	char *ghp = fake("gh" "p_", 36, B62, 3), *ghs = fake("gh" "s_", 36, B62, 4);
	char *pat = fake("github" "_pat_", 22, B62, 5), *tail = fake("", 59, B62, 6);
	char text[512];

	(void)state;
	snprintf(text, sizeof text, "GITHUB_TOKEN=%s\n", ghp);
	expect_one(text, ".env", "github-token", 1, ghp, "ghp_********");
	snprintf(text, sizeof text, "headers = {'Authorization': 'token %s'}\n", ghs);
	expect_one(text, "gh.py", "github-token", 1, ghs, "ghs_********");
	snprintf(text, sizeof text, "pat: %s_%s\n", pat, tail);
	expect_one(text, "ci.yml", "github-token", 1, tail, "github_********");
	/* Near-misses: one short, a placeholder, a longer word around it. */
	ghp[strlen(ghp) - 1] = '\0';
	snprintf(text, sizeof text, "t = '%s'\n", ghp);
	expect_none(text, "gh.py");
	expect_none("t = 'ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'\n", "gh.py");
	free(ghp);
	free(ghs);
	free(pat);
	free(tail);
}

static void
test_slack(void **state)
{
	char *tok = fake("xo" "xb-123456789012-", 24, B62, 7);
	char *hook = fake("https://hooks.slack.com/services/T01ABCDEF/B02GHIJKL/", 24, B62, 8);
	char text[512];

	(void)state;
	snprintf(text, sizeof text, "client = WebClient(token=\"%s\")\n", tok);
	expect_one(text, "bot.py", "slack-token", 1, tok, "xoxb-********");
	snprintf(text, sizeof text, "url: %s\n", hook);
	expect_one(text, "alerts.yml", "slack-webhook", 1, hook + 40,
	    "https://hooks.slack.com/services/********");
	expect_none("token = 'xoxb-your-token-here'\n", "bot.py");
	expect_none("url: https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX\n",
	    "alerts.yml");
	free(tok);
	free(hook);
}

static void
test_generic_secret(void **state)
{
	(void)state;
	expect_one("DB_PASSWORD = \"S3cr3t!Passw0rd\"\n", "settings.py", "generic-secret", 1,
	    "S3cr3t!Passw0rd", "DB_PASSWORD = \"********\"");
	expect_one("db:\n  secret: 'q8Zr!t2vLmw'\n", "config.yml", "generic-secret", 2,
	    "q8Zr!t2vLmw", "secret: '********'");
	expect_one("API_TOKEN=9f8e7d6c5b4a3210ab\n", ".env", "generic-secret", 1,
	    "9f8e7d6c5b4a3210ab", "API_TOKEN=********");
	expect_one("conn = {\"password\": \"hunter2hunter2\"}\n", "c.py", "generic-secret", 1,
	    "hunter2hunter2", NULL);
	expect_one("client_secret := \"Zf3D0LXCM3EIMbgJ\"\n", "main.go", "generic-secret", 1,
	    "Zf3D0LXCM3EIMbgJ", NULL);
	/* Empty, from the environment, from a call, a comparison, too short. */
	expect_none("password = \"\"\n", "a.py");
	expect_none("password = os.environ[\"DB_PASSWORD\"]\n", "a.py");
	expect_none("password = os.environ.get('DB_PASSWORD', '')\n", "a.py");
	expect_none("password = get_password(user)\n", "a.py");
	expect_none("if password == \"hunter2hunter2\":\n", "a.py");
	expect_none("password = 'abc1'\n", "a.py");
	/* Names of secrets, not secrets. */
	expect_none("password_hash = \"pbkdf2_sha256$x\"\n", "a.py");
	expect_none("SECRET_NAME = \"prod/mambu/api-key\"\n", "a.py");
	expect_none("secret_id = \"datalake-alpha-mambu\"\n", "a.py");
	expect_none("next_token = \"AbC123xyz789QwE\"\n", "a.py");
	expect_none("\"NextToken\": \"AbC123xyz789QwE=\"\n", "page.json");
	expect_none("token_url = \"https://oauth2.example.com/token\"\n", "a.py");
	expect_none("TOKEN_HEADER = 'X-Amz-Security-Token'\n", "a.py");
	expect_none("tokenizer = \"bert-base-uncased\"\n", "a.py");
	/* Seen in botocore, cryptography and the AWS CLI's examples. */
	expect_none("    ACCESS_KEY = 'AWS_ACCESS_KEY_ID'\n", "credentials.py");
	expect_none("      \"output_token\": \"DistributionList.NextMarker\",\n", "paginators-1.json");
	expect_none("    backend: \"Backend\", private_key: \"_DSAPrivateKey\", data: bytes\n", "dsa.py");
	expect_none("  \"RequestToken\": \"e1a6b86e-46bd-41ac-bfba-001234567890\",\n", "x.rst");
	expect_none("  \"lastModifiedSecret\": 1556312220.133\n", "x.rst");
	expect_none("  \"output_token\": \"StreamDescription.Shards[-1].ShardId\",\n", "paginators-1.json");
	/* Placeholders and templates. */
	expect_none("password = \"<your-password>\"\n", "a.py");
	expect_none("password: ${DB_PASSWORD}\n", "a.yml");
	expect_none("password = \"changeme123\"\n", "a.py");
	expect_none("token: '{{ resolve:secretsmanager:x }}'\n", "a.yml");
	/* Unquoted is an expression in a program, a value in a config file. */
	expect_none("token = abc123def456\n", "a.py");
	expect_none("TOKEN = default_value\n", ".env");
	expect_one("token = abc123def456\n", "app.ini", "generic-secret", 1, "abc123def456", NULL);
	/* A hash and a uuid alone are not secrets. */
	expect_none("sha256 = \"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\"\n", "a.py");
	expect_none("request_id = \"123e4567-e89b-12d3-a456-426614174000\"\n", "a.py");
	expect_none("requests==2.31.0 --hash=sha256:58cd2187c01e70e6e26505bca751777aa9f2ee0b7f4300988b709f44e013003f\n",
	    "requirements.txt");
}

/* Two secrets on one line: each excerpt masks both. */
static void
test_masking(void **state)
{
	const char *text = "creds = ('" AWS_EXAMPLE_ID "', '" AWS_EXAMPLE_KEY "')  # aws_secret_access_key='" AWS_EXAMPLE_KEY "'\n";
	char *ghp = fake("gh" "p_", 40, B62, 9), line[256];
	struct scan_report r;
	size_t i;

	(void)state;
	scan_text(text, "x.py", &r);
	assert_true(r.n >= 2);
	for (i = 0; i < r.n; i++) {
		assert_null(strstr(r.hits[i].excerpt, "IOSFODNN7EXAMPLE"));
		assert_null(strstr(r.hits[i].excerpt, "bPxRfiCY"));
		assert_null(strstr(r.hits[i].excerpt, "wJalrXUtnFEMI"));
	}
	scan_report_free(&r);
	/* The same line also through the report's text and JSON forms. */
	snprintf(line, sizeof line, "a = '%s' \x1b[31m\n", ghp);
	scan_text(line, "evil\x1b]0;x\x07.py", &r);
	assert_int_equal(r.n, 1);
	{
		struct buf out;
		cJSON *j = scan_report_json(&r);
		char *js = cJSON_PrintUnformatted(j);

		buf_init(&out, 0);
		scan_report_format(&r, &out);
		assert_null(strchr(out.data, '\x1b'));
		assert_null(strchr(out.data, '\x07'));
		assert_non_null(strstr(out.data, ":1: github-token: a = 'ghp_********' \\x1b[31m\n"));
		assert_null(strstr(out.data, ghp + 4));
		assert_null(strstr(js, ghp + 4));
		assert_non_null(strstr(js, "\"Clean\":false"));
		free(js);
		cJSON_Delete(j);
		buf_free(&out);
	}
	scan_report_free(&r);
	free(ghp);
}

/* A key whose BEGIN line ends one 256 KB buffer, and lines after it counted right. */
static void
test_streaming(void **state)
{
	char *key = pem("EC PRIVATE" " KEY", 3, 60);
	char *ghp = fake("gh" "p_", 36, B62, 61);
	struct scan_report r;
	struct buf b;
	size_t target, i;
	unsigned long lines = 0;

	(void)state;
	for (target = 256 * 1024 - 40; target <= 256 * 1024 + 40; target += 16) {
		buf_init(&b, 0);
		lines = 0;
		while (b.len + 30 < target) {
			buf_puts(&b, "x = 1  # some ordinary code\n");
			lines++;
		}
		while (b.len < target - 1) {
			buf_putc(&b, '#');
		}
		buf_putc(&b, '\n');
		lines++;
		buf_puts(&b, key);
		scan_text(b.data, "big.py", &r);
		assert_int_equal(r.n, 1);
		assert_string_equal(r.hits[0].rule, "private-key");
		assert_int_equal(r.hits[0].line, lines + 1);
		scan_report_free(&r);
		buf_free(&b);
	}
	/* One 600 KB line (minified JS): a token in it and one at its end. */
	buf_init(&b, 0);
	buf_puts(&b, "first line\n");
	for (i = 0; i < 300 * 1024 / 8; i++)
		buf_puts(&b, "var a=1;");
	buf_printf(&b, "t='%s';", ghp);
	for (i = 0; i < 300 * 1024 / 8; i++)
		buf_puts(&b, "var b=2;");
	buf_printf(&b, "u='%s'\nlast line\n", AWS_EXAMPLE_ID);
	scan_text(b.data, "app.min.js", &r);
	assert_int_equal(r.n, 2);
	assert_int_equal(r.hits[0].line, 2);
	assert_int_equal(r.hits[1].line, 2);
	assert_true(r.bytes == b.len);
	scan_report_free(&r);
	buf_free(&b);
	free(key);
	free(ghp);
}

/* Binary files are read as text: a key in a .pyc is a key. */
static void
test_binary(void **state)
{
	static const char bin[] = "\x42\x0d\x0d\x0a\0\0\0\0\xe3\0\0\0" "AKIA" "IOSFODNN7EXAMPLE"
	    "\0\0token=abc123def456\0\0";
	struct scan_report r;
	struct dlc_err err;

	(void)state;
	scan_report_init(&r);
	assert_int_equal(scan_buffer(bin, sizeof bin - 1, "m.pyc", NULL, &r, &err), 0);
	assert_int_equal(r.n, 1);
	assert_string_equal(r.hits[0].rule, "aws-access-key-id");
	assert_null(memchr(r.hits[0].excerpt, '\0', 1));
	scan_report_free(&r);
}

static void
test_allow_refusals(void **state)
{
	static const char *const bad[] = { "*", "* .*", "", "   ", "generic-secret",
	    "nosuch-rule x\\.py", "generic-secret .*", "generic-secret .+",
	    "generic-secret (", "aws-access-key-id (.*|x)", NULL };
	struct dlc_err err;
	size_t i;

	(void)state;
	for (i = 0; bad[i] != NULL; i++) {
		dlc_err_clear(&err);
		if (scan_allow_check(bad[i], &err) == 0)
			fail_msg("scan-allow '%s' was accepted", bad[i]);
		assert_string_equal(err.code, "BadScanAllow");
		assert_true(err.fix[0] != '\0');
	}
	dlc_err_clear(&err);
	assert_int_equal(scan_allow_check("*", &err), -1);
	assert_non_null(strstr(err.message, "names no rule"));
	assert_int_equal(scan_allow_check("generic-secret tests/fixtures/.*\\.json", &err), 0);
	assert_int_equal(scan_allow_check("  aws-access-key-id   docs/example\\.md  ", &err), 0);
}

static char *
path_of(const char *rel)
{
	static char buf[8][1024];
	static int i;

	i = (i + 1) % 8;
	snprintf(buf[i], sizeof buf[i], "%s/%s", tmproot, rel);
	return buf[i];
}

static void
write_file(const char *rel, const char *text)
{
	FILE *f = fopen(path_of(rel), "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* function.ini's scan-allow, loaded and applied to a folder scan. */
static void
test_manifest_and_allow(void **state)
{
	struct local_function fn;
	struct scan_allow *allow;
	struct scan_report r;
	struct dlc_err err;

	(void)state;
	mkdir(path_of("fns"), 0700);
	mkdir(path_of("fns/f1"), 0700);
	mkdir(path_of("fns/f1/src"), 0700);
	mkdir(path_of("fns/f1/src/tests"), 0700);
	write_file("fns/f1/function.ini", "[function]\nscan-allow = generic-secret tests/.*\\.json\n"
	    "  aws-access-key-id docs\\.md\n");
	write_file("fns/f1/src/tests/fixture.json", "{\"password\": \"hunter2hunter2\"}\n");
	write_file("fns/f1/src/app.py", "password = 'hunter2hunter2'\n");
	assert_int_equal(manifest_load_one(path_of("fns"), "f1", &fn, &err), 0);
	assert_int_equal(fn.n_scan_allow, 2);
	assert_string_equal(fn.scan_allow[1], "aws-access-key-id docs\\.md");
	allow = scan_allow_new(&fn, &err);
	assert_non_null(allow);
	scan_report_init(&r);
	assert_int_equal(scan_dir(path_of("fns/f1/src"), allow, &r, &err), 0);
	/* The fixture is allowed (and counted); app.py is not. */
	assert_int_equal(r.n, 1);
	assert_int_equal(r.allowed, 1);
	assert_int_equal(r.files, 2);
	assert_string_equal(r.hits[0].path, path_of("fns/f1/src/app.py"));
	assert_string_equal(r.hits[0].path + r.hits[0].rel, "app.py");
	scan_report_free(&r);
	scan_allow_free(allow);
	manifest_free(&fn);

	/* A bad entry stops the manifest, naming the file and line. */
	write_file("fns/f1/function.ini", "[function]\ndescription = x\nscan-allow = * .*\n");
	dlc_err_clear(&err);
	assert_int_equal(manifest_load_one(path_of("fns"), "f1", &fn, &err), -1);
	assert_non_null(strstr(err.message, "function.ini line 3"));
	assert_non_null(strstr(err.message, "names no rule"));
	write_file("fns/f1/function.ini", "[function]\nscan-allow =\n");
	assert_int_equal(manifest_load_one(path_of("fns"), "f1", &fn, &err), -1);
	assert_non_null(strstr(err.message, "scan-allow is empty"));
	write_file("fns/f1/function.ini", "[function]\nscan-allow = generic-secret .*\n");
	assert_int_equal(manifest_load_one(path_of("fns"), "f1", &fn, &err), -1);
	assert_non_null(strstr(err.message, "matches every path"));
	unlink(path_of("fns/f1/function.ini"));
	unlink(path_of("fns/f1/src/tests/fixture.json"));
	unlink(path_of("fns/f1/src/app.py"));
	rmdir(path_of("fns/f1/src/tests"));
	rmdir(path_of("fns/f1/src"));
	rmdir(path_of("fns/f1"));
	rmdir(path_of("fns"));
}

/* Folder scans: sorted, relative, links to files read, .git skipped. */
static void
test_dir(void **state)
{
	struct scan_report r;
	struct dlc_err err;
	char *link_target;

	(void)state;
	mkdir(path_of("tree"), 0700);
	mkdir(path_of("tree/b"), 0700);
	mkdir(path_of("tree/.git"), 0700);
	write_file("tree/b/z.py", "k = '" AWS_EXAMPLE_ID "'\n");
	write_file("tree/a.txt", "\n\nk = '" AWS_EXAMPLE_ID "'\n");
	write_file("tree/.git/config", "k = '" AWS_EXAMPLE_ID "'\n");
	write_file("outside.txt", "k = '" AWS_EXAMPLE_ID "'\n");
	link_target = xstrdup(path_of("outside.txt"));
	assert_int_equal(symlink(link_target, path_of("tree/c-link")), 0);
	assert_int_equal(mkfifo(path_of("tree/fifo"), 0600), 0);
	scan_report_init(&r);
	assert_int_equal(scan_dir(path_of("tree/"), NULL, &r, &err), 0);
	assert_int_equal(r.n, 3);
	assert_int_equal(r.files, 3);
	assert_string_equal(r.hits[0].path + r.hits[0].rel, "a.txt");
	assert_int_equal(r.hits[0].line, 3);
	assert_string_equal(r.hits[1].path + r.hits[1].rel, "b/z.py");
	assert_string_equal(r.hits[2].path + r.hits[2].rel, "c-link");
	assert_string_equal(r.hits[1].path, path_of("tree/b/z.py"));
	scan_report_free(&r);
	/* A folder that cannot be read is an error, not a clean scan. */
	scan_report_init(&r);
	assert_int_equal(scan_dir(path_of("no-such"), NULL, &r, &err), -1);
	assert_string_equal(err.code, "ScanFailed");
	scan_report_free(&r);
	unlink(path_of("tree/fifo"));
	unlink(path_of("tree/c-link"));
	unlink(path_of("tree/a.txt"));
	unlink(path_of("tree/b/z.py"));
	unlink(path_of("tree/.git/config"));
	unlink(path_of("outside.txt"));
	rmdir(path_of("tree/.git"));
	rmdir(path_of("tree/b"));
	rmdir(path_of("tree"));
	free(link_target);
}

static void
test_zip_add(zip_t *za, const char *name, const char *text)
{
	zip_source_t *src = zip_source_buffer(za, text, strlen(text), 0);

	assert_non_null(src);
	assert_true(zip_file_add(za, name, src, ZIP_FL_OVERWRITE) >= 0);
}

static void
test_zip(void **state)
{
	struct local_function fn;
	struct scan_report r;
	struct dlc_err err;
	char *zp = xstrdup(path_of("pkg.zip")), *big;
	char *allow[1];
	zip_t *za;
	int zerr;

	(void)state;
	big = xmalloc(3 * 1024 * 1024 + 64);
	memset(big, 'a', 3 * 1024 * 1024);
	big[1000] = '\n';
	snprintf(big + 3 * 1024 * 1024, 64, "\nk='%s'\n", AWS_EXAMPLE_ID);
	za = zip_open(zp, ZIP_CREATE | ZIP_TRUNCATE, &zerr);
	assert_non_null(za);
	test_zip_add(za, "lambda_function.py", "import os\n\nKEY = '" AWS_EXAMPLE_ID "'\n");
	assert_true(zip_dir_add(za, "vendor", 0) >= 0);
	test_zip_add(za, "vendor/clean.txt", "nothing here\n");
	test_zip_add(za, "vendor/big.txt", big);
	assert_int_equal(zip_close(za), 0);

	scan_report_init(&r);
	assert_int_equal(scan_zip(zp, NULL, &r, &err), 0);
	assert_int_equal(r.n, 2);
	assert_int_equal(r.files, 3);
	assert_true(r.bytes > 3 * 1024 * 1024);
	assert_string_equal(r.hits[0].path + r.hits[0].rel, "lambda_function.py");
	assert_int_equal(r.hits[0].line, 3);
	assert_non_null(strstr(r.hits[0].path, "pkg.zip!lambda_function.py"));
	assert_string_equal(r.hits[1].path + r.hits[1].rel, "vendor/big.txt");
	assert_int_equal(r.hits[1].line, 3);
	scan_report_free(&r);
	assert_true(scan_is_zip(zp));

	/* The function's allowlist, by rule and path inside the package. */
	memset(&fn, 0, sizeof fn);
	fn.dir = (char *)"functions/x";
	allow[0] = (char *)"aws-access-key-id lambda_function\\.py";
	fn.scan_allow = allow;
	fn.n_scan_allow = 1;
	scan_report_init(&r);
	assert_int_equal(scan_zip(zp, &fn, &r, &err), 0);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.allowed, 1);
	assert_string_equal(r.hits[0].path + r.hits[0].rel, "vendor/big.txt");
	scan_report_free(&r);

	/* Not a zip, a truncated zip: errors, never "clean". */
	write_file("not.zip", "hello\n");
	scan_report_init(&r);
	dlc_err_clear(&err);
	assert_int_equal(scan_zip(path_of("not.zip"), NULL, &r, &err), -1);
	assert_string_equal(err.code, "ScanFailed");
	assert_false(scan_is_zip(path_of("not.zip")));
	assert_int_equal(truncate(zp, 2000), 0);
	dlc_err_clear(&err);
	assert_int_equal(scan_zip(zp, NULL, &r, &err), -1);
	scan_report_free(&r);
	unlink(path_of("not.zip"));
	unlink(zp);
	free(zp);
	free(big);
}

static int
setup(void **state)
{
	(void)state;
	return mkdtemp(tmproot) == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	(void)state;
	return rmdir(tmproot);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rules_compile_with_jit),
		cmocka_unit_test(test_aws_access_key_id),
		cmocka_unit_test(test_aws_secret_access_key),
		cmocka_unit_test(test_private_key),
		cmocka_unit_test(test_github_tokens),
		cmocka_unit_test(test_slack),
		cmocka_unit_test(test_generic_secret),
		cmocka_unit_test(test_masking),
		cmocka_unit_test(test_streaming),
		cmocka_unit_test(test_binary),
		cmocka_unit_test(test_allow_refusals),
		cmocka_unit_test(test_manifest_and_allow),
		cmocka_unit_test(test_dir),
		cmocka_unit_test(test_zip),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
