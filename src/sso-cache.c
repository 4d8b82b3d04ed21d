/* SSO profile settings and the shared token cache. */
#include "sso-cache.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <openssl/crypto.h>

#include "awsconfig.h"
#include "buf.h"
#include "hash.h"
#include "proto-json.h"
#include "timeutil.h"
#include "wipe.h"
#include "xmalloc.h"

#define SSO_CACHE_LIMIT (1024 * 1024)

void
sso_cache_profile_clear(struct sso_cache_profile *p)
{
	free(p->start_url);
	free(p->region);
	free(p->session_name);
	free(p->account_id);
	free(p->role_name);
	free(p->scopes);
	free(p->cache_key);
	memset(p, 0, sizeof *p);
}

void
sso_cache_token_clear(struct sso_cache_token *t)
{
	if (t == NULL)
		return;
	free(t->start_url);
	free(t->region);
	wipe_free(&t->access_token);
	wipe_free(&t->refresh_token);
	free(t->client_id);
	wipe_free(&t->client_secret);
	memset(t, 0, sizeof *t);
}

/* A key set in both the profile and its session must agree (botocore). */
static int
sso_cache_merge(const struct aws_config *cfg, const char *profile, const char *session,
    const char *key, char **out, struct dlc_err *err)
{
	const char *pv = aws_config_get(cfg, profile, key);
	const char *sv = session != NULL ? aws_config_sso_session_get(cfg, session, key) : NULL;

	if (pv != NULL && sv != NULL && strcmp(pv, sv) != 0) {
		dlc_err_set(err, "InvalidConfig", "profile '%s' and sso-session '%s' disagree on %s", profile, session, key);
		dlc_err_fix(err, "keep %s in one place in the AWS config file", key);
		return -1;
	}
	*out = xstrdup(sv != NULL ? sv : pv);
	return 0;
}

int
sso_cache_profile_load(const struct aws_config *cfg, const char *profile, int need_role,
    struct sso_cache_profile *out, struct dlc_err *err)
{
	const char *session = aws_config_get(cfg, profile, "sso_session");

	memset(out, 0, sizeof *out);
	if (session != NULL && aws_config_sso_session_get(cfg, session, "sso_start_url") == NULL &&
	    aws_config_sso_session_get(cfg, session, "sso_region") == NULL) {
		dlc_err_set(err, "InvalidConfig", "profile '%s' names sso-session '%s', which is not in the AWS config file", profile, session);
		dlc_err_fix(err, "add [sso-session %s] with sso_start_url and sso_region", session);
		return -1;
	}
	if (sso_cache_merge(cfg, profile, session, "sso_start_url", &out->start_url, err) != 0 ||
	    sso_cache_merge(cfg, profile, session, "sso_region", &out->region, err) != 0)
		goto fail;
	out->session_name = xstrdup(session);
	out->account_id = xstrdup(aws_config_get(cfg, profile, "sso_account_id"));
	out->role_name = xstrdup(aws_config_get(cfg, profile, "sso_role_name"));
	if (session != NULL)
		out->scopes = xstrdup(aws_config_sso_session_get(cfg, session, "sso_registration_scopes"));
	if (out->start_url == NULL || out->region == NULL) {
		dlc_err_set(err, "InvalidConfig", "profile '%s' lacks sso_start_url or sso_region", profile);
		dlc_err_fix(err, "run 'aws configure sso --profile %s' or add the keys by hand", profile);
		goto fail;
	}
	if (need_role && (out->account_id == NULL || out->role_name == NULL)) {
		dlc_err_set(err, "InvalidConfig", "profile '%s' needs both sso_account_id and sso_role_name", profile);
		dlc_err_fix(err, "add the missing key to [profile %s]", profile);
		goto fail;
	}
	out->cache_key = xstrdup(session != NULL ? session : out->start_url);
	return 0;
fail:
	sso_cache_profile_clear(out);
	return -1;
}

/*
 * The cache lives under $HOME as the aws CLI's does; without HOME there is
 * no such place, and falling back to the current folder would leave access
 * tokens wherever dlc happened to run.
 */
static int
sso_cache_home_check(struct dlc_err *err)
{
	const char *home = getenv("HOME");

	if (home != NULL && *home != '\0')
		return 0;
	dlc_err_set(err, "NoHome", "HOME is not set, so there is no ~/.aws/sso/cache "
	    "for the SSO login: set HOME to your home folder and run again");
	return -1;
}

char *
sso_cache_path(const char *key)
{
	const char *home = getenv("HOME");
	char sha[41];

	/* Never a relative folder: the token must not land wherever dlc ran. */
	if (home == NULL || *home == '\0')
		return NULL;
	hash_sha1_hex(key, strlen(key), sha);
	return xasprintf("%s/.aws/sso/cache/%s.json", home, sha);
}

static char *
sso_cache_str(const cJSON *root, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(root, name);

	return cJSON_IsString(v) ? xstrdup(v->valuestring) : NULL;
}

/*
 * The cache's times in every form its writers use: botocore and the aws CLI
 * v2 write "2026-12-01T10:00:00Z", the aws CLI v1 "...T10:00:00UTC", and
 * other tools a space instead of the T or before the zone (botocore reads
 * them all with dateutil). They are brought to ISO 8601 here rather than
 * loosening timeutil, whose strictness the --since parser relies on.
 */
