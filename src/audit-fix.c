/*
 * An audit finding's fix: the resource of dlc new's Terraform
 * (new-terraform.h) for the function, rendered from the same templates,
 * after a comment saying what to do with it.
 */
#include "audit-facts.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "dlcconfig.h"
#include "manifest.h"
#include "new-scaffold.h"
#include "xmalloc.h"

char *
audit_fix_terraform(const struct audit_out *o, enum new_terraform_part part,
    const char *note)
{
	const struct local_function *lf = o->fn->local;
	struct new_spec spec;
	struct dlc_err err;
	struct buf out;
	struct dlc_env as_is;
	struct dlc_config as_is_cfg;
	const struct dlc_config *cfg = o->facts->cfg;
	size_t i, nlen;
	const char *lname;

	memset(&spec, 0, sizeof spec);
	spec.name = (char *)o->local_name;
	spec.remote_base = lf != NULL ? lf->remote_base : NULL;
	if (lf != NULL && lf->trigger != NULL && new_source_parse(lf->trigger, &spec.source) == 0)
		;
	else
		spec.source = audit_expects_stream(o->facts, o->fn) ?
		    NEW_SOURCE_DYNAMODB : NEW_SOURCE_SCHEDULE;
	spec.table = new_scaffold_table(o->local_name);
	spec.description = lf != NULL && lf->description[0] != '\0' ? lf->description :
	    o->fn->fn.description != NULL ? o->fn->fn.description : "";
	/* The layers by folder: the manifest's, else the deployed ones' names. */
	if (lf != NULL) {
		spec.layers = lf->layers;
		spec.n_layers = lf->n_layers;
	} else if (o->fn->fn.n_layers > 0) {
		spec.layers = xcalloc(o->fn->fn.n_layers, sizeof *spec.layers);
		for (i = 0; i < o->fn->fn.n_layers; i++) {
			lname = lambda_layer_arn_name(o->fn->fn.layers[i].arn, &nlen);
			if (lname == NULL)
				continue;
			spec.layers[spec.n_layers] = xstrndup(lname, nlen);
			if (o->facts->env != NULL) {
				char *l = dlc_env_local_name(o->facts->env, spec.layers[spec.n_layers]);

				if (l != NULL) {
					free(spec.layers[spec.n_layers]);
					spec.layers[spec.n_layers] = l;
				}
			}
			spec.n_layers++;
		}
	}
	buf_init(&out, 0);
	if (note != NULL)
		buf_printf(&out, "# %s\n", note);
	/* A function no template names keeps its own name in the Terraform. */
	if (o->unmatched) {
		memset(&as_is, 0, sizeof as_is);
		memset(&as_is_cfg, 0, sizeof as_is_cfg);
		as_is.name = o->facts->env != NULL ? o->facts->env->name : "";
		as_is.function_name = "{function}";
		as_is_cfg.envs = &as_is;
		as_is_cfg.n_envs = 1;
		cfg = &as_is_cfg;
	}
	dlc_err_clear(&err);
	if (new_terraform_render_part(&out, &spec, cfg, part, &err) != 0)
		buf_printf(&out, "# (the Terraform could not be rendered: %s)\n", err.message);
	if (lf == NULL) {
		for (i = 0; i < spec.n_layers; i++)
			free(spec.layers[i]);
		free(spec.layers);
	}
	free(spec.table);
	return buf_detach(&out, NULL);
}
