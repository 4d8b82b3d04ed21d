/* Which deployment a rollback goes back to: see rollback.h. */
#include "rollback.h"

#include <string.h>
#include <unistd.h>

#include "jobstate.h"

static int
rollback_is(const char *s, const char *want)
{
	return s != NULL && strcmp(s, want) == 0;
}

/* A successful code deployment of function to env, with its CodeSha256. */
static int
rollback_candidate(const struct jobstate *js, const char *env,
    const char *function)
{
	return js->state == JOBSTATE_ENDED && rollback_is(js->outcome,
	    "deployed") && rollback_is(js->env, env) &&
	    rollback_is(js->function, function) &&
	    (rollback_is(js->kind, "code") || rollback_is(js->kind,
	    "rollback")) && js->code_sha256 != NULL;
}

const struct jobstate *
rollback_target(const struct jobstate_set *set, const char *env,
    const char *function, const char *to, const char *deployed,
    struct dlc_err *err)
{
	const struct jobstate *js, *best = NULL;
	size_t i;

	if (to != NULL) {
		js = jobstate_set_find(set, to);
		if (js == NULL) {
			dlc_err_set(err, "NoSuchJob", "no job '%s' in this "
			    "machine's journal", to);
			dlc_err_fix(err, "'dlc history -e %s %s' lists its "
			    "deployments and their ids", env, function);
			return NULL;
		}
		if (!rollback_candidate(js, env, function)) {
			dlc_err_set(err, "NotADeployment", "job %s is not a "
			    "successful deployment of %s to %s (%s %s of %s to "
			    "%s)", js->id, function, env, js->kind != NULL ?
			    js->kind : "?", js->outcome != NULL ? js->outcome :
			    jobstate_state_name(js->state), js->function != NULL ?
			    js->function : "?", js->env != NULL ? js->env : "?");
			dlc_err_fix(err, "'dlc history -e %s %s' lists its "
			    "deployments and their ids", env, function);
			return NULL;
		}
		return js;
	}
	for (i = 0; i < jobstate_set_count(set); i++) {
		js = jobstate_set_nth(set, i);
		if (!rollback_candidate(js, env, function) || (deployed != NULL &&
		    strcmp(js->code_sha256, deployed) == 0))
			continue;
		if (best == NULL || js->ended_ms > best->ended_ms)
			best = js;
	}
	if (best == NULL) {
		dlc_err_set(err, "NothingToRollBack", "no earlier deployment of "
		    "%s to %s with another CodeSha256 than the deployed %s in "
		    "this machine's journal", function, env,
		    deployed != NULL ? deployed : "(none)");
		dlc_err_fix(err, "check out the commit to go back to and 'dlc "
		    "push -e %s %s'", env, function);
	}
	return best;
}

int
rollback_package_kept(const struct jobstate *js, const char *env,
    const char *function, struct dlc_err *err)
{
	if (js->package != NULL && access(js->package, R_OK) == 0)
		return 0;
	dlc_err_set(err, "PackageNotKept", "the package of job %s (commit %s, "
	    "CodeSha256 %s) is no longer kept%s%s", js->id, js->commit != NULL ?
	    js->commit : "unknown", js->code_sha256, js->package != NULL ?
	    ": " : "", js->package != NULL ? js->package : "");
	if (js->commit != NULL)
		dlc_err_fix(err, "build that commit and push it: git checkout "
		    "%.7s && dlc push -e %s %s (dlc.ini keep-packages = N keeps "
		    "more)", js->commit, env, function);
	else
		dlc_err_fix(err, "check out the code it deployed and 'dlc push "
		    "-e %s %s' (dlc.ini keep-packages = N keeps more)", env,
		    function);
	return -1;
}
