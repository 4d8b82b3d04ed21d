/*
 * dlc new's function folder: the name checked against Lambda's rules, the
 * layers it uses found in the functions folder, and functions/NAME written
 * from the templates (new-template.h) of its source kind, whole or not at
 * all (a hidden folder renamed into place), never over an existing one.
 */
#ifndef DLC_NEW_SCAFFOLD_H
#define DLC_NEW_SCAFFOLD_H

#include <stddef.h>

#include "dlcconfig.h"
#include "err.h"
#include "new-template.h"

enum new_source {
	NEW_SOURCE_DYNAMODB,	/* DynamoDB changes through a Kinesis Data Stream */
	NEW_SOURCE_KINESIS,	/* a Kinesis Data Stream's own records */
	NEW_SOURCE_SCHEDULE	/* EventBridge, reading a source since a checkpoint */
};

/* What differs between the source kinds, in the README's and Terraform's words. */
struct new_source_info {
	const char	*name;		/* "dynamodb" */
	const char	*description;	/* with @TABLE@ */
	const char	*deltas_why;
	const char	*trigger;
	const char	*retry;
	const char	*seams;
	const char	*env_extra;	/* the config's variables beyond BUCKET, DATABASE, TABLE */
	int		 timeout;	/* seconds */
	const char	*stream_what;	/* NULL: no stream (a schedule) */
	const char	*delta_row;	/* what one row of the deltas is */
	const char	*partition_text;	/* where the partitions' date comes from */
	const char	*layer_extra;	/* what else of the layers it uses */
	const char	*also;		/* a template group it shares with another kind, or NULL */
};

struct new_spec {
	char		*name;
	const char	*remote_base;	/* the manifest's `name =`, borrowed; NULL: name (dlc new) */
	enum new_source	 source;
	char		*functions_dir;
	char		*table;		/* the datalake_raw table */
	char		*description;
	char		**layers;	/* layer folders of functions_dir it uses */
	size_t		 n_layers;
};

/* 0 and *out for "dynamodb", "kinesis" or "schedule"; -1 otherwise. */
int	new_source_parse(const char *s, enum new_source *out);
const struct new_source_info *new_source_info(enum new_source source);
/*
 * Lambda's rules (1 to 64 of letters, digits, '-' and '_'), and dlc's: not
 * starting with '_' or '.' (the manifest skips those folders), and with
 * cfg (may be NULL) every environment's remote name within 64 too.
 * Returns -1 with err (code BadName) saying which rule and the fix.
 */
int	new_scaffold_check_name(const char *name, const struct dlc_config *cfg,
	    struct dlc_err *err);
/*
 * Fills spec (overwritten; free with new_spec_free) for functions_dir/NAME:
 * refuses an existing NAME (code Exists), a missing functions folder, and a
 * missing aws-wrangler or flattenjson layer (code NoLayer: the code and
 * its tests import them).
 */
int	new_spec_init(struct new_spec *spec, const char *functions_dir,
	    const char *name, enum new_source source, struct dlc_err *err);
void	new_spec_free(struct new_spec *spec);
/* The Glue table of datalake_raw a function of this name writes (allocated). */
char	*new_scaffold_table(const char *name);
/*
 * The variables every template of spec is rendered with (for the Terraform
 * too, which adds its own). *vars is allocated, its values owned by it:
 * free with new_scaffold_vars_free.
 */
size_t	new_scaffold_vars(const struct new_spec *spec, struct new_var **vars);
void	new_scaffold_vars_free(struct new_var *vars, size_t n);
/*
 * Writes functions_dir/NAME. *files (allocated, free each and the array)
 * lists the written paths relative to it, sorted. On failure nothing is
 * left behind.
 */
int	new_scaffold_write(const struct new_spec *spec, char ***files, size_t *n_files,
	    struct dlc_err *err);

#endif
