/* log.c: leveled logging to stderr or syslog. */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "log.h"

static const char *log_progname = "webnav";
static int log_syslog;
static volatile int log_level = LOG_LVL_INFO;
static pthread_mutex_t log_mtx = PTHREAD_MUTEX_INITIALIZER;

void
log_init(const char *progname, int to_syslog, int level)
{
	log_progname = progname;
	log_syslog = to_syslog;
	log_level = level;
	if (to_syslog)
		openlog(progname, LOG_PID | LOG_NDELAY, LOG_DAEMON);
	tzset();
}

void
log_setlevel(int level)
{
	log_level = level;
}

int
log_getlevel(void)
{
	return log_level;
}

static void
vlog(int pri, const char *fmt, va_list ap, const char *suffix)
{
	char msg[4096];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (log_syslog) {
		if (suffix != NULL)
			syslog(pri, "%s: %s", msg, suffix);
		else
			syslog(pri, "%s", msg);
		return;
	}
	pthread_mutex_lock(&log_mtx);
	if (suffix != NULL)
		fprintf(stderr, "%s: %s: %s\n", log_progname, msg, suffix);
	else
		fprintf(stderr, "%s: %s\n", log_progname, msg);
	fflush(stderr);
	pthread_mutex_unlock(&log_mtx);
}

void
log_warn(const char *fmt, ...)
{
	char ebuf[256];
	int saved = errno;
	va_list ap;

	if (strerror_r(saved, ebuf, sizeof(ebuf)) != 0)
		snprintf(ebuf, sizeof(ebuf), "errno %d", saved);
	va_start(ap, fmt);
	vlog(LOG_ERR, fmt, ap, ebuf);
	va_end(ap);
	errno = saved;
}

void
log_warnx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_ERR, fmt, ap, NULL);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list ap;

	if (log_level < LOG_LVL_INFO)
		return;
	va_start(ap, fmt);
	vlog(LOG_INFO, fmt, ap, NULL);
	va_end(ap);
}

void
log_debug_(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_DEBUG, fmt, ap, NULL);
	va_end(ap);
}

void
fatal(const char *fmt, ...)
{
	char ebuf[256];
	int saved = errno;
	va_list ap;

	if (strerror_r(saved, ebuf, sizeof(ebuf)) != 0)
		snprintf(ebuf, sizeof(ebuf), "errno %d", saved);
	va_start(ap, fmt);
	vlog(LOG_CRIT, fmt, ap, ebuf);
	va_end(ap);
	exit(1);
}

void
fatalx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_CRIT, fmt, ap, NULL);
	va_end(ap);
	exit(1);
}
