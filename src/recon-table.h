/*
 * The reconciliation result (functions/RECONCILIATION.md, format 1) as a
 * person reads it: one line saying what was compared and whether it
 * matched, then a table of tables and dates, source against lake counts,
 * their difference and whether the checksums match, mismatches first.
 * dlc invoke shows a reconciliation function's response this way.
 */
#ifndef DLC_RECON_TABLE_H
#define DLC_RECON_TABLE_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "buf.h"

/*
 * 1 when doc has the documented shape: "reconciliation": 1 and "rows" an
 * array of objects each with table, date, status and source_checksum,
 * lake_checksum (strings) and source_rows, lake_rows (numbers). Anything
 * else (another version, a missing key) is 0: shown as JSON, as it came.
 */
int	recon_table_is(const cJSON *doc);
/*
 * Appends the summary line and the table to out. Every value from the
 * document is sanitised (table.h); max_width as table_render's (0: none).
 */
void	recon_table_render(struct buf *out, const cJSON *doc, size_t max_width);

#endif
