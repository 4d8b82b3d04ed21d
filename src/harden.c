/* Core dumps off, process not dumpable: see harden.h. */
#include "config.h"
#include "harden.h"

#include <errno.h>
#include <string.h>
#include <sys/resource.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

int
harden_process(struct dlc_err *err)
{
	struct rlimit none = { 0, 0 };
	int rc = 0;

	/* Hard limit too, so nothing later in the process can raise it. */
	if (setrlimit(RLIMIT_CORE, &none) != 0)
		rc = dlc_err_set(err, "Harden", "turning core dumps off: %s", strerror(errno));
#ifdef __linux__
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
		rc = dlc_err_set(err, "Harden", "making the process not dumpable: %s", strerror(errno));
#endif
	return rc;
}
