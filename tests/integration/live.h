/*
 * live.h: helpers for tests against real Chromium (tests/integration/).
 *
 * live_start() launches Chromium with cdp_launch_default_params() and
 * opens a connection to it; when Chromium is not installed it prints
 * "1..0 # SKIP ..." and exits 0, so a live test needs no check of its own.
 * live_stop() closes and kills everything live_start() made.
 * live_site_start() runs tests/sitesrv on a directory.  Counting helpers
 * let tests assert that no browser process was left behind.
 */
#ifndef WEBNAV_LIVE_H
#define WEBNAV_LIVE_H

#include <sys/types.h>

#include "cdp.h"

struct live {
	struct cdp_browser	*browser;
	struct cdp_conn		*conn;
};

/*
 * Launches Chromium ($WEBNAV_CHROMIUM or the configured path) and connects.
 * Returns 0, or -1 after printing "Bail out! <cause>" (the caller should
 * exit 1).  Skips the whole test (exit 0) if Chromium is missing.
 */
int	live_start(struct live *L);
/* Closes the connection and kills the browser; L may be half set up. */
void	live_stop(struct live *L);

/*
 * Number of live (not zombie) processes in process group pgid: after
 * cdp_browser_free() the group of the launched browser must be empty.
 */
int	live_count_group(pid_t pgid);
/*
 * Number of live processes that run Chromium with a webnav temporary
 * profile (--user-data-dir=.../webnav-chromium-*).  Counts those of every
 * test running on the machine, so compare with care.
 */
int	live_count_chromium(void);

/*
 * Starts $top_builddir/tests/sitesrv -r root -p 0 (top_builddir defaults
 * to "."), waits for its "port N" line and returns the port and pid.
 * 0 or -1 (with a "# " note on why).
 */
int	live_site_start(const char *root, int *portp, pid_t *pidp);
/* Stops a server started by live_site_start() (SIGTERM, then SIGKILL). */
void	live_site_stop(pid_t pid);

#endif /* WEBNAV_LIVE_H */
