/* Who this dlc runs as: see whoami.h. */
#include "whoami.h"

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "xmalloc.h"

char *
whoami_user(void)
{
	const char *u = getenv("USER");
	struct passwd *pw;

	if (u != NULL && u[0] != '\0')
		return xstrdup(u);
	pw = getpwuid(getuid());
	if (pw != NULL && pw->pw_name != NULL && pw->pw_name[0] != '\0')
		return xstrdup(pw->pw_name);
	return xasprintf("uid%ld", (long)getuid());
}

char *
whoami_host(void)
{
	char host[256];

	if (gethostname(host, sizeof host) != 0 || host[0] == '\0')
		snprintf(host, sizeof host, "localhost");
	host[sizeof host - 1] = '\0';
	return xstrdup(host);
}

char *
whoami(void)
{
	char *user = whoami_user(), *host = whoami_host();
	char *both = xasprintf("%s@%s", user, host);

	free(user);
	free(host);
	return both;
}
