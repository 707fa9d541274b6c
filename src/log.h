/*
 * log.h: logging in the style of OpenBGPD's log.h.
 *
 * log_init() once at start; messages go to stderr (foreground) or syslog.
 * log_warn appends strerror(errno); the _f variants prepend __func__;
 * log_warnx_r appends err_str(r).  Safe to call from any thread.
 */
#ifndef WEBNAV_LOG_H
#define WEBNAV_LOG_H

#include <stdarg.h>

enum { LOG_LVL_WARN = 0, LOG_LVL_INFO = 1, LOG_LVL_DEBUG = 2 };

/* to_syslog: 0 for stderr.  level: LOG_LVL_*. */
void	log_init(const char *progname, int to_syslog, int level);
void	log_setlevel(int level);
int	log_getlevel(void);

/*
 * Redaction hook (e.g. task_redact() with a task's secrets): fn gets each
 * message, formatted whole up to LOG_REDACT_SPAN bytes past the length
 * written, and returns it redacted (allocated; NULL keeps the message).
 * A secret cut by that limit is dropped with the rest.  fn NULL removes
 * the hook.  Set it while no other thread logs; fn may be called from any
 * thread that logs.
 */
#define LOG_REDACT_SPAN	8192	/* longest text a hook must see whole */
typedef char *log_redact_fn(void *arg, const char *msg);
void	log_set_redact(log_redact_fn *fn, void *arg);

void	log_warn(const char *, ...)
	    __attribute__((__format__(__printf__, 1, 2)));
void	log_warnx(const char *, ...)
	    __attribute__((__format__(__printf__, 1, 2)));
void	log_info(const char *, ...)
	    __attribute__((__format__(__printf__, 1, 2)));
void	log_debug_(const char *, ...)
	    __attribute__((__format__(__printf__, 1, 2)));
void	fatal(const char *, ...)
	    __attribute__((__format__(__printf__, 1, 2), __noreturn__));
void	fatalx(const char *, ...)
	    __attribute__((__format__(__printf__, 1, 2), __noreturn__));

/* Level checked before the arguments are evaluated. */
#define log_debug(...) do {						\
	if (log_getlevel() >= LOG_LVL_DEBUG)				\
		log_debug_(__VA_ARGS__);				\
} while (0)

#define log_warn_f(fmt, ...)	log_warn("%s: " fmt, __func__, ##__VA_ARGS__)
#define log_warnx_f(fmt, ...)	log_warnx("%s: " fmt, __func__, ##__VA_ARGS__)
#define log_debug_f(fmt, ...)	log_debug("%s: " fmt, __func__, ##__VA_ARGS__)
#define log_warnx_r(r, fmt, ...)					\
	log_warnx(fmt ": %s", ##__VA_ARGS__, err_str(r))

#endif /* WEBNAV_LOG_H */
