/*
 * daemon-notify.c: a stand-in for systemd's notification socket (for
 * the daemon tests).
 *
 * Usage: daemon-notify PATH
 *
 * Binds a unix datagram socket at PATH and prints every message it
 * receives on one line (newlines inside shown as ';'), flushing each,
 * until SIGTERM.  Removes PATH on exit.
 */
#include "config.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t quit;

static void
on_term(int sig)
{
	(void)sig;
	quit = 1;
}

int
main(int argc, char *argv[])
{
	struct sockaddr_un sun;
	struct sigaction sa;
	char buf[4096];
	ssize_t n, i;
	int fd;

	if (argc != 2 || strlen(argv[1]) >= sizeof(sun.sun_path)) {
		fprintf(stderr, "usage: daemon-notify PATH\n");
		return 2;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_term;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, argv[1], strlen(argv[1]) + 1);
	unlink(argv[1]);
	if ((fd = socket(AF_UNIX, SOCK_DGRAM, 0)) == -1 ||
	    bind(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		perror(argv[1]);
		return 1;
	}
	/* The daemon may run as another user. */
	chmod(argv[1], 0666);
	while (!quit) {
		if ((n = recv(fd, buf, sizeof(buf) - 1, 0)) == -1) {
			if (errno == EINTR)
				continue;
			perror("recv");
			break;
		}
		for (i = 0; i < n; i++)
			if (buf[i] == '\n')
				buf[i] = ';';
		buf[n] = '\0';
		printf("%s\n", buf);
		fflush(stdout);
	}
	close(fd);
	unlink(argv[1]);
	return 0;
}
