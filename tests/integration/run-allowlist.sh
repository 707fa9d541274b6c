#!/bin/bash
# run-allowlist.sh: a task may not leave its allowed domains.  Two
# servers: the task's site on one port (allowed_domains names only
# 127.0.0.1:PORT) and a foreign site on another, whose request log (sitesrv
# -v) shows whether the browser ever asked it for a page.  A link, a
# server redirect, window.open and a location change from script each end
# the task as "denied" without the foreign page being requested, and the
# result's final_url is the page the task was on, not the refused one
# (Chromium shows its error page under the refused URL); with the foreign
# port allowed, the same click does reach it.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/run-lib.sh"

site_start_log "$TSITE" PORT "$T/site.log"
site_start_log "$TSITE" FPORT "$T/foreign.log"
BASE="http://127.0.0.1:$PORT"
FOREIGN="http://127.0.0.1:$FPORT"

# escape VIA TEXT: clicks TEXT on escape.html, which leaves for
# $FOREIGN/foreign.html?via=VIA.
escape() {
	local via=$1 text=$2 start="$BASE/escape.html?to=$FOREIGN"
	run "$via" escape --var BASE="$BASE" --var FOREIGN="$FOREIGN" \
	    --var ALLOW="127.0.0.1:$PORT" --var WAY="$text"
	check "$via: exits 1" test "$rc" = 1
	check "$via: outcome denied" outcome_is "$via" denied
	check "$via: reason names the refused URL" reason_has "$via" \
	    "refused to load $FOREIGN/foreign.html?via=$via: not in the task's allowed domains"
	check "$via: ended on the step that tried" \
	    test "$(field "$via" steps)" = 1
	check "$via: final_url is the page it was on ($(field "$via" final_url))" \
	    test "$(field "$via" final_url)" = "$start"
	check "$via: trajectory files" run_files "$via"
	# The evidence: the foreign server never saw the request (a popup
	# included: it waits to start until its URL filter is in place).
	check "$via: the foreign page was never requested" \
	    sh -c "! grep -q 'GET /foreign.html?via=$via' '$T/foreign.log'"
}

escape link "Visit the partner site"
escape redirect "Partner offers"
check "redirect: the allowed site answered with the redirect" \
    grep -q "GET /__redirect?to=http%3A%2F%2F127.0.0.1%3A$FPORT%2Fforeign.html%3Fvia%3Dredirect" \
    "$T/site.log"
escape open "Open partner window"
escape js "Go to partner"

# Control: allow the foreign port and the same link gets there.
run allowed escape --var BASE="$BASE" --var FOREIGN="$FOREIGN" \
    --var ALLOW="127.0.0.1:$PORT" --var ALSO="127.0.0.1:$FPORT" \
    --var WAY="Visit the partner site"
check "allowed: exits 0" test "$rc" = 0
check "allowed: outcome success" outcome_is allowed success
check "allowed: the foreign server logged the request" \
    grep -q "GET /foreign.html?via=link" "$T/foreign.log"

check "no Chromium left behind" test "$(chromium_count)" -eq 0
tap_done
