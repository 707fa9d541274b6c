/*
 * daemon-pagewait.c: opens a page in a Chromium of its own and waits
 * until a JavaScript expression is true there (for daemon-live.sh).
 *
 * Usage: daemon-pagewait URL EXPR TIMEOUT_MS [REPORT_EXPR]
 *
 * Prints "# loaded" once the page has loaded (so that a script can start
 * what the page is to watch), then polls EXPR every 100 ms.  Exits 0
 * when it is truthy, printing
 * REPORT_EXPR's value (default: EXPR's); 1 on timeout, printing
 * REPORT_EXPR's last value; 2 on usage; 3 when the browser fails.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "cdp.h"
#include "err.h"
#include "log.h"
#include "live.h"

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Prints the value of expr on the page. */
static void
report(struct cdp_page *page, const char *expr)
{
	cJSON *v = NULL;
	char *txt;

	if (cdp_page_eval(page, expr, 5000, &v) != 0) {
		printf("(%s)\n", cdp_conn_error(cdp_page_conn(page)));
		return;
	}
	txt = cJSON_PrintUnformatted(v);
	printf("%s\n", txt != NULL ? txt : "?");
	cJSON_free(txt);
	cJSON_Delete(v);
}

int
main(int argc, char *argv[])
{
	struct live L;
	struct cdp_page *page = NULL;
	struct cdp_page_params pp;
	const char *rexpr;
	cJSON *v = NULL;
	long long end;
	int r, rc = 1, truthy;

	if (argc != 4 && argc != 5) {
		fprintf(stderr, "usage: daemon-pagewait URL EXPR TIMEOUT_MS "
		    "[REPORT_EXPR]\n");
		return 2;
	}
	rexpr = argc == 5 ? argv[4] : argv[2];
	log_init("daemon-pagewait", 0, LOG_LVL_WARN);
	if (live_start(&L) != 0)
		return 3;
	cdp_page_default_params(&pp);
	if ((r = cdp_page_open(L.conn, &pp, &page)) != 0 ||
	    (r = cdp_page_navigate(page, argv[1], 20000)) != 0) {
		printf("page: %s (%s)\n", cdp_conn_error(L.conn), err_str(r));
		rc = 3;
		goto out;
	}
	printf("# loaded\n");
	fflush(stdout);
	end = now_ms() + atoi(argv[3]);
	while (now_ms() < end) {
		truthy = 0;
		if (cdp_page_eval(page, argv[2], 5000, &v) == 0)
			truthy = !(cJSON_IsFalse(v) || cJSON_IsNull(v) ||
			    (cJSON_IsNumber(v) && !(v->valuedouble > 0 ||
			    v->valuedouble < 0)) ||
			    (cJSON_IsString(v) && *v->valuestring == '\0'));
		cJSON_Delete(v);
		v = NULL;
		if (truthy) {
			rc = 0;
			break;
		}
		cdp_conn_pump(L.conn, 100, NULL, NULL);
	}
	report(page, rexpr);
out:
	cdp_page_free(page);
	live_stop(&L);
	return rc;
}
