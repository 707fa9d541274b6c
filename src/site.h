/*
 * site.h: a small static HTTP/1.1 file server on loopback.
 *
 * `webnav --site DIR` serves a local site (the bundled demo, a mock-up)
 * while a task runs, and tests/sitesrv wraps the same code for the tests.
 * The server runs in a child process so the agent's thread never serves
 * files; site_stop() ends it.
 */
#ifndef WEBNAV_SITE_H
#define WEBNAV_SITE_H

#include <signal.h>

struct site;

/*
 * Serves root on 127.0.0.1 at an ephemeral port in a child process.  On
 * success *sitep and *portp are set; else *causep explains.
 */
int	site_start(const char *root, struct site **sitep, int *portp,
	    char **causep);
/* Stops the server and frees s.  NULL is a no-op. */
void	site_stop(struct site *s);

/*
 * Listens on addr:port (port "0": ephemeral); *fdp is the socket and
 * *portp the bound port.
 */
int	site_listen(const char *addr, const char *port, int *fdp, int *portp,
	    char **causep);
/*
 * Serves files under root on the listening socket lfd until *quit is
 * set.  test_routes enables the /__hang, /__slow, /__redirect, /__status
 * and /__echo routes used by the tests.  Returns 0 or ERR_IO.
 */
int	site_serve(int lfd, const char *root, int test_routes, int verbose,
	    volatile sig_atomic_t *quit);

#endif /* WEBNAV_SITE_H */
