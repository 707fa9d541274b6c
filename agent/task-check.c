/*
 * task-check.c: evaluating a task's success and failure checks on a page.
 *
 * url_matches runs the regular expression against the followed tab's URL
 * here; the other checks run as one expression in the page:
 *   text_present     the text, whitespace-collapsed, is a substring of the
 *                    visible text (innerText) of the document, of open
 *                    shadow roots and of same-origin frames;
 *   element_present  the CSS selector matches an element that is rendered
 *                    (checkVisibility with opacity and visibility, a
 *                    non-empty box), in the document, open shadow roots or
 *                    same-origin frames;
 *   js               the expression (awaited if it is a promise) is truthy.
 * Kept apart from task.c so programs that only load tasks do not link the
 * DevTools client.
 */
#include "config.h"

#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "cdp.h"
#include "err.h"
#include "task.h"
#include "xmalloc.h"

/* Deadline of one check in the page. */
#define CHECK_TIMEOUT_MS	10000

/* function(want): is the text visible anywhere in the page? */
static const char text_fn[] =
    "(function (want) {\n"
    "  var budget = 400;\n"
    "  function norm(s) {\n"
    "    return String(s == null ? '' : s).replace(/\\s+/g, ' ');\n"
    "  }\n"
    "  function vis(e) {\n"
    "    return !e.checkVisibility || e.checkVisibility(\n"
    "        {checkOpacity: true, checkVisibilityCSS: true});\n"
    "  }\n"
    "  function has(s) { return norm(s).indexOf(want) >= 0; }\n"
    "  function scan(root, depth) {\n"
    "    if (!root || depth > 8 || --budget < 0) return false;\n"
    "    if (root.nodeType === 9) {\n"
    "      var b = root.body || root.documentElement;\n"
    "      if (b && has(b.innerText)) return true;\n"
    "    } else {\n"
    "      /* innerText leaves out shadow trees: read them here. */\n"
    "      var s = '';\n"
    "      for (var n = root.firstChild; n; n = n.nextSibling) {\n"
    "        if (n.nodeType === 1 && vis(n)) s += ' ' + n.innerText;\n"
    "        else if (n.nodeType === 3) s += ' ' + n.textContent;\n"
    "      }\n"
    "      if (has(s)) return true;\n"
    "    }\n"
    "    var all = root.querySelectorAll('*');\n"
    "    for (var i = 0; i < all.length; i++) {\n"
    "      var e = all[i], d = null;\n"
    "      if (e.shadowRoot && vis(e) && scan(e.shadowRoot, depth + 1))\n"
    "        return true;\n"
    "      if (e.tagName !== 'IFRAME' && e.tagName !== 'FRAME') continue;\n"
    "      try { d = e.contentDocument; } catch (x) {}\n"
    "      if (d && vis(e) && scan(d, depth + 1)) return true;\n"
    "    }\n"
    "    return false;\n"
    "  }\n"
    "  want = norm(want).trim();\n"
    "  return want === '' || scan(document, 0);\n"
    "})";

/* function(selector): does a rendered element match it? */
static const char element_fn[] =
    "(function (sel) {\n"
    "  var budget = 400;\n"
    "  function vis(e) {\n"
    "    if (e.checkVisibility && !e.checkVisibility(\n"
    "        {checkOpacity: true, checkVisibilityCSS: true}))\n"
    "      return false;\n"
    "    var r = e.getBoundingClientRect();\n"
    "    return r.width > 0 && r.height > 0;\n"
    "  }\n"
    "  function scan(root, depth) {\n"
    "    if (!root || depth > 8 || --budget < 0) return false;\n"
    "    var l = root.querySelectorAll(sel), i;\n"
    "    for (i = 0; i < l.length; i++) if (vis(l[i])) return true;\n"
    "    var all = root.querySelectorAll('*');\n"
    "    for (i = 0; i < all.length; i++) {\n"
    "      var e = all[i], d = null;\n"
    "      if (e.shadowRoot && scan(e.shadowRoot, depth + 1)) return true;\n"
    "      if (e.tagName !== 'IFRAME' && e.tagName !== 'FRAME') continue;\n"
    "      try { d = e.contentDocument; } catch (x) {}\n"
    "      if (d && vis(e) && scan(d, depth + 1)) return true;\n"
    "    }\n"
    "    return false;\n"
    "  }\n"
    "  return scan(document, 0);\n"
    "})";

