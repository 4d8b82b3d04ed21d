/*
 * Allocation that cannot fail: running out of memory is fatal, so callers
 * never test for NULL. fatal() runs a hook first (the console sets it to
 * restore the terminal) so the engine stays free of curses.
 */
#ifndef DLC_XMALLOC_H
#define DLC_XMALLOC_H

#include <stddef.h>
#include <stdarg.h>

void *xmalloc(size_t size);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *ptr, size_t size);
void *xreallocarray(void *ptr, size_t nmemb, size_t size);
/* Returns an allocated copy; xstrdup(NULL) returns NULL. */
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* Returns an allocated, formatted string. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

/* Prints "dlc: MESSAGE" to stderr after running the hook, then exits 1. */
void fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
void fatal_set_hook(void (*hook)(void));

#endif
