/* err.c: names of the project's error codes. */
#include "config.h"

#include "err.h"

const char *
err_str(int r)
{
	switch (r) {
	case ERR_OK:
		return "success";
	case ERR_INTERNAL:
		return "internal error";
	case ERR_NOMEM:
		return "out of memory";
	case ERR_INVALID:
		return "invalid argument";
	case ERR_TOOBIG:
		return "input exceeds limit";
	case ERR_TIMEOUT:
		return "timed out";
	case ERR_IO:
		return "system error";
	case ERR_CONNECT:
		return "cannot connect to browser";
	case ERR_CLOSED:
		return "connection to browser closed";
	case ERR_PROTOCOL:
		return "DevTools protocol error";
	case ERR_CDP:
		return "browser returned an error";
	case ERR_BROWSER:
		return "browser failed";
	case ERR_NAV:
		return "navigation failed";
	case ERR_NOTFOUND:
		return "not found";
	case ERR_IMAGE:
		return "image error";
	case ERR_PARSE:
		return "parse error";
	case ERR_DENIED:
		return "denied";
	case ERR_FORMAT:
		return "bad file format";
	case ERR_CANCELLED:
		return "cancelled";
	default:
		return "unknown error";
	}
}
