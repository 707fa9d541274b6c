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
static int log_journal;		/* stderr is the journal: "<N>" levels */
static volatile int log_level = LOG_LVL_INFO;
static pthread_mutex_t log_mtx = PTHREAD_MUTEX_INITIALIZER;
static log_redact_fn *log_redact;
static void *log_redact_arg;

/* Longest message written. */
#define LOG_MSG_MAX	4096

void
log_init(const char *progname, int to_syslog, int level)
{
	log_progname = progname;
	log_syslog = to_syslog;
	log_level = level;
	/* systemd sets JOURNAL_STREAM when stderr goes to the journal. */
	log_journal = !to_syslog && getenv("JOURNAL_STREAM") != NULL;
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

void
log_set_redact(log_redact_fn *fn, void *arg)
{
	log_redact = fn;
	log_redact_arg = arg;
}

/*
 * Formats a message into msg (LOG_MSG_MAX bytes) through the redaction
 * hook: the hook sees LOG_REDACT_SPAN bytes more than are written, so a
 * secret that starts in what is written is there whole; of a message cut
 * short, the last LOG_REDACT_SPAN bytes of the hook's answer are dropped,
 * since they may end with the first part of a secret.
 */
static void
vformat(char *msg, const char *fmt, va_list ap)
{
	char *big, *red;
	size_t cap = LOG_MSG_MAX + LOG_REDACT_SPAN, n;
	int len;

	if (log_redact == NULL) {
		vsnprintf(msg, LOG_MSG_MAX, fmt, ap);
		return;
	}
	if ((big = malloc(cap)) == NULL) {
		snprintf(msg, LOG_MSG_MAX, "(message withheld: out of memory)");
		return;
	}
	len = vsnprintf(big, cap, fmt, ap);
	if ((red = log_redact(log_redact_arg, big)) == NULL)
		red = big;
	n = strlen(red);
	if (len >= 0 && (size_t)len >= cap)
		n = n > LOG_REDACT_SPAN ? n - LOG_REDACT_SPAN : 0;
	if (n >= LOG_MSG_MAX)
		n = LOG_MSG_MAX - 1;
	memcpy(msg, red, n);
	msg[n] = '\0';
	if (red != big)
		free(red);
	free(big);
}

static void
vlog(int pri, const char *fmt, va_list ap, const char *suffix)
{
	char msg[LOG_MSG_MAX], pfx[16] = "";

	vformat(msg, fmt, ap);
	if (log_journal)
		snprintf(pfx, sizeof(pfx), "<%d>", pri);
	if (log_syslog) {
		if (suffix != NULL)
			syslog(pri, "%s: %s", msg, suffix);
		else
			syslog(pri, "%s", msg);
		return;
	}
	pthread_mutex_lock(&log_mtx);
	if (suffix != NULL)
		fprintf(stderr, "%s%s: %s: %s\n", pfx, log_progname, msg,
		    suffix);
	else
		fprintf(stderr, "%s%s: %s\n", pfx, log_progname, msg);
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
