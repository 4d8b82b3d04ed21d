/*
 * Aligned text tables for the CLI's text output (dlc envs, dlc ls, ...):
 * one header row, then rows, columns two spaces apart, no trailing spaces.
 * Every cell is untrusted and goes through sanitize on the way in; widths
 * are display widths, so wide characters keep the columns straight. With a
 * width limit (the terminal's), the widest columns give way first and their
 * cells end in "…".
 */
#ifndef DLC_TABLE_H
#define DLC_TABLE_H

#include <stddef.h>

#include "buf.h"

struct table;

/*
 * Returns a new table of ncols columns (ncols > 0). headers holds ncols
 * strings, written as given (callers pass them in upper case); NULL means
 * no header row. Free with table_free().
 */
struct table	*table_new(size_t ncols, const char *const *headers);
/* Right-aligns column col (numbers, sizes, ages); left is the default. */
void	table_set_align(struct table *t, size_t col, int right);
/*
 * Marks column col as one to keep whole if possible (names, ids): when the
 * table must shrink, flexible columns give way first, and a fixed one only
 * when the flexible ones are down to their floor. All columns start
 * flexible.
 */
void	table_set_flexible(struct table *t, size_t col, int flexible);
/*
 * Marks column col as names or identifiers (function names, ARNs, log
 * groups): its cells are sanitised in identifier mode, invisible and
 * reordering characters drawn as "<U+HHHH>" so one name cannot pose as
 * another. Set before adding rows.
 */
void	table_set_identifier(struct table *t, size_t col, int identifier);
/* Adds a row of ncols cells (a NULL cell is empty); copies them sanitised. */
void	table_add_row(struct table *t, const char *const *cells);
/* Number of rows added so far (the header not counted). */
size_t	table_rows(const struct table *t);
/*
 * Appends the table to out, one '\n'-terminated line per row. max_width 0
 * means unlimited; otherwise the widest flexible columns shrink one column
 * at a time, first down to their header's width (at least 3), then down to
 * 1, until every line fits. Only a table whose columns are all 1 wide and
 * still too wide for max_width goes past it. Stops quietly at out's ceiling.
 */
void	table_render(const struct table *t, struct buf *out, size_t max_width);
void	table_free(struct table *t);
/* A byte count as people read it in a column: "512B", "9.4K", "47.1M". */
void	table_format_size(long long bytes, char *out, size_t len);

#endif
