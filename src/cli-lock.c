/*
 * dlc lock ls [-e ENV] and dlc lock break -e ENV ID: the team locks in
 * the environments' lock tables (lease.h), and a confirmed, journalled
 * force-unlock. Whether a lease is alive is never taken from the item's
 * times (another machine's clock): this dlc watches the item's version
 * itself, and calls it expired only once it has seen the same version
 * for a whole lease, as a waiter would before taking it over. A break is
 * refused until then.
 */
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "dynamodb.h"
#include "journal.h"
#include "jsonout.h"
#include "lease.h"
#include "loop.h"
#include "push-tty.h"
#include "sanitize.h"
#include "table.h"
#include "xmalloc.h"

/* One lock item as seen and watched by this dlc. */
struct cli_lock_item {
	struct lease_rec	*rec;		/* as first seen */
	const char		*env;		/* the dlc environment it is in */
	const char		*table;
	uint64_t		 seen_ms;	/* when its version was first seen */
	const char		*state;		/* watching, alive, expired, released */
	struct lease_rec	*now;		/* the last read (NULL: gone) */
	int			 read_failed;
	struct dlc_err		 err;
};

struct cli_lock_wait {
	int			 pending;
	struct cli_lock_item	*item;		/* a GetItem's */
	cJSON			*items;		/* a Scan's, taken */
	char			*next;
	struct dlc_err		 err;
	int			 failed;
};

static long long
cli_lock_lease_of(const struct cli_lock_item *it)
{
	return it->rec->lease_ms > 0 ? it->rec->lease_ms : LEASE_DEFAULT_MS;
}

static void
cli_lock_scanned(struct dynamodb_result *res, void *arg)
{
	struct cli_lock_wait *w = arg;

	w->pending = 0;
	if (res->outcome != DYNAMODB_OK) {
		w->failed = 1;
		w->err = res->err;
		return;
	}
	w->items = res->items;
	res->items = NULL;
	w->next = res->next;
	res->next = NULL;
}

/* Every item of table (a consistent scan), appended to *items. */
static int
cli_lock_scan(struct cli_ctx *ctx, struct aws_env *aenv, const char *env,
    const char *table, struct cli_lock_item **items, size_t *n,
    struct dlc_err *err)
{
	struct dynamodb_req r;
	struct cli_lock_wait w;
	char *token = NULL;
	const cJSON *it;

	memset(&r, 0, sizeof r);
	r.table = table;
	r.consistent = 1;
	do {
		memset(&w, 0, sizeof w);
		w.pending = 1;
		dynamodb_scan(aenv, &r, token, cli_lock_scanned, &w);
		aws_wait(&ctx->aws, &w.pending);
		free(token);
		token = w.next;
		if (w.failed) {
			*err = w.err;
			dlc_err_what(err, "reading the lock table %s in %s",
			    table, env);
			dlc_err_fix(err, "check lock-table in dlc.ini's [env %s] "
			    "and that the profile may Scan it", env);
			free(token);
			return -1;
		}
		cJSON_ArrayForEach(it, w.items) {
			struct lease_rec *rec = lease_rec_from_item(it);

			if (rec == NULL)
				continue;	/* not a lock item */
			*items = xreallocarray(*items, *n + 1, sizeof **items);
			memset(&(*items)[*n], 0, sizeof **items);
			(*items)[*n].rec = rec;
			(*items)[*n].env = env;
			(*items)[*n].table = table;
			(*items)[*n].seen_ms = loop_now_ms();
			(*items)[*n].state = "watching";
			(*n)++;
		}
		cJSON_Delete(w.items);
	} while (token != NULL);
	return 0;
}

struct cli_lock_read {
	struct cli_lock_item	*item;
	int			*pending;
};

static void
cli_lock_read_done(struct dynamodb_result *res, void *arg)
{
	struct cli_lock_read *rd = arg;
	struct cli_lock_item *it = rd->item;

	(*rd->pending)--;
	lease_rec_free(it->now);
	it->now = NULL;
	it->read_failed = res->outcome != DYNAMODB_OK;
	if (it->read_failed)
		it->err = res->err;
	else
		it->now = lease_rec_from_item(res->item);
	free(rd);
}