static int
sso_cache_parse_time(const char *s, time_t *out)
{
	char iso[64];
	size_t n = strlen(s);

	if (n < 10 || n >= sizeof iso)
		return -1;
	memcpy(iso, s, n + 1);
	if (n > 10 && iso[10] == ' ')
		iso[10] = 'T';
	if (n > 3 && strcmp(iso + n - 3, "UTC") == 0) {
		n -= 3;
		if (n > 0 && iso[n - 1] == ' ')
			n--;
		iso[n++] = 'Z';
		iso[n] = '\0';
	} else if (n > 2 && iso[n - 2] == ' ' && iso[n - 1] == 'Z') {
		iso[n - 2] = 'Z';
		iso[n - 1] = '\0';
	}
	return timeutil_parse_iso8601(iso, out, NULL);
}

static time_t
sso_cache_time(const cJSON *root, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(root, name);
	time_t t;

	if (!cJSON_IsString(v) || sso_cache_parse_time(v->valuestring, &t) != 0)
		return 0;
	return t;
}

int
sso_cache_read(const char *key, struct sso_cache_token *out, struct dlc_err *err)
{
	char *path;
	struct buf data;
	cJSON *root = NULL;
	FILE *f;
	char chunk[4096];
	size_t n;
	int rc = -1;

	memset(out, 0, sizeof *out);
	if (sso_cache_home_check(err) != 0)
		return -1;
	path = sso_cache_path(key);
	buf_init(&data, SSO_CACHE_LIMIT);
	f = fopen(path, "r");
	if (f == NULL) {
		dlc_err_set(err, errno == ENOENT ? "ENOENT" : "InvalidCache", "%s: %s", path, strerror(errno));
		goto out;
	}
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		if (buf_append(&data, chunk, n) != 0) {
			dlc_err_set(err, "InvalidCache", "%s: larger than 1 MiB", path);
			fclose(f);
			goto out;
		}
	}
	fclose(f);
	root = cJSON_ParseWithLength(data.data != NULL ? data.data : "", data.len);
	if (root == NULL || !cJSON_IsObject(root)) {
		dlc_err_set(err, "InvalidCache", "%s: not a JSON object", path);
		goto out;
	}
	out->access_token = sso_cache_str(root, "accessToken");
	out->expires_at = sso_cache_time(root, "expiresAt");
	if (out->access_token == NULL || out->expires_at == 0) {
		/* botocore treats such a file as no login at all. */
		dlc_err_set(err, "InvalidCache", "%s: no accessToken or expiresAt", path);
		sso_cache_token_clear(out);
		goto out;
	}
	out->start_url = sso_cache_str(root, "startUrl");
	out->region = sso_cache_str(root, "region");
	out->refresh_token = sso_cache_str(root, "refreshToken");
	out->client_id = sso_cache_str(root, "clientId");
	out->client_secret = sso_cache_str(root, "clientSecret");
	out->registration_expires_at = sso_cache_time(root, "registrationExpiresAt");
	rc = 0;
out:
	wipe_buf_free(&data);
	proto_json_delete_wiped(root);	/* tokens and the client secret */
	free(path);
	return rc;
}

static int
sso_cache_mkdirs(const char *path)
{
	char *dir = xstrdup(path);
	char *p;

	for (p = dir + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
			free(dir);
			return -1;
		}
		*p = '/';
	}
	free(dir);
	return 0;
}

static void
sso_cache_put_time(cJSON *root, const char *name, time_t t)
{
	char when[32];

	if (t == 0)
		return;
	timeutil_format_iso(t, when, sizeof when);
	cJSON_AddStringToObject(root, name, when);
}

int
sso_cache_write(const char *key, const struct sso_cache_token *t, struct dlc_err *err)
{
	char *path, *tmp;
	cJSON *root;
	char *text = NULL;
	int fd = -1, rc = -1;
	size_t len;

	if (sso_cache_home_check(err) != 0)
		return -1;
	path = sso_cache_path(key);
	tmp = xasprintf("%s.tmp.%ld", path, (long)getpid());
	root = cJSON_CreateObject();

	if (t->start_url != NULL)
		cJSON_AddStringToObject(root, "startUrl", t->start_url);
	if (t->region != NULL)
		cJSON_AddStringToObject(root, "region", t->region);
	cJSON_AddStringToObject(root, "accessToken", t->access_token);
	sso_cache_put_time(root, "expiresAt", t->expires_at);
	if (t->client_id != NULL)
		cJSON_AddStringToObject(root, "clientId", t->client_id);
	if (t->client_secret != NULL)
		cJSON_AddStringToObject(root, "clientSecret", t->client_secret);
	sso_cache_put_time(root, "registrationExpiresAt", t->registration_expires_at);
	if (t->refresh_token != NULL)
		cJSON_AddStringToObject(root, "refreshToken", t->refresh_token);
	text = cJSON_Print(root);
	len = strlen(text);
	if (sso_cache_mkdirs(path) != 0 ||
	    (fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0600)) < 0 ||
	    write(fd, text, len) != (ssize_t)len || fsync(fd) != 0) {
		dlc_err_set(err, "CacheWriteFailed", "writing %s: %s", path, strerror(errno));
		goto out;
	}
	close(fd);
	fd = -1;
	if (rename(tmp, path) != 0) {
		dlc_err_set(err, "CacheWriteFailed", "renaming %s: %s", tmp, strerror(errno));
		goto out;
	}
	rc = 0;
out:
	if (fd >= 0)
		close(fd);
	if (rc != 0)
		unlink(tmp);
	if (text != NULL) {
		OPENSSL_cleanse(text, strlen(text));
		free(text);
	}
	proto_json_delete_wiped(root);
	free(tmp);
	free(path);
	return rc;
}
