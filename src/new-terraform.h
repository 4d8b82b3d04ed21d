/*
 * The Terraform a new function needs in the infrastructure repository, in
 * the team's style: the terraform-aws-modules/lambda module over an
 * existing log group (14 days), the errors, throttles and duration alarms,
 * the log aggregation module, and the trigger (a Kinesis event source
 * mapping, or an EventBridge rule, target and permission). Laid out as
 * `terraform fmt` would: the '=' of consecutive one-line attributes
 * aligned one space after the longest name.
 */
#ifndef DLC_NEW_TERRAFORM_H
#define DLC_NEW_TERRAFORM_H

#include "buf.h"
#include "dlcconfig.h"
#include "err.h"
#include "new-scaffold.h"

/*
 * The remote name as a Terraform string's inside, from dlc.ini's first
 * environment's template with its name (as a whole word) as ${var.environment}
 * ("datalake-alpha-{function}" gives "datalake-${var.environment}-x");
 * without cfg or environments, "datalake-${var.environment}-x". Allocated.
 */
char	*new_terraform_remote_name(const struct dlc_config *cfg, const char *local);
/* The parts of a function's Terraform, in the order dlc new writes them. */
enum new_terraform_part {
	NEW_TF_HEADER, NEW_TF_LOG_GROUP, NEW_TF_FUNCTION, NEW_TF_ALARM_ERRORS,
	NEW_TF_ALARM_THROTTLES, NEW_TF_ALARM_DURATION, NEW_TF_AGGREGATION,
	NEW_TF_TRIGGER, NEW_TF_LAYERS
};

/* Appends spec's Terraform to out. */
int	new_terraform_render(struct buf *out, const struct new_spec *spec,
	    const struct dlc_config *cfg, struct dlc_err *err);
/*
 * Appends one part of spec's Terraform to out, exactly as in the whole
 * (dlc audit's fixes are these), without its leading blank line.
 */
int	new_terraform_render_part(struct buf *out, const struct new_spec *spec,
	    const struct dlc_config *cfg, enum new_terraform_part part,
	    struct dlc_err *err);
/*
 * text laid out as terraform fmt aligns attributes, into out: in each run
 * of consecutive lines "NAME = VALUE" (VALUE whole on the line: brackets
 * balanced), every '=' one column after the longest NAME. Blank lines,
 * comments, block lines and multi-line values end a run.
 */
void	new_terraform_align(struct buf *out, const char *text);

#endif