static void
cli_lock_tick(void *arg)
{
	*(int *)arg = 0;
}

/*
 * Reads each watched item again until its version changes (alive), it is
 * gone (released) or this dlc has seen the same version for a whole lease
 * (expired). aenvs[i] is items[i]'s environment.
 */
static int
cli_lock_watch(struct cli_ctx *ctx, struct aws_env **aenvs,
    struct cli_lock_item *items, size_t n, struct dlc_err *err)
{
	struct loop_timer *t;
	int pending;
	size_t i;

	t = loop_timer_new(ctx->aws.loop, cli_lock_tick, &pending);
	for (;;) {
		long long wait_ms = -1;
		uint64_t now;

		pending = 0;
		for (i = 0; i < n; i++) {
			struct cli_lock_read *rd;
			struct dynamodb_req r;
			cJSON *key;

			if (strcmp(items[i].state, "watching") != 0)
				continue;
			key = cJSON_CreateObject();
			if (key == NULL)
				fatal("out of memory reading a lock");
			dynamodb_put_s(key, "key", items[i].rec->key);
			memset(&r, 0, sizeof r);
			r.table = items[i].table;
			r.key = key;
			r.consistent = 1;
			rd = xcalloc(1, sizeof *rd);
			rd->item = &items[i];
			rd->pending = &pending;
			pending++;
			dynamodb_get_item(aenvs[i], &r, cli_lock_read_done, rd);
			cJSON_Delete(key);
		}
		if (pending == 0)
			break;
		aws_wait(&ctx->aws, &pending);
		now = loop_now_ms();
		for (i = 0; i < n; i++) {
			struct cli_lock_item *it = &items[i];
			long long left;

			if (strcmp(it->state, "watching") != 0)
				continue;
			if (it->read_failed) {
				*err = it->err;
				dlc_err_what(err, "reading the lock %s in %s",
				    it->rec->key, it->env);
				loop_timer_free(t);
				return -1;
			}
			if (it->now == NULL) {
				it->state = "released";
				continue;
			}
			if (it->now->rvn == NULL || it->rec->rvn == NULL ||
			    strcmp(it->now->rvn, it->rec->rvn) != 0) {
				it->state = "alive";
				continue;
			}
			left = cli_lock_lease_of(it) -
			    (long long)(now - it->seen_ms);
			if (left <= 0) {
				it->state = "expired";
				continue;
			}
			/* Look again at a quarter lease, and just after it ends. */
			if (left > cli_lock_lease_of(it) / 4)
				left = cli_lock_lease_of(it) / 4;
			if (left < 50)
				left = 50;
			if (wait_ms < 0 || left < wait_ms)
				wait_ms = left;
		}
		if (wait_ms < 0)
			break;
		pending = 1;
		loop_timer_start(t, (long)wait_ms + 1);
		aws_wait(&ctx->aws, &pending);
	}
	loop_timer_free(t);
	return 0;
}

static void
cli_lock_items_free(struct cli_lock_item *items, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		lease_rec_free(items[i].rec);
		lease_rec_free(items[i].now);
	}
	free(items);
}

static cJSON *
cli_lock_json(const struct cli_lock_item *it)
{
	cJSON *o = cJSON_CreateObject();
	const struct lease_rec *r = it->rec;

	if (o == NULL)
		fatal("out of memory printing locks");
	cJSON_AddStringToObject(o, "Environment", it->env);
	cJSON_AddStringToObject(o, "Table", it->table);
	cJSON_AddItemToObject(o, "Key", jsonout_string_or_null(r->key));
	cJSON_AddItemToObject(o, "Holder", jsonout_string_or_null(r->owner));
	cJSON_AddItemToObject(o, "Function",
	    jsonout_string_or_null(r->function));
	cJSON_AddItemToObject(o, "Env", jsonout_string_or_null(r->env));
	cJSON_AddItemToObject(o, "Commit", jsonout_string_or_null(r->commit));
	cJSON_AddItemToObject(o, "Job", jsonout_string_or_null(r->job));
	cJSON_AddItemToObject(o, "Since", jsonout_string_or_null(r->since));
	cJSON_AddNumberToObject(o, "LeaseMs", (double)cli_lock_lease_of(it));
	cJSON_AddItemToObject(o, "Version", jsonout_string_or_null(r->rvn));
	cJSON_AddStringToObject(o, "State", it->state);
	return o;
}

