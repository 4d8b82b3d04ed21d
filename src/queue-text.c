/*
 * What a held step will do, in words, for step mode: the release
 * manager reads it before pressing n, so it names the action, its size
 * and its target ("upload: send 3.1 MB inline to datalake-alpha-x").
 */
#include <stdio.h>
#include <string.h>

#include "lambda-write.h"
#include "queue-priv.h"

/* "3.1 MB", "812 KB", "90 bytes". */
static void
queue_text_size(uint64_t n, char *buf, size_t len)
{
	if (n >= 1024 * 1024)
		snprintf(buf, len, "%.1f MB", (double)n / (1024.0 * 1024.0));
	else if (n >= 1024)
		snprintf(buf, len, "%llu KB", (unsigned long long)(n / 1024));
	else
		snprintf(buf, len, "%llu bytes", (unsigned long long)n);
}

const char *
queue_step_text(struct queue_job *j)
{
	const struct push_result *r = j->push != NULL ?
	    push_job_result(j->push) : NULL;
	const char *remote = r != NULL ? r->remote_name : j->fn->name;
	char size[32];
	int via_s3;

	queue_text_size(r != NULL ? r->size : 0, size, sizeof size);
	via_s3 = r != NULL && !lambda_write_fits_inline(r->size,
	    j->opts.inline_limit);
	switch (j->held) {
	case PUSH_STEP_BUILD:
	case PUSH_STEP_PACKAGE:
		if (j->fn->n_commands > 0)
			snprintf(j->text, sizeof j->text, "build: run %zu build "
			    "command%s of %s, then zip it", j->fn->n_commands,
			    j->fn->n_commands == 1 ? "" : "s", j->fn->name);
		else
			snprintf(j->text, sizeof j->text, "build: zip %s (no "
			    "build commands)", j->fn->name);
		break;
	case PUSH_STEP_SCAN:
		snprintf(j->text, sizeof j->text, "scan: look for secrets in "
		    "the package (%s)", size);
		break;
	case PUSH_STEP_UPLOAD:
		if (j->kind == PUSH_MOVE)
			snprintf(j->text, sizeof j->text, "upload: set the "
			    "layers of %s to %s", remote,
			    j->opts.move_to_arn != NULL ? j->opts.move_to_arn :
			    "?");
		else if (j->opts.dry_run)
			snprintf(j->text, sizeof j->text, "upload: compare "
			    "with %s (dry run: nothing sent)", remote);
		else
			snprintf(j->text, sizeof j->text, "upload: %s %s %s "
			    "to %s%s", j->kind == PUSH_LAYER ? "publish" :
			    "send", size, via_s3 ? "through S3" : "inline",
			    remote, j->kind == PUSH_LAYER ? " as a new "
			    "version" : " (nothing if already deployed)");
		break;
	case PUSH_STEP_WAIT:
		snprintf(j->text, sizeof j->text, "wait: poll "
		    "LastUpdateStatus of %s until Successful", remote);
		break;
	case PUSH_STEP_VERIFY:
		if (j->kind == PUSH_MOVE)
			snprintf(j->text, sizeof j->text, "verify: read the "
			    "layers of %s", remote);
		else
			snprintf(j->text, sizeof j->text, "verify: compare the "
			    "deployed CodeSha256 of %s with %s", remote,
			    r != NULL ? r->local_sha256 : "?");
		break;
	default:
		j->text[0] = '\0';
		break;
	}
	return j->text;
}
