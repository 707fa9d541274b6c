#!/bin/bash
# daemon-crash.sh: kill -9 of Chromium in the middle of a task.  The
# documented outcome (webnavd(8), on_browser_crash): the browser is started
# again and the task is retried ("retry", the default; its first attempt
# is recorded as "crashed" with the signal), or ends in state "error" with
# outcome "crashed" ("fail").  Tasks after it succeed.  Then the same with
# one Chromium per session.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/daemon-lib.sh"

site_start "$top_srcdir/tests/sites" PORT
BASE="http://127.0.0.1:$PORT"

# The main Chromium process of a per-session daemon (no --type=).
main_chromium() {
	local p
	for p in $(pgrep -f -- "--user-data-dir=$T/$1/state/tmp/"); do
		tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null |
		    grep -q -- '--type=' || { echo "$p"; return 0; }
	done
	return 1
}

# kill_mid NAME ID: once task ID has a step, kill -9 the browser it uses.
kill_mid() {
	local bpid
	wait_steps "$1" "$2" 1 60 || return 1
	if [ "${3:-}" = per-session ]; then
		bpid=$(main_chromium "$1")
	else
		bpid=$(api "$1" GET /v1/health | jq -r .browser.pid)
	fi
	[ -n "$bpid" ] && [ "$bpid" -gt 0 ] || return 1
	note "kill -9 chromium $bpid"
	kill -9 "$bpid"
	echo "$bpid" >"$T/killed"
}

quick_ok() {
	local id rc=0 i
	for i in 1 2 3; do
		task_file "$T/q$i.json" "q$i" "$BASE/demo" 50
		id=$(wn "$1" submit "$T/q$i.json")
		wn "$1" wait --timeout 60000 "$id" >/dev/null || rc=1
	done
	return $rc
}

# --- shared browser, on_browser_crash retry --------------------------------
daemon_conf a "sessions 2"
check "webnavd starts" daemon_start a || { tap_done; exit 1; }
task_file "$T/long.json" long "$BASE/demo" 2500
id=$(wn a submit "$T/long.json")
check "kill -9 of chromium mid-task" kill_mid a "$id"
wn a wait --timeout 90000 "$id" >/dev/null
t=$(api a GET "/v1/tasks/$id")
check "retry: the task succeeded on attempt 2" \
    test "$(jf "$t" '[.state, .attempt] | join(" ")')" = "succeeded 2"
check "attempt 1 recorded as crashed by signal 9" \
    jqt '.attempts[0].outcome == "crashed" and
    (.attempts[0].reason | test("killed by signal 9"))' "$t"
check "the browser was restarted" bash -c "
    api a GET /v1/health | jq -e '.browser.state == \"up\" and
    .browser.restarts == 1 and .browser.pid != $(cat "$T/killed")' >/dev/null"
check "metrics: 1 browser restart" bash -c "
    api a GET /metrics | grep -qx 'webnavd_browser_restarts_total 1'"
check "nothing left of the killed browser" \
    test -z "$(pgrep -g "$(cat "$T/killed")")"
check "later tasks succeed" quick_ok a

# --- on_browser_crash fail, by reload -----------------------------------
daemon_conf a "sessions 2" "on_browser_crash fail"
kill -HUP "$(daemon_pid a)"
sleep 0.5
id=$(wn a submit "$T/long.json")
check "kill -9 of chromium mid-task (fail)" kill_mid a "$id"
wn a wait --timeout 90000 "$id" >/dev/null
rc=$?
t=$(api a GET "/v1/tasks/$id")
check "fail: state error, outcome crashed, one attempt, exit 3" \
    test "$(jf "$t" '[.state, .outcome, .attempt] | join(" ")') $rc" = \
    "error crashed 1 3"
check "its reason names the signal" \
    jqt '.reason | test("browser died.*killed by signal 9")' "$t"
check "later tasks succeed (fail)" quick_ok a
check "stops" daemon_stop a
check "no Chromium left" test "$(daemon_chromium a)" -eq 0

# --- one Chromium per session -------------------------------------------
daemon_conf b "sessions 2" "browser per-session"
check "webnavd (per-session) starts" daemon_start b || { tap_done; exit 1; }
id=$(wn b submit "$T/long.json")
check "kill -9 of a session's chromium" kill_mid b "$id" per-session
wn b wait --timeout 90000 "$id" >/dev/null
t=$(api b GET "/v1/tasks/$id")
check "per-session: retried and succeeded" \
    test "$(jf "$t" '[.state, .attempt, .attempts[0].outcome] | join(" ")')" = \
    "succeeded 2 crashed"
check "later tasks succeed (per-session)" quick_ok b
check "no Chromium while idle (per-session)" test "$(daemon_chromium b)" -eq 0
check "stops (per-session)" daemon_stop b
check "no Chromium left (per-session)" test "$(daemon_chromium b)" -eq 0
check "no sanitizer report in the daemon logs" logs_clean
tap_done