/* Quotes s as a JS string literal (JSON is valid JS); NULL on OOM. */
static char *
js_quote(const char *s)
{
	cJSON *j;
	char *q, *r = NULL;

	if ((j = cJSON_CreateString(s)) == NULL)
		return NULL;
	if ((q = cJSON_PrintUnformatted(j)) != NULL) {
		r = xstrdup(q);
		cJSON_free(q);
	}
	cJSON_Delete(j);
	return r;
}

/* The name of a check kind as task files write it. */
static const char *
kind_name(enum check_kind k)
{
	switch (k) {
	case CHECK_URL_MATCHES:
		return "url_matches";
	case CHECK_TEXT_PRESENT:
		return "text_present";
	case CHECK_ELEMENT_PRESENT:
		return "element_present";
	case CHECK_JS:
		return "js";
	}
	return "check";
}

/* Matches the page's URL against the check's regular expression. */
static int
check_url(struct cdp_page *page, const struct task_check *c, int *holdsp,
    char **causep)
{
	regex_t re;
	char *url = NULL, ebuf[160];
	int r, rc;

	if ((r = cdp_page_url(page, &url)) != 0) {
		*causep = xasprintf("url_matches: cannot read the page's URL: "
		    "%s", cdp_conn_error(cdp_page_conn(page)));
		return r;
	}
	if ((rc = regcomp(&re, c->arg, REG_EXTENDED | REG_NOSUB)) != 0) {
		(void)regerror(rc, &re, ebuf, sizeof(ebuf));
		*causep = xasprintf("url_matches: invalid regular expression: "
		    "%s", ebuf);
		free(url);
		return ERR_INVALID;
	}
	*holdsp = regexec(&re, url, 0, NULL, 0) == 0;
	regfree(&re);
	free(url);
	return 0;
}

/* Evaluates check c on the page. */
int
task_check_eval(struct cdp_page *page, const struct task_check *c,
    int *holdsp, char **causep)
{
	cJSON *v = NULL;
	char *expr = NULL, *q = NULL, *cause = NULL;
	int r = ERR_INTERNAL, holds = 0;

	if (causep != NULL)
		*causep = NULL;
	switch (c->kind) {
	case CHECK_URL_MATCHES:
		r = check_url(page, c, &holds, &cause);
		goto out;
	case CHECK_TEXT_PRESENT:
	case CHECK_ELEMENT_PRESENT:
		if ((q = js_quote(c->arg)) == NULL) {
			r = ERR_NOMEM;
			goto out;
		}
		expr = xasprintf("(%s)(%s)", c->kind == CHECK_TEXT_PRESENT ?
		    text_fn : element_fn, q);
		break;
	case CHECK_JS:
		/* Newlines keep a trailing // comment from eating the ")". */
		expr = xasprintf("(async function(){return !!(await (\n%s\n"
		    "));})()", c->arg);
		break;
	}
	/* Causes name the kind only: the argument may hold a secret. */
	if ((r = cdp_page_eval(page, expr, CHECK_TIMEOUT_MS, &v)) != 0) {
		cause = xasprintf("%s: %s", kind_name(c->kind),
		    cdp_conn_error(cdp_page_conn(page)));
		goto out;
	}
	if (!cJSON_IsBool(v)) {
		r = ERR_PROTOCOL;
		cause = xasprintf("%s: the page gave no true or false",
		    kind_name(c->kind));
		goto out;
	}
	holds = cJSON_IsTrue(v);
	r = 0;
out:
	if (r == 0)
		*holdsp = holds;
	if (r != 0 && causep != NULL)
		*causep = cause;
	else
		free(cause);
	cJSON_Delete(v);
	free(expr);
	free(q);
	return r;
}