static void
cli_lock_print_text(const struct cli_lock_item *items, size_t n)
{
	static const char *const headers[] = { "ENV", "KEY", "HOLDER", "FUNCTION",
	    "COMMIT", "JOB", "SINCE", "LEASE", "STATE" };
	enum { NCOLS = sizeof headers / sizeof headers[0] };
	struct table *t = table_new(NCOLS, headers);
	struct buf out;
	size_t i;

	for (i = 0; i < 6; i++)
		table_set_identifier(t, i, 1);
	table_set_align(t, 7, 1);
	for (i = 0; i < n; i++) {
		const struct lease_rec *r = items[i].rec;
		const char *cells[NCOLS];
		char lease[32];

		snprintf(lease, sizeof lease, "%g s",
		    (double)cli_lock_lease_of(&items[i]) / 1000);
		cells[0] = items[i].env;
		cells[1] = r->key;
		cells[2] = r->owner;
		cells[3] = r->function;
		cells[4] = r->commit;
		cells[5] = r->job;
		cells[6] = r->since;
		cells[7] = lease;
		cells[8] = items[i].state;
		table_add_row(t, cells);
	}
	buf_init(&out, 0);
	if (n > 0)
		table_render(t, &out, 0);
	if (out.len > 0)
		fwrite(out.data, 1, out.len, stdout);
	buf_free(&out);
	table_free(t);
}

/* The environments named (-e) or, without, all with a lock-table. */
static int
cli_lock_envs(struct cli_ctx *ctx, const char *name,
    const struct dlc_env ***envs, size_t *n, struct dlc_err *err)
{
	const struct dlc_env *env;
	size_t i;

	*n = 0;
	*envs = xcalloc(ctx->cfg.n_envs + 1, sizeof **envs);
	if (name != NULL) {
		if ((env = cli_find_env(ctx, name, err)) == NULL)
			return -1;
		if (env->lock_table == NULL) {
			dlc_err_set(err, "NoLockTable", "environment %s has no "
			    "team lock", env->name);
			dlc_err_fix(err, "add lock-table = NAME to [env %s] in "
			    "%s", env->name, ctx->cfg.path);
			return -1;
		}
		(*envs)[(*n)++] = env;
		return 0;
	}
	for (i = 0; i < ctx->cfg.n_envs; i++)
		if (ctx->cfg.envs[i].lock_table != NULL)
			(*envs)[(*n)++] = &ctx->cfg.envs[i];
	return 0;
}

