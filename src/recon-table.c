/*
 * The reconciliation result as a table (RECONCILIATION.md's format 1).
 */
#include "recon-table.h"

#include <stdio.h>
#include <string.h>

#include "sanitize.h"
#include "table.h"

#define RECON_TABLE_VERSION	1

static int
recon_table_row_is(const cJSON *row)
{
	static const char *const strings[] = { "table", "date", "status",
		"source_checksum", "lake_checksum" };
	static const char *const numbers[] = { "source_rows", "lake_rows" };
	size_t i;

	if (!cJSON_IsObject(row))
		return 0;
	for (i = 0; i < sizeof strings / sizeof strings[0]; i++)
		if (!cJSON_IsString(cJSON_GetObjectItemCaseSensitive(row, strings[i])))
			return 0;
	for (i = 0; i < sizeof numbers / sizeof numbers[0]; i++)
		if (!cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(row, numbers[i])))
			return 0;
	return 1;
}

int
recon_table_is(const cJSON *doc)
{
	const cJSON *v, *rows, *row;

	if (!cJSON_IsObject(doc))
		return 0;
	v = cJSON_GetObjectItemCaseSensitive(doc, "reconciliation");
	if (!cJSON_IsNumber(v) || v->valuedouble != RECON_TABLE_VERSION)
		return 0;
	rows = cJSON_GetObjectItemCaseSensitive(doc, "rows");
	if (!cJSON_IsArray(rows))
		return 0;
	cJSON_ArrayForEach(row, rows)
		if (!recon_table_row_is(row))
			return 0;
	return 1;
}

static const char *
recon_table_str(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

	return cJSON_IsString(v) ? v->valuestring : "-";
}

static int
recon_table_mismatch(const cJSON *row)
{
	return strcmp(recon_table_str(row, "status"), "ok") != 0;
}

static void
recon_table_add(struct table *t, const cJSON *row)
{
	char src[32], lake[32], diff[32];
	const char *cells[7];
	double s, l;
	int same;

	s = cJSON_GetObjectItemCaseSensitive(row, "source_rows")->valuedouble;
	l = cJSON_GetObjectItemCaseSensitive(row, "lake_rows")->valuedouble;
	snprintf(src, sizeof src, "%.0f", s);
	snprintf(lake, sizeof lake, "%.0f", l);
	/* Worked out here, not read: the difference shown is the one of the counts shown. */
	snprintf(diff, sizeof diff, "%+.0f", l - s);
	if (l == s)
		snprintf(diff, sizeof diff, "0");
	same = strcmp(recon_table_str(row, "source_checksum"),
	    recon_table_str(row, "lake_checksum")) == 0;
	cells[0] = recon_table_str(row, "status");
	cells[1] = recon_table_str(row, "table");
	cells[2] = recon_table_str(row, "date");
	cells[3] = src;
	cells[4] = lake;
	cells[5] = diff;
	cells[6] = same ? "match" : "differs";
	table_add_row(t, cells);
}

void
recon_table_render(struct buf *out, const cJSON *doc, size_t max_width)
{
	static const char *const headers[] = { "STATUS", "TABLE", "DATE", "SOURCE",
		"LAKE", "DIFF", "CHECKSUM" };
	const cJSON *rows = cJSON_GetObjectItemCaseSensitive(doc, "rows"), *row;
	struct table *t = table_new(7, headers);
	struct buf line;
	size_t n = 0, bad = 0;
	int pass;

	cJSON_ArrayForEach(row, rows) {
		n++;
		bad += recon_table_mismatch(row);
	}
	buf_init(&line, 0);
	buf_printf(&line, "reconciliation %s: %s against %s, %s to %s (generated %s)\n",
	    recon_table_str(doc, "function"), recon_table_str(doc, "source"),
	    recon_table_str(doc, "database"), recon_table_str(doc, "from"),
	    recon_table_str(doc, "to"), recon_table_str(doc, "generated_at"));
	if (bad > 0)
		buf_printf(&line, "MISMATCH: %zu of %zu tables and dates differ\n", bad, n);
	else
		buf_printf(&line, "ok: %zu tables and dates match\n", n);
	sanitize_append(out, line.data, line.len, SANITIZE_KEEP_NEWLINE);
	buf_free(&line);
	if (n == 0) {
		table_free(t);
		return;
	}
	table_set_align(t, 3, 1);
	table_set_align(t, 4, 1);
	table_set_align(t, 5, 1);
	table_set_flexible(t, 0, 0);
	table_set_flexible(t, 2, 0);
	table_set_identifier(t, 1, 1);
	/* Mismatches first, each group in the document's order (table, then date). */
	for (pass = 1; pass >= 0; pass--)
		cJSON_ArrayForEach(row, rows)
			if (recon_table_mismatch(row) == pass)
				recon_table_add(t, row);
	table_render(t, out, max_width);
	table_free(t);
}
