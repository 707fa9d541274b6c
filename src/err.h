/*
 * err.h: the project's error codes.
 *
 * Every fallible function returns 0 on success or one of these negative
 * codes; err_str() names it for people.  Functions that must explain a
 * failure in detail also hand back an allocated `char **cause`.
 */
#ifndef WEBNAV_ERR_H
#define WEBNAV_ERR_H

enum {
	ERR_OK = 0,
	ERR_INTERNAL = -1,	/* a broken invariant */
	ERR_NOMEM = -2,		/* allocation failed */
	ERR_INVALID = -3,	/* bad argument or malformed input */
	ERR_TOOBIG = -4,	/* input over a configured cap */
	ERR_TIMEOUT = -5,	/* a deadline passed */
	ERR_IO = -6,		/* system call failed; see errno */
	ERR_CONNECT = -7,	/* could not reach the browser endpoint */
	ERR_CLOSED = -8,	/* the connection or browser went away */
	ERR_PROTOCOL = -9,	/* garbled or unexpected DevTools message */
	ERR_CDP = -10,		/* the browser answered a call with an error */
	ERR_BROWSER = -11,	/* the browser could not be started or died */
	ERR_NAV = -12,		/* navigation failed (unreachable URL, ...) */
	ERR_NOTFOUND = -13,	/* no such element, frame, target or file */
	ERR_IMAGE = -14,	/* an image could not be decoded or encoded */
	ERR_PARSE = -15,	/* a file or message could not be parsed */
	ERR_DENIED = -16,	/* refused by policy (allowlist, scheme) */
	ERR_FORMAT = -17,	/* wrong format or version of a file */
	ERR_CANCELLED = -18,	/* the operation was cancelled */
	ERR_LAST = -19
};

/* Returns a static description of error code r (never NULL). */
const char	*err_str(int r);

#endif /* WEBNAV_ERR_H */
