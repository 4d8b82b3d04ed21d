/*
 * Who this dlc runs as, the one answer for every record that names a
 * person: the journal's user and host, the team lease's owner, the queue's
 * "by USER@HOST" texts. Before this, three places asked $USER each their
 * own way, so a shell without USER (cron, containers, CI) wrote "root" in
 * the journal but "unknown@vm" in the lease a teammate waits on.
 */
#ifndef DLC_WHOAMI_H
#define DLC_WHOAMI_H

/* $USER, else the password entry's name, else "uidN". Allocated. */
char	*whoami_user(void);
/* The host name, else "localhost". Allocated. */
char	*whoami_host(void);
/* "USER@HOST". Allocated. */
char	*whoami(void);

#endif
