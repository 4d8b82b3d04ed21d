/*
 * Timings for bench/ (DLC_FRAME_STATS=FILE), written when the console
 * exits: how long each redraw of a loaded list takes, and how long from a
 * key read to the frame it caused being written out, apart for keys typed
 * at the filter prompt (each one filters the whole list again).
 */
#ifndef DLC_UI_TIMING_H
#define DLC_UI_TIMING_H

#include <stddef.h>

/* A batch of keys was read; is_filter: the filter prompt was open. */
void	timing_key(int is_filter);
/* A frame is about to be drawn; drew_main: the main view is redrawn. */
void	timing_frame_start(int drew_main);
/* The frame is out; list_loaded: only those frames count as list redraws. */
void	timing_frame_done(int list_loaded);
/* Writes the file DLC_FRAME_STATS names, if any. */
void	timing_write(size_t rows);

#endif