static int
cli_lock_ls(struct cli_ctx *ctx, const char *env_name, struct dlc_err *err)
{
	const struct dlc_env **envs = NULL;
	struct aws_env **opened = NULL, **per_item = NULL;
	struct cli_lock_item *items = NULL;
	size_t n_envs = 0, n = 0, i, before;
	int rc = -1;

	if (cli_lock_envs(ctx, env_name, &envs, &n_envs, err) != 0)
		goto out;
	opened = xcalloc(n_envs + 1, sizeof *opened);
	for (i = 0; i < n_envs; i++) {
		if ((opened[i] = cli_open_env(ctx, envs[i], err)) == NULL ||
		    cli_check_account(ctx, opened[i], envs[i], err) != 0)
			goto out;
		before = n;
		if (cli_lock_scan(ctx, opened[i], envs[i]->name,
		    envs[i]->lock_table, &items, &n, err) != 0)
			goto out;
		per_item = xreallocarray(per_item, n + 1, sizeof *per_item);
		for (; before < n; before++)
			per_item[before] = opened[i];
	}
	if (n > 0 && !ctx->json)
		fprintf(stderr, "dlc: watching %zu lock%s for up to a lease to "
		    "tell alive from expired\n", n, n == 1 ? "" : "s");
	if (cli_lock_watch(ctx, per_item, items, n, err) != 0)
		goto out;
	if (ctx->json) {
		cJSON *root = cJSON_CreateObject();
		cJSON *list = cJSON_AddArrayToObject(root, "Locks");

		for (i = 0; i < n; i++)
			cJSON_AddItemToArray(list, cli_lock_json(&items[i]));
		jsonout_write(stdout, root, 1);
		cJSON_Delete(root);
	} else {
		cli_lock_print_text(items, n);
		if (n_envs == 0)
			fprintf(stderr, "dlc: no environment of %s has a "
			    "lock-table\n", ctx->cfg.path);
	}
	rc = 0;
out:
	cli_lock_items_free(items, n);
	for (i = 0; opened != NULL && i < n_envs; i++)
		cli_close_env(opened[i]);
	free(opened);
	free(per_item);
	free(envs);
	return rc;
}

/* The item whose key is id, or whose job starts with it (once). */
static int
cli_lock_find(struct cli_lock_item *items, size_t n, const char *id,
    const char *env, size_t *found, struct dlc_err *err)
{
	size_t i, hits = 0, len = strlen(id);

	for (i = 0; i < n; i++) {
		if (items[i].rec->key != NULL &&
		    strcmp(items[i].rec->key, id) == 0) {
			*found = i;
			return 0;
		}
	}
	for (i = 0; i < n; i++) {
		if (items[i].rec->job != NULL && len > 0 &&
		    strncmp(items[i].rec->job, id, len) == 0) {
			*found = i;
			hits++;
		}
	}
	if (hits == 1)
		return 0;
	dlc_err_set(err, hits == 0 ? "NoSuchLock" : "AmbiguousLock",
	    hits == 0 ? "no lock %s in %s" : "%s names several locks in %s",
	    id, env);
	dlc_err_fix(err, "name a lock by its key or its job id, as dlc lock "
	    "ls -e %s shows them", env);
	return -1;
}

static void
cli_lock_deleted(struct dynamodb_result *res, void *arg)
{
	struct cli_lock_wait *w = arg;

	w->pending = 0;
	w->failed = res->outcome != DYNAMODB_OK;
	w->err = res->err;
	if (res->outcome == DYNAMODB_AMBIGUOUS)
		w->failed = 2;
}

static void
cli_lock_journalled(const struct dlc_err *err, void *arg)
{
	struct cli_lock_wait *w = arg;

	w->pending = 0;
	if (err != NULL) {
		w->failed = 1;
		w->err = *err;
	}
}

/* The "lock-break" record, synced before the command says it is done. */
static int
cli_lock_journal(struct cli_ctx *ctx, const struct cli_lock_item *it,
    struct dlc_err *err)
{
	const struct lease_rec *r = it->rec;
	struct journal *j = journal_open(ctx->aws.loop, err);
	struct cli_lock_wait w;
	cJSON *rec, *holder;
	char *by;

	if (j == NULL)
		return -1;
	by = lease_owner();
	rec = cJSON_CreateObject();
	holder = cJSON_CreateObject();
	if (rec == NULL || holder == NULL)
		fatal("out of memory writing the journal");
	cJSON_AddItemToObject(rec, "job", jsonout_string_or_null(r->job));
	cJSON_AddStringToObject(rec, "ev", "lock-break");
	cJSON_AddStringToObject(rec, "table", it->table);
	cJSON_AddStringToObject(rec, "key", r->key);
	cJSON_AddItemToObject(rec, "version", jsonout_string_or_null(r->rvn));
	cJSON_AddItemToObject(holder, "owner", jsonout_string_or_null(r->owner));
	cJSON_AddItemToObject(holder, "function",
	    jsonout_string_or_null(r->function));
	cJSON_AddItemToObject(holder, "env", jsonout_string_or_null(r->env));
	cJSON_AddItemToObject(holder, "commit",
	    jsonout_string_or_null(r->commit));
	cJSON_AddItemToObject(holder, "since", jsonout_string_or_null(r->since));
	cJSON_AddItemToObject(rec, "holder", holder);
	cJSON_AddStringToObject(rec, "by", by);
	free(by);
	memset(&w, 0, sizeof w);
	w.pending = 1;
	journal_append(j, rec, cli_lock_journalled, &w);
	aws_wait(&ctx->aws, &w.pending);
	journal_free(j);
	if (w.failed) {
		*err = w.err;
		return -1;
	}
	return 0;
}

