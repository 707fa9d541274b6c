/*
 * webnavd.c: the automation service (man 8 webnavd).
 *
 *   webnavd [-dn] [-f file]
 *
 * Reads the configuration, then either prints it (-n) or runs the daemon
 * in the foreground (daemon.c) until SIGTERM.  Logs go to stderr, where
 * systemd's journal picks them up.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf.h"
#include "daemon.h"
#include "err.h"
#include "log.h"
#include "xmalloc.h"

static void __attribute__((__noreturn__))
usage(void)
{
	fprintf(stderr, "usage: webnavd [-dnV] [-f file]\n");
	exit(2);
}

int
main(int argc, char *argv[])
{
	struct conf *c = NULL;
	const char *path = WEBNAVD_CONF;
	char *cause = NULL, *txt;
	int ch, check = 0, debug = 0, given = 0, r;

	log_init("webnavd", 0, LOG_LVL_INFO);
	while ((ch = getopt(argc, argv, "df:nV")) != -1) {
		switch (ch) {
		case 'd':
			debug = 1;
			break;
		case 'f':
			path = optarg;
			given = 1;
			break;
		case 'n':
			check = 1;
			break;
		case 'V':
			printf("webnavd %s\n", PACKAGE_VERSION);
			return 0;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();
	if (debug)
		log_setlevel(LOG_LVL_DEBUG);

	/* Without -f, a missing default file means the defaults. */
	if (!given && access(path, F_OK) == -1 && errno == ENOENT) {
		c = conf_default();
		if (!check)
			log_info("%s not found; using the defaults", path);
	} else if ((r = conf_load(path, &c, &cause)) != 0) {
		fprintf(stderr, "%s\n", cause != NULL ? cause : err_str(r));
		free(cause);
		return 1;
	}
	if ((r = conf_check(c, &cause)) != 0) {
		fprintf(stderr, "%s\n", cause != NULL ? cause : err_str(r));
		free(cause);
		conf_free(c);
		return 1;
	}
	if (check) {
		txt = conf_format(c);
		fputs(txt, stdout);
		free(txt);
		fprintf(stderr, "configuration OK\n");
		conf_free(c);
		return 0;
	}
	return daemon_main(c, path, debug ? DAEMON_DEBUG : 0);
}
