/*
 * sitesrv.c: the static file server of the tests (src/site.c), with the
 * test routes on.
 *
 * Usage: sitesrv -r rootdir [-p port] [-b address] [-v]
 *
 * Serves the files under rootdir on address (default 127.0.0.1) and port
 * (default 0: an ephemeral port).  Once listening it prints "port N" on
 * stdout and flushes it, so a test can read the port from a pipe.  It exits
 * with 0 on SIGTERM or SIGINT.  -v logs one line per request on stderr.
 * The routes /__hang, /__slow, /__redirect, /__status and /__echo are
 * described in src/site.c.
 */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "site.h"

static volatile sig_atomic_t quit;

static void
on_signal(int sig)
{
	(void)sig;
	quit = 1;
}

static void __attribute__((__noreturn__))
usage(void)
{
	fprintf(stderr,
	    "usage: sitesrv -r rootdir [-p port] [-b address] [-v]\n");
	exit(2);
}

int
main(int argc, char *argv[])
{
	struct sigaction sa;
	const char *root = NULL, *port = "0", *addr = "127.0.0.1";
	char *cause = NULL;
	int ch, lfd, bound = 0, verbose = 0, r;

	while ((ch = getopt(argc, argv, "b:p:r:v")) != -1) {
		switch (ch) {
		case 'b':
			addr = optarg;
			break;
		case 'p':
			port = optarg;
			break;
		case 'r':
			root = optarg;
			break;
		case 'v':
			verbose = 1;
			break;
		default:
			usage();
		}
	}
	if (root == NULL || optind != argc)
		usage();
	log_init("sitesrv", 0, verbose ? LOG_LVL_INFO : LOG_LVL_WARN);
	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	if ((r = site_listen(addr, port, &lfd, &bound, &cause)) != 0)
		fatalx("%s", cause);
	printf("port %d\n", bound);
	fflush(stdout);
	r = site_serve(lfd, root, 1, verbose, &quit);
	close(lfd);
	return r == 0 ? 0 : 1;
}
