/*
 * The code checks: a runtime AWS has not deprecated (lambda.c's table,
 * the one place with the dates), the newest version of each layer, and
 * the deployed code against the local package (drift.h, with the local
 * CodeSha256 of the build in the build folder, as the DRIFT column finds
 * it: an unbuilt package is a warning, not a failure, since the audit
 * never builds). A function with no folder here is an orphan.
 */
#include "audit-facts.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "drift.h"
#include "manifest.h"
#include "xmalloc.h"

/* Warned this long before a runtime's deprecation date. */
#define AUDIT_RUNTIME_NOTICE	(180L * 24 * 3600)

enum audit_result
audit_check_runtime(struct audit_out *o)
{
	const char *rt = o->fn->fn.runtime;

	if (rt == NULL)
		return AUDIT_NA;	/* a container image: no managed runtime */
	if (lambda_runtime_deprecated_at(rt, o->facts->now)) {
		audit_add_finding(o, "runtime", AUDIT_FAIL, "high",
		    xasprintf("runtime %s is deprecated: no security patches, "
		    "and soon no updates", rt),
		    audit_fix_terraform(o, NEW_TF_FUNCTION, "set runtime (and the manifest's "
		    "runtime =) to a supported one"));
		return AUDIT_FAIL;
	}
	if (lambda_runtime_deprecated_at(rt, o->facts->now + AUDIT_RUNTIME_NOTICE)) {
		audit_add_finding(o, "runtime", AUDIT_WARN, "low",
		    xasprintf("runtime %s is deprecated within 6 months", rt),
		    audit_fix_terraform(o, NEW_TF_FUNCTION, "plan the move to a newer runtime"));
		return AUDIT_WARN;
	}
	return AUDIT_PASS;
}

static const struct audit_layer *
audit_layer_find(const struct audit_facts *f, const char *arn)
{
	size_t i;

	for (i = 0; i < f->n_layers; i++)
		if (strcmp(f->layers[i].arn, arn) == 0)
			return &f->layers[i];
	return NULL;
}

/*
 * Whether the function has the layer folder need, which its manifest
 * names: an attached layer whose name, through the environment's template,
 * is need's (its `name =` when it has one).
 */
static int
audit_layer_attached(const struct audit_out *o, const char *need)
{
	const struct lambda_function *fn = &o->fn->fn;
	const struct local_function *nl = manifest_find(o->facts->locals,
	    o->facts->n_locals, need);
	const char *want = nl != NULL ? nl->remote_base : need;
	const char *name;
	char *remote, *local;
	size_t i, nlen;
	int found = 0;

	for (i = 0; i < fn->n_layers && !found; i++) {
		if ((name = lambda_layer_arn_name(fn->layers[i].arn, &nlen)) == NULL)
			continue;
		remote = xstrndup(name, nlen);
		local = dlc_env_local_name(o->facts->env, remote);
		found = local != NULL && strcmp(local, want) == 0;
		free(local);
		free(remote);
	}
	return found;
}