static int
cli_lock_break(struct cli_ctx *ctx, const char *env_name, const char *id,
    const char *confirm, struct dlc_err *err)
{
	const struct dlc_env **envs = NULL;
	struct aws_env *aenv = NULL;
	struct cli_lock_item *items = NULL, *it;
	struct cli_lock_wait w;
	struct dynamodb_req r;
	size_t n_envs = 0, n = 0, found = 0;
	char *typed = NULL, prompt[512];
	cJSON *key = NULL, *names = NULL, *values = NULL;
	int rc = -1;

	if (env_name == NULL) {
		dlc_err_set(err, "Usage", "dlc lock break needs -e ENV");
		dlc_err_fix(err, "dlc lock break -e ENV KEY|JOB");
		goto out;
	}
	if (cli_lock_envs(ctx, env_name, &envs, &n_envs, err) != 0)
		goto out;
	if ((aenv = cli_open_env(ctx, envs[0], err)) == NULL ||
	    cli_check_account(ctx, aenv, envs[0], err) != 0)
		goto out;
	if (cli_lock_scan(ctx, aenv, envs[0]->name, envs[0]->lock_table,
	    &items, &n, err) != 0 ||
	    cli_lock_find(items, n, id, envs[0]->name, &found, err) != 0)
		goto out;
	it = &items[found];
	/* Asked before the wait, so nobody waits a lease to be asked. */
	snprintf(prompt, sizeof prompt, "Breaking the lock %s in %s "
	    "(always confirmed). Type the environment's name to go on: ",
	    it->rec->key, envs[0]->name);
	typed = confirm != NULL ? xstrdup(confirm) : push_tty_ask(prompt);
	if (typed == NULL || strcmp(typed, envs[0]->name) != 0) {
		dlc_err_set(err, "ConfirmationRequired", typed == NULL ?
		    "breaking a lock in %s needs its name typed back" :
		    "the name typed back is not %s", envs[0]->name);
		dlc_err_fix(err, "run it on a terminal, or add --confirm %s",
		    envs[0]->name);
		goto out;
	}
	if (!ctx->json)
		fprintf(stderr, "dlc: watching %s for a whole lease (%g s) "
		    "before breaking it\n", it->rec->key,
		    (double)cli_lock_lease_of(it) / 1000);
	if (cli_lock_watch(ctx, &aenv, it, 1, err) != 0)
		goto out;
	if (strcmp(it->state, "released") == 0) {
		dlc_err_set(err, "NoSuchLock", "the lock %s was released "
		    "meanwhile", it->rec->key);
		dlc_err_fix(err, "nothing to break");
		goto out;
	}
	if (strcmp(it->state, "alive") == 0) {
		dlc_err_set(err, "LeaseAlive", "the lock %s is alive: its "
		    "holder %s renewed it while this dlc watched",
		    it->rec->key, it->now != NULL && it->now->owner != NULL ?
		    it->now->owner : "?");
		dlc_err_fix(err, "wait for job %s to end, or cancel it (dlc "
		    "queue cancel %s); a dead holder's lease expires by itself",
		    it->rec->job != NULL ? it->rec->job : "?",
		    it->rec->job != NULL ? it->rec->job : "ID");
		goto out;
	}
	/* Expired by this dlc's clock: delete that version, and only it. */
	key = cJSON_CreateObject();
	names = cJSON_CreateObject();
	values = cJSON_CreateObject();
	if (key == NULL || names == NULL || values == NULL ||
	    cJSON_AddStringToObject(names, "#r", "rvn") == NULL)
		fatal("out of memory breaking a lock");
	dynamodb_put_s(key, "key", it->rec->key);
	dynamodb_put_s(values, ":r", it->rec->rvn != NULL ? it->rec->rvn : "");
	memset(&r, 0, sizeof r);
	r.table = it->table;
	r.key = key;
	r.condition = "#r = :r";
	r.names = names;
	r.values = values;
	r.old_on_fail = 1;
	memset(&w, 0, sizeof w);
	w.pending = 1;
	dynamodb_delete_item(aenv, &r, cli_lock_deleted, &w);
	aws_wait(&ctx->aws, &w.pending);
	if (w.failed) {
		*err = w.err;
		if (w.failed == 2)
			dlc_err_fix(err, "it may or may not be deleted: see dlc "
			    "lock ls -e %s", envs[0]->name);
		else if (strcmp(err->code, "ConditionalCheckFailedException") == 0)
			dlc_err_fix(err, "it changed at the last moment: its "
			    "holder came back or another dlc took it over");
		goto out;
	}
	if (cli_lock_journal(ctx, it, err) != 0) {
		dlc_err_what(err, "journalling the broken lock %s", it->rec->key);
		goto out;
	}
	if (ctx->json) {
		cJSON *root = cli_lock_json(it);

		cJSON_ReplaceItemInObject(root, "State", cJSON_CreateString(
		    "broken"));
		jsonout_write(stdout, root, 1);
		cJSON_Delete(root);
	} else {
		char *line = xasprintf("broke the lock %s in %s (held by %s, "
		    "job %s, version %s)\n", it->rec->key, envs[0]->name,
		    it->rec->owner != NULL ? it->rec->owner : "?",
		    it->rec->job != NULL ? it->rec->job : "?",
		    it->rec->rvn != NULL ? it->rec->rvn : "?");
		char *clean = sanitize_str(line);

		fputs(clean, stdout);
		free(clean);
		free(line);
	}
	rc = 0;
out:
	cJSON_Delete(key);
	cJSON_Delete(names);
	cJSON_Delete(values);
	free(typed);
	cli_lock_items_free(items, n);
	cli_close_env(aenv);
	free(envs);
	return rc;
}

