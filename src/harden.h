/*
 * Keeps the secrets dlc holds (session tokens, SSO access and refresh
 * tokens, client secrets) inside the process: no core file is written
 * when it crashes, and the process is not dumpable, which also stops
 * ptrace and /proc/PID/mem reads by other processes of the same user.
 * Called once at start, before any secret is read.
 */
#ifndef DLC_HARDEN_H
#define DLC_HARDEN_H

#include "err.h"

/* 0, or -1 with err filled when the system refused one of the two. */
int	harden_process(struct dlc_err *err);

#endif