enum audit_result
audit_check_layers(struct audit_out *o)
{
	const struct lambda_function *fn = &o->fn->fn;
	const struct audit_layer *l;
	enum audit_result res = AUDIT_PASS;
	struct buf why;
	char *arn;
	long version;
	size_t i, nlen;
	const char *name;

	const struct local_function *lf = o->fn->local;
	struct buf missing;

	if (fn->n_layers == 0 && (lf == NULL || lf->n_layers == 0))
		return AUDIT_NA;
	/* A layer the manifest needs and Lambda lacks: its imports fail at run time. */
	buf_init(&missing, 0);
	for (i = 0; lf != NULL && o->facts->env != NULL && i < lf->n_layers; i++)
		if (!audit_layer_attached(o, lf->layers[i]))
			buf_printf(&missing, "%s%s", missing.len > 0 ? ", " : "", lf->layers[i]);
	buf_init(&why, 0);
	for (i = 0; i < fn->n_layers; i++) {
		if (lambda_layer_arn_split(fn->layers[i].arn, &arn, &version) != 0) {
			res = AUDIT_UNKNOWN;
			continue;
		}
		l = audit_layer_find(o->facts, arn);
		free(arn);
		if (l == NULL || l->latest == 0) {
			if (res == AUDIT_PASS)
				res = AUDIT_UNKNOWN;
			continue;
		}
		if (l->latest > version) {
			name = lambda_layer_arn_name(fn->layers[i].arn, &nlen);
			buf_printf(&why, "%s%.*s:%ld (%ld is out)", why.len > 0 ? ", " : "",
			    (int)nlen, name != NULL ? name : "?", version, l->latest);
			res = AUDIT_WARN;
		}
	}
	if (missing.len > 0) {
		audit_add_finding(o, "layers", AUDIT_FAIL, "high",
		    xasprintf("lacks the layers its manifest needs: %s%s%s", missing.data,
		    why.len > 0 ? "; uses older layer versions: " : "",
		    why.len > 0 ? why.data : ""),
		    audit_fix_terraform(o, NEW_TF_LAYERS, "attach every layer the manifest "
		    "names, at its newest version"));
		res = AUDIT_FAIL;
	} else if (res == AUDIT_WARN)
		audit_add_finding(o, "layers", AUDIT_WARN, "low",
		    xasprintf("uses older layer versions: %s", why.data),
		    audit_fix_terraform(o, NEW_TF_LAYERS, "the module reads the newest version: "
		    "terraform apply picks it up"));
	buf_free(&missing);
	buf_free(&why);
	return res;
}

enum audit_result
audit_check_drift(struct audit_out *o)
{
	const struct audit_fn *af = o->fn;
	const struct audit_facts *f = o->facts;
	struct drift_row row;
	enum audit_result res;
	struct buf why;
	size_t i;

	if (af->local == NULL) {
		audit_add_finding(o, "orphan", AUDIT_WARN, "medium",
		    xasprintf("no folder under functions/ deploys %s: its code "
		    "is nowhere in this checkout", af->fn.function_name),
		    xasprintf("# add its folder (dlc new %s --source ...) or "
		    "remove its module from the Terraform\n", o->local_name));
		o->report->findings[o->report->n_findings - 1].subject =
		    xstrdup(af->fn.function_name);
		return AUDIT_NA;
	}
	if (af->local_state == AUDIT_LOCAL_ERROR)
		return AUDIT_UNKNOWN;
	if (af->local_state == AUDIT_LOCAL_NOT_BUILT) {
		audit_add_finding(o, "drift", AUDIT_WARN, "low",
		    xasprintf("%s has no build of its current files: the deployed "
		    "code was not compared", af->local->name),
		    xasprintf("dlc build %s   # then dlc audit again, or dlc diff\n",
		    af->local->name));
		return AUDIT_WARN;
	}
	drift_compare_function(f->env, f->locals, f->n_locals, af->local,
	    af->local_sha, &af->fn, &row);
	if (!drift_row_differs(&row)) {
		drift_row_clear(&row);
		return AUDIT_PASS;
	}
	buf_init(&why, 0);
	if (row.state != DRIFT_IN_SYNC)
		buf_printf(&why, "code: %s (deployed %s, local %s)",
		    drift_state_name(row.state),
		    row.remote_sha != NULL ? row.remote_sha : "-",
		    row.local_sha != NULL ? row.local_sha : "-");
	for (i = 0; i < row.n_items; i++)
		buf_printf(&why, "%s%s: %s here, %s deployed", why.len > 0 ? "; " : "",
		    row.items[i].field, row.items[i].local != NULL ? row.items[i].local : "-",
		    row.items[i].remote != NULL ? row.items[i].remote : "-");
	res = AUDIT_FAIL;
	audit_add_finding(o, "drift", res, "medium",
	    xasprintf("differs from this checkout: %s", why.data),
	    xasprintf("dlc push -e %s %s   # or dlc diff -e %s %s to see it\n",
	    f->env != NULL ? f->env->name : "ENV", af->local->name,
	    f->env != NULL ? f->env->name : "ENV", af->local->name));
	buf_free(&why);
	drift_row_clear(&row);
	return res;
}
