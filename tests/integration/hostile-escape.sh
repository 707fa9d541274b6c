#!/bin/bash
# hostile-escape.sh: a hostile page can neither take the agent off its
# allowed domains nor carry a typed secret to a foreign origin.
#
# Two servers, as in run-allowlist.sh: the task's site (tests/sites/hostile,
# allowed_domains names only 127.0.0.1:PORT) and a foreign one, whose
# request log (sitesrv -v) is the evidence.  The ways off the site beyond
# run-allowlist.sh's link, redirect, window.open and location change: a
# meta refresh, a form GET and a form POST to the foreign origin, a link
# with target=_blank, window.open with noopener, a popup opened on
# about:blank and then moved, an iframe loading the foreign page, a
# same-origin iframe moving the top document, a location change on a
# timer after the step settled, and history.pushState/replaceState to a
# foreign URL (refused by the browser itself: nothing is requested and the
# task is not "denied", it just does not get there).
#
# Exfiltration: a page asks for the password in its search box and sends
# whatever is typed there (or into its password field) to the foreign
# origin by fetch, XMLHttpRequest, an image, a beacon, a stylesheet, a
# script, a prefetch, an EventSource, a dedicated worker, an <a ping> and
# a CSS background: none may reach it.  A WebSocket does (DevTools cannot
# hold its handshake): a known limitation, reported as TODO while it
# holds (see webnav-task(5), ALLOWLIST).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/run-lib.sh"

TASKS="$top_srcdir/tests/tasks/hostile"
HSITE="$top_srcdir/tests/sites/hostile"
site_start_log "$HSITE" PORT "$T/site.log"
site_start_log "$HSITE" FPORT "$T/foreign.log"
BASE="http://127.0.0.1:$PORT"
FOREIGN="http://127.0.0.1:$FPORT"
START="$BASE/escape.html?to=$FOREIGN"

# foreign_saw VIA: the foreign server was asked for anything with via=VIA.
foreign_saw() {
	grep -q "via=$1\\b" "$T/foreign.log"
}

# escape VIA TEXT: clicks TEXT on escape.html; the task must end denied
# on the refused foreign.html?via=VIA, which was never requested.
escape() {
	local via=$1 text=$2
	run "$via" escape --var BASE="$BASE" --var FOREIGN="$FOREIGN" \
	    --var ALLOW="127.0.0.1:$PORT" --var WAY="$text"
	check "$via: exits 1, outcome denied" outcome_is "$via" denied
	check "$via: reason names the refused URL" reason_has "$via" \
	    "refused to load $FOREIGN/foreign.html?via=$via"
	check "$via: the foreign page was never requested" \
	    eval "! foreign_saw $via"
	case $via in
	blank|noopener|popnav) ;;	# the refused popup closed
	*) check "$via: final_url is the page it was on" \
	    test "$(field "$via" final_url)" = "$START" ;;
	esac
}

escape meta "Refresh to partner"
escape formget "Search partner"
escape formpost "Send to partner"
check "formpost: the POST never reached the foreign server" \
    eval "! grep -q '^sitesrv: POST' '$T/foreign.log'"
escape blank "Partner in a new tab"
escape noopener "Open without opener"
escape popnav "Open then move"
escape frame "Show partner frame"
escape frametop "Frame escape"
escape later "Go there later"
check "later: refused in the step after the click" \
    test "$(field later steps)" = 2

run hist escape --var BASE="$BASE" --var FOREIGN="$FOREIGN" \
    --var ALLOW="127.0.0.1:$PORT" --var WAY="History trick"
check "history: not denied, did not get there (failed)" \
    outcome_is hist failed
check "history: still on the start page" \
    test "$(field hist final_url)" = "$START"
check "history: the browser refused pushState and replaceState" \
    eval "! foreign_saw pushstate && ! foreign_saw replacestate"

# Control: with the foreign origin allowed the same ways get there.
run ctl escape --var BASE="$BASE" --var FOREIGN="$FOREIGN" \
    --var ALLOW="127.0.0.1:$PORT" --var ALSO="127.0.0.1:$FPORT" \
    --var WAY="Send to partner"
check "control: allowed, the form POST arrives" outcome_is ctl success
check "control: the foreign server logged it" \
    grep -q '^sitesrv: POST /foreign.html?via=formpost' "$T/foreign.log"

# --- exfiltration of a typed secret ---------------------------------------
PW="Pw-Hostile-Lantern-5150"
export WEBNAV_TEST_PASSWORD="$PW"
for field in Search Password; do
	run "x$field" exfil --var BASE="$BASE" --var FOREIGN="$FOREIGN" \
	    --var ALLOW="127.0.0.1:$PORT" --var FIELD="$field"
	check "exfil ($field): the page read the field and sent it" \
	    outcome_is "x$field" success
	check "exfil ($field): no secret in the run's files or output" \
	    test -z "$(grep -rlF "$PW" "$T/x$field" "$T/x$field.out" \
	    "$T/x$field.err")"
done
# The page's reports go out after the step; give stragglers (retries of
# the event stream, the beacon) time to arrive if they could.
sleep 1
for via in fetch xhr img beacon css script prefetch eventsource worker \
    ping cssbg; do
	check "exfil: nothing by $via reached the foreign origin" \
	    eval "! foreign_saw $via"
done
check "exfil: the secret reached the foreign origin by no request but a WebSocket" \
    eval "! grep -v 'via=websocket' '$T/foreign.log' | grep -qF '$PW'"
if grep -q 'via=websocket' "$T/foreign.log"; then
	known_bug "exfil: a WebSocket handshake to a foreign origin is refused" \
	    "DevTools Fetch cannot hold WebSocket handshakes"
else
	check "exfil: a WebSocket handshake to a foreign origin is refused" true
fi

check "no sanitizer report on any run's stderr" \
    eval "! grep -l 'Sanitizer\|runtime error:' '$T'/*.err"
check "no Chromium left behind" test "$(chromium_count)" -eq 0
tap_done
