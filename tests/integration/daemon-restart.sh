#!/bin/bash
# daemon-restart.sh: nothing submitted is lost.  kill -9 of webnavd with
# tasks queued: after a restart every queued task runs exactly once, and
# the one that was running is marked interrupted (on_interrupt fail) or
# run again as attempt 2 (on_interrupt retry).  SIGTERM with tasks
# running: they finish within the grace period, or are interrupted when
# it runs out; queued tasks wait on disk for the next start.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/daemon-lib.sh"

# A site server that logs each request, to count how often tasks ran.
"$SITESRV" -v -r "$top_srcdir/tests/sites" -p 0 >"$T/port" 2>"$T/site.log" &
site_pids="$site_pids $!"
for i in $(seq 1 50); do [ -s "$T/port" ] && break; sleep 0.1; done
BASE="http://127.0.0.1:$(awk '{print $2}' "$T/port")"

# visits NAME: how often task NAME loaded its start page.
visits() {
	grep -c "GET /demo/index.html?t=$1\$" "$T/site.log"
}

# all_ended NAME [SECONDS]: until nothing is queued or running.
all_ended() {
	local i
	for i in $(seq 1 $((${2:-120} * 10))); do
		api "$1" GET /v1/health |
		    jq -e '.tasks.queued + .tasks.running == 0' >/dev/null &&
		    return 0
		sleep 0.1
	done
	return 1
}

# state_of NAME ID: "state attempt outcome-of-attempt-1".
state_of() {
	api "$1" GET "/v1/tasks/$2" |
	    jq -r '[.state, .attempt, .attempts[0].outcome] | join(" ")'
}

# --- kill -9 with tasks queued, on_interrupt fail ------------------------
daemon_conf a "sessions 1"
check "webnavd starts" daemon_start a || { tap_done; exit 1; }
ids=""
for n in ka kb kc kd ke kf; do
	task_file "$T/$n.json" "$n" "$BASE/demo" 1200
	ids="$ids $(wn a submit "$T/$n.json")"
done
set -- $ids
first=$1
wait_steps a "$first" 1 60
check "kill -9 of webnavd while task 1 runs" daemon_stop a KILL
check "its browser died with it" chromium_gone a
check "on disk: task 1 running, the others queued" bash -c "
    jq -e '.state == \"running\"' '$T/a/state/tasks/$first.json' >/dev/null &&
    [ \$(grep -l '\"state\":.*\"queued\"' '$T/a/state/tasks/'*[0-9].json |
    wc -l) -eq 5 ]"
check "webnavd starts again" daemon_start a
check "every task ends" all_ended a
check "task 1: interrupted, not run again" \
    test "$(state_of a "$first")" = "interrupted 1 interrupted"
bad=0
shift
for id in "$@"; do
	[ "$(state_of a "$id")" = "succeeded 1 success" ] || bad=$((bad + 1))
done
check "the 5 queued tasks succeeded, each on attempt 1" test "$bad" -eq 0
bad=0
for n in ka kb kc kd ke kf; do
	[ "$(visits $n)" -eq 1 ] || { note "$n ran $(visits $n) times"; bad=1; }
done
check "every task ran exactly once" test "$bad" -eq 0
check "ids are not reused" bash -c "
    id=\$('$WEBNAV' submit --socket '$(sock a)' '$T/ka.json') &&
    [ \$id -gt $(echo $ids | awk '{print $NF}') ]"
check "stops" daemon_stop a

# --- kill -9, on_interrupt retry ------------------------------------------
daemon_conf b "sessions 1" "on_interrupt retry"
check "webnavd (retry) starts" daemon_start b || { tap_done; exit 1; }
task_file "$T/ra.json" ra "$BASE/demo" 1200
task_file "$T/rb.json" rb "$BASE/demo" 100
ra=$(wn b submit "$T/ra.json")
rb=$(wn b submit "$T/rb.json")
wait_steps b "$ra" 1 60
daemon_stop b KILL
daemon_start b
check "retry: every task ends" all_ended b
check "the interrupted task ran again as attempt 2" \
    test "$(state_of b "$ra")" = "succeeded 2 interrupted"
check "and its first attempt is on record" bash -c "
    api b GET /v1/tasks/$ra | jq -e '.attempts[0].reason |
    test(\"webnavd stopped\")' >/dev/null"
check "it was loaded twice, once per attempt" test "$(visits ra)" -eq 2
check "the queued one ran once" test "$(visits rb)" -eq 1
check "stops" daemon_stop b

# --- SIGTERM: running tasks finish within the grace --------------------
daemon_conf c "sessions 2" "stop_grace 60s"
check "webnavd (grace) starts" daemon_start c || { tap_done; exit 1; }
for n in ga gb gc gd; do
	task_file "$T/$n.json" "$n" "$BASE/demo" 1500
	eval "$n=\$(wn c submit '$T/$n.json')"
done
wait_steps c "$ga" 1 60
wait_steps c "$gb" 1 60
kill -TERM "$(daemon_pid c)"
sleep 0.3
check "while draining, submissions get 503" \
    test "$(api_code c POST /v1/tasks --data-binary @"$T/ga.json")" = 503
check "health says draining" bash -c "
    api c GET /v1/health | jq -e '.status == \"draining\"' >/dev/null"
check "SIGTERM: stops once they finish" daemon_stop c wait
check "exit status 0" test "$daemon_status" -eq 0
check "no Chromium left" test "$(daemon_chromium c)" -eq 0
daemon_start c
check "the running ones had finished" bash -c "
    [ \"\$(api c GET /v1/tasks/$ga | jq -r .state)\" = succeeded ] &&
    [ \"\$(api c GET /v1/tasks/$gb | jq -r .state)\" = succeeded ]"
check "the queued ones run after the restart" all_ended c
check "and succeed" bash -c "
    [ \"\$(api c GET /v1/tasks/$gc | jq -r .state)\" = succeeded ] &&
    [ \"\$(api c GET /v1/tasks/$gd | jq -r .state)\" = succeeded ]"
check "each ran once" bash -c "
    for n in ga gb gc gd; do
	[ \$(grep -c \"GET /demo/index.html?t=\$n\\\$\" '$T/site.log') -eq 1 ] ||
	    exit 1
    done"
check "stops" daemon_stop c

# --- SIGTERM: the grace runs out -------------------------------------------
daemon_conf d "sessions 1" "stop_grace 1s"
check "webnavd (short grace) starts" daemon_start d || { tap_done; exit 1; }
task_file "$T/sa.json" sa "$BASE/demo" 3000
sa=$(wn d submit "$T/sa.json")
wait_steps d "$sa" 1 60
start=$(date +%s)
check "SIGTERM: stops after the grace" daemon_stop d
took=$(($(date +%s) - start))
note "stopped in $took s"
check "within the grace plus one step" test "$took" -le 20
check "no Chromium left" test "$(daemon_chromium d)" -eq 0
check "the task is recorded as interrupted" bash -c "
    jq -e '.state == \"interrupted\" and .attempts[0].outcome ==
    \"interrupted\"' '$T/d/state/tasks/$sa.json' >/dev/null"
daemon_start d
sleep 1
check "and is not run again" test "$(visits sa)" -eq 1
check "stops" daemon_stop d
check "no sanitizer report in the daemon logs" logs_clean
tap_done
