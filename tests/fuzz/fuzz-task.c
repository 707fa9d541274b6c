/*
 * fuzz-task.c: the task-file parser (agent/task.c).
 *
 * The input is a task file.  It is parsed as a file and with a
 * command-line variable; a task that loads is then put through what a run
 * does with it: printed as JSON, its secrets redacted from text, its
 * checks described, variables substituted and URLs checked against its
 * allowlist.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "fuzz.h"
#include "log.h"
#include "task.h"

/* URLs every loaded task is asked about. */
static const char *const fuzz_urls[] = {
	"http://127.0.0.1:8080/index.html",
	"https://www.example.com/a/b?c=d#e",
	"https://user:pw@sub.example.com:443/",
	"http://[::1]:99/x",
	"file:///etc/passwd",
	"data:text/html,hi",
	"about:blank",
	"javascript:alert(1)",
	"http://0x7f.1/",
	"HTTP://EXAMPLE.COM.",
	"http://%65xample.com/",
	"",
	NULL
};

/* Exercises what a run does with a loaded task. */
static void
fuzz_use(const struct task *t)
{
	cJSON *j;
	char *s, *cause;
	size_t i;

	if ((j = task_to_json(t)) != NULL) {
		if ((s = cJSON_PrintUnformatted(j)) != NULL)
			cJSON_free(s);
		cJSON_Delete(j);
	}
	if (t->goal != NULL) {
		free(task_redact(t, t->goal));
		free(task_subst(t, t->goal));
	}
	for (i = 0; i < t->nvars; i++)
		free(task_redact(t, t->vars[i].value));
	for (i = 0; i < t->nsuccess; i++)
		free(task_check_str(&t->success[i]));
	for (i = 0; i < t->nfail; i++)
		free(task_check_str(&t->fail[i]));
	for (i = 0; fuzz_urls[i] != NULL; i++) {
		cause = NULL;
		(void)task_url_allowed(t, fuzz_urls[i], &cause);
		free(cause);
	}
	if (t->start_url != NULL) {
		cause = NULL;
		(void)task_url_allowed(t, t->start_url, &cause);
		free(cause);
	}
}

/* Parses the input as a task, with and without a BASE variable. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = { "BASE" };
	static const char *const values[] = { "http://127.0.0.1:1" };
	static int init;
	struct task *t = NULL;
	char *cause = NULL;

	if (!init) {
		/* Quiet: the parser's complaints are expected here. */
		log_init("fuzz-task", 0, LOG_LVL_WARN);
		init = 1;
	}
	if (task_parse((const char *)data, size, "fuzz", &t, &cause) == 0)
		fuzz_use(t);
	task_free(t);
	free(cause);
	t = NULL;
	cause = NULL;
	if (task_parse_vars((const char *)data, size, "fuzz", names, values,
	    1, &t, &cause) == 0)
		fuzz_use(t);
	task_free(t);
	free(cause);
	return 0;
}