int
cli_lock_run(struct cli_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "env", required_argument, NULL, 'e' },
		{ "confirm", required_argument, NULL, 'y' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const struct cli_command *cmd = cli_command_find("lock");
	const char *env_name = NULL, *confirm = NULL, *sub;
	struct dlc_err err;
	int ch, rc = CLI_FAIL, ls;

	while ((ch = getopt_long(argc, argv, "e:o:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'e':
			env_name = optarg;
			break;
		case 'y':
			confirm = optarg;
			break;
		default:
			if (cli_common_option(ctx, cmd, ch, optarg, &rc))
				return rc;
			break;
		}
	}
	sub = optind < argc ? argv[optind] : "";
	ls = strcmp(sub, "ls") == 0;
	if ((!ls && strcmp(sub, "break") != 0) ||
	    argc - optind != (ls ? 1 : 2)) {
		fprintf(stderr, "dlc lock: say ls, or break and the lock's key "
		    "or job id\n");
		cli_command_help(cmd, stderr);
		return CLI_USAGE;
	}
	dlc_err_clear(&err);
	if (cli_setup(ctx, &err) != 0) {
		cli_teardown(ctx);
		return cli_error(&err);
	}
	if (ls)
		rc = cli_lock_ls(ctx, env_name, &err);
	else
		rc = cli_lock_break(ctx, env_name, argv[optind + 1], confirm,
		    &err);
	if (rc != 0) {
		cli_error(&err);
		rc = strcmp(err.code, "Usage") == 0 ? CLI_USAGE : CLI_FAIL;
	}
	cli_teardown(ctx);
	return rc;
}
