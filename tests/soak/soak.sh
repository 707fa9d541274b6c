#!/bin/bash
# soak.sh: webnavd under a long mixed load ("make soak"; not part of
# "make check").
#
# SOAK_TASKS tasks (default 500) go through one webnavd with SOAK_SESSIONS
# sessions (default 4) and a shared Chromium that is killed with SIGKILL
# about every SOAK_KILL_EVERY finished tasks (default 50).  The tasks are
# the live suite's reference scripts (tests/suite/scripted/ on the
# tasks of tests/suite/tasks/), some of the suite's goal-mode tasks with
# the lexical policy, the demo shop and, a few in every SOAK_KILL_EVERY,
# the hostile pages of tests/sites/hostile/ (tests/soak/tasks/): a page
# that leaks memory, one that opens dialogs without end, one that
# navigates away without end and one that never finishes loading.
# Submissions are paced so that at most SOAK_INFLIGHT tasks (default 16)
# are queued or running.
#
# At the end it prints: tasks completed, failed (by outcome and reason,
# grouped), lost (tasks that did not reach a final state exactly once:
# must be 0), the daemon's open files when idle at the start and at the
# end, Chromium processes and the site server's open connections left
# after the daemon stopped (must be 0), and the daemon's RSS sampled every
# SOAK_SAMPLE_S seconds (default 10) with the medians of the first and the
# last quarter of the samples (the last may exceed the first by at most
# 25 % plus 8 MiB).  It exits 0 when every criterion holds.  SOAK_LIMIT_S
# (default 5400) bounds the run; SOAK_KEEP=DIR keeps the daemon's state
# and log there.
. "$(dirname "$0")/../integration/lib.sh"
. "$(dirname "$0")/../integration/daemon-lib.sh"

N=${SOAK_TASKS:-500}	# at most 10000 (one GET /v1/tasks lists them)
SESSIONS=${SOAK_SESSIONS:-4}
KILL_EVERY=${SOAK_KILL_EVERY:-50}
INFLIGHT=${SOAK_INFLIGHT:-16}
SAMPLE_S=${SOAK_SAMPLE_S:-10}
LIMIT_S=${SOAK_LIMIT_S:-5400}
SUITE="$top_srcdir/tests/suite"
SOAKT="$top_srcdir/tests/soak/tasks"
FINAL='succeeded|failed|error|cancelled|interrupted'

site_start "$top_srcdir/tests/sites" PORT
ROOT="http://127.0.0.1:$PORT"
SITE_PID=${site_pids##* }

# --- the task pool ---------------------------------------------------------
# Every pool entry is a complete task file (JSON) with its variables set.
mkdir -p "$T/pool"
np=0
# pool_add FILE: adds a task file to the pool.
pool_add() {
	np=$((np + 1))
	cp "$1" "$T/pool/$(printf '%03d' "$np").json"
}
for f in "$SUITE"/scripted/*.json; do
	b=$(basename "$f")
	[ -f "$SUITE/tasks/$b" ] || continue
	jq --slurpfile s "$f" --arg base "$ROOT/suite" '
	    del(.goal, .steps, .max_steps) | .actions = $s[0].actions |
	    .vars = ((.vars // {}) + {BASE: $base}) |
	    .name = "script-" + .name | .timeout_ms = 60000' \
	    "$SUITE/tasks/$b" >"$T/one.json" && pool_add "$T/one.json"
done
nscripted=$np
# Goal mode, lexical policy: some succeed, some fail, all must end.
for b in shop-coupon recipes-newsletter mail-open-invoice \
    console-display-name bank-login gov-pothole jobs-save-designer \
    clinic-video-gp; do
	[ -f "$SUITE/tasks/$b.json" ] || continue
	jq --arg base "$ROOT/suite" '.vars = ((.vars // {}) + {BASE: $base}) |
	    .name = "goal-" + .name | .timeout_ms = 60000 |
	    .policy = "lexical"' "$SUITE/tasks/$b.json" >"$T/one.json" &&
	    pool_add "$T/one.json"
done
# The demo shop: a waiting script that succeeds and one that must fail.
task_file "$T/one.json" demo-ok "$ROOT/demo" 100 && pool_add "$T/one.json"
task_file "$T/one.json" demo-bad "$ROOT/demo" 100 nope &&
    pool_add "$T/one.json"
nhostile=0
for f in "$SOAKT"/hostile-*.json; do
	jq --arg base "$ROOT" '.vars = ((.vars // {}) + {BASE: $base})' \
	    "$f" >"$T/hostile-$nhostile.json"
	nhostile=$((nhostile + 1))
done
note "pool: $np tasks ($nscripted scripted) and $nhostile hostile pages"
[ "$np" -gt 0 ] && [ "$nhostile" -gt 0 ] || { note "empty pool"; exit 1; }

# pick I: the task file of the I-th submission: the hostile pages spread
# over every KILL_EVERY tasks, the pool in turn otherwise.
pick() {
	local i=$1 k gap=$((KILL_EVERY / (nhostile + 1)))

	k=$((i % KILL_EVERY))
	if [ "$gap" -gt 0 ] && [ $((k % gap)) -eq 0 ] && [ "$k" -gt 0 ] &&
	    [ $((k / gap)) -le "$nhostile" ]; then
		echo "$T/hostile-$((k / gap - 1)).json"
		return
	fi
	echo "$T/pool/$(printf '%03d' $(( (i % np) + 1 ))).json"
}

# --- the daemon -------------------------------------------------------------
daemon_conf a "sessions $SESSIONS" "keep_finished 0" "queue_max 10000"
daemon_start a || { note "webnavd did not start"; exit 1; }
DPID=$(daemon_pid a)

# idle_fds: the daemon's open files once idle with its browser up.
idle_fds() {
	local i h
	for i in $(seq 1 300); do
		h=$(api a GET /v1/health 2>/dev/null)
		if jqt '.browser.state == "up" and .sessions.busy == 0' "$h"
		then
			sleep 1
			ls "/proc/$DPID/fd" 2>/dev/null | wc -l
			return
		fi
		sleep 0.1
	done
	echo -1
}
rss_kb() {
	awk '/^VmRSS:/ { print $2 }' "/proc/$DPID/status" 2>/dev/null
}
# site_conns: connections the site server holds open (its other files:
# stdio and the listening socket).
site_conns() {
	ls -l "/proc/$SITE_PID/fd" 2>/dev/null | grep -c 'socket:'
}
fd0=$(idle_fds)
site0=$(site_conns)

# --- the run ----------------------------------------------------------------
: >"$T/ids"
: >"$T/rss"
submitted=0
finished=0
kills=0
next_kill=$KILL_EVERY
t0=$(date +%s)
last_sample=0
rejected=0
while :; do
	now=$(date +%s)
	if [ $((now - t0)) -ge "$LIMIT_S" ]; then
		note "SOAK_LIMIT_S ($LIMIT_S s) reached"
		break
	fi
	h=$(api a GET /v1/health 2>/dev/null) || { sleep 0.5; continue; }
	live=$(jf "$h" '.tasks.queued + .tasks.running')
	finished=$(jf "$h" '[.tasks.succeeded, .tasks.failed, .tasks.error,
	    .tasks.cancelled, .tasks.interrupted] | add')
	while [ "$submitted" -lt "$N" ] && [ "$live" -lt "$INFLIGHT" ]; do
		f=$(pick "$submitted")
		id=$(api a POST /v1/tasks -H 'Content-Type: application/json' \
		    --data-binary "@$f" | jq -r '.id // empty')
		if [ -z "$id" ]; then
			rejected=$((rejected + 1))
			break
		fi
		echo "$id $(jq -r .name "$f")" >>"$T/ids"
		submitted=$((submitted + 1))
		live=$((live + 1))
	done
	if [ "$finished" -ge "$next_kill" ] && [ "$finished" -lt "$N" ]; then
		bpid=$(jf "$h" '.browser.pid')
		if [ "$bpid" -gt 0 ] 2>/dev/null; then
			kill -9 "$bpid" 2>/dev/null && kills=$((kills + 1))
			note "$(date +%T) $finished finished: kill -9 chromium $bpid"
		fi
		next_kill=$((next_kill + KILL_EVERY))
	fi
	if [ $((now - last_sample)) -ge "$SAMPLE_S" ]; then
		last_sample=$now
		echo "$((now - t0)) $(rss_kb) $finished" \
		    "$(ls "/proc/$DPID/fd" 2>/dev/null | wc -l)" \
		    "$(daemon_chromium a)" >>"$T/rss"
	fi
	[ "$submitted" -ge "$N" ] && [ "$live" -eq 0 ] && break
	sleep 0.5
done
elapsed=$(( $(date +%s) - t0 ))
echo "$elapsed $(rss_kb) $finished $(ls "/proc/$DPID/fd" | wc -l)" \
    "$(daemon_chromium a)" >>"$T/rss"
fd1=$(idle_fds)

# --- what became of every task -------------------------------------------
api a GET "/v1/tasks?limit=10000" >"$T/all.json"
m=$(api a GET /metrics)
attempts_metric=$(grep '^webnavd_attempts_total' <<<"$m" |
    awk '{ s += $2 } END { print s + 0 }')
restarts=$(api a GET /v1/health | jq .browser.restarts)
check "stops" daemon_stop a
sleep 1
chromium_left=$(daemon_chromium a)
site1=$(site_conns)
find "$T/a/state/tmp" -mindepth 1 -maxdepth 1 >"$T/profiles" 2>/dev/null
profiles_left=$(wc -l <"$T/profiles")

# A task is lost when it is not in a final state, or its end was logged
# other than exactly once.
lost=0
: >"$T/lost"
while read -r id name; do
	st=$(jq -r --argjson id "$id" \
	    '.tasks[] | select(.id == $id) | .state' "$T/all.json")
	ends=$(grep -cE "task $id: ($FINAL) after " "$T/a/log")
	if ! [[ "$st" =~ ^($FINAL)$ ]] || [ "$ends" -ne 1 ]; then
		lost=$((lost + 1))
		echo "$id $name: state ${st:-missing}, ended $ends times" \
		    >>"$T/lost"
	fi
done <"$T/ids"
attempts_sum=$(jq '[.tasks[].attempt] | add // 0' "$T/all.json")
succeeded=$(jq '[.tasks[] | select(.state == "succeeded")] | length' \
    "$T/all.json")
notok=$(jq '[.tasks[] | select(.state != "succeeded")] | length' \
    "$T/all.json")
retried=$(jq '[.tasks[] | select(.attempt > 1)] | length' "$T/all.json")

# --- report -----------------------------------------------------------------
echo "# ---- soak report ------------------------------------------------"
note "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores," \
    "$(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)," \
    "$(chromium --version 2>/dev/null | head -1)"
note "tasks $N, sessions $SESSIONS, chromium killed every ~$KILL_EVERY" \
    "finished tasks ($kills kills, $restarts restarts), $elapsed s"
note "submitted $submitted (rejected submissions retried: $rejected)"
note "completed (succeeded)  $succeeded"
note "not succeeded          $notok (by state, outcome and reason):"
# Reasons grouped: numbers, ports and ids folded so that alike ones meet.
jq -r '.tasks[] | select(.state != "succeeded") |
    "\(.state) \(.outcome): \(.name): \(.reason)"' "$T/all.json" |
    sed -E -e 's/[0-9]+(\.[0-9]+)?/N/g' | cut -c1-150 | sort |
    uniq -c | sort -rn | sed 's/^/#   /'
note "tasks retried after a crash: $retried; attempts $attempts_sum" \
    "(metrics: $attempts_metric)"
note "lost                   $lost"
[ "$lost" -eq 0 ] || sed 's/^/#   /' "$T/lost"
note "daemon open files when idle: $fd0 at the start, $fd1 at the end"
note "after the stop: $chromium_left Chromium processes," \
    "$profiles_left browser profiles, site server connections" \
    "$site0 before, $site1 after"
note "daemon RSS (KiB) every ${SAMPLE_S} s: seconds rss finished fds chromium"
sed 's/^/#   /' "$T/rss"
read -r q1 q4 <<<"$(awk '{ print $2 }' "$T/rss" | awk '
    { v[NR] = $1 }
    function med(a, b,   i, j, t, n, w) {
	n = 0
	for (i = a; i <= b; i++) w[++n] = v[i]
	for (i = 2; i <= n; i++) {
		t = w[i]
		for (j = i - 1; j >= 1 && w[j] > t; j--) w[j + 1] = w[j]
		w[j + 1] = t
	}
	return n % 2 ? w[(n + 1) / 2] : (w[n / 2] + w[n / 2 + 1]) / 2
    }
    END {
	q = int(NR / 4); if (q < 1) q = 1
	print med(1, q), med(NR - q + 1, NR)
    }')"
note "RSS median: first quarter $q1 KiB, last quarter $q4 KiB"

check "every task submitted" test "$submitted" -eq "$N"
check "no task lost" test "$lost" -eq 0
check "attempts on record match the metrics" \
    test "$attempts_sum" -eq "$attempts_metric"
check "the browser was killed and came back" \
    test "$restarts" -ge $(( kills > 0 ? 1 : 0 ))
check "no daemon file descriptor leaked ($fd0 -> $fd1)" \
    test "$fd1" -le "$fd0" -a "$fd0" -gt 0
check "no Chromium process left" test "$chromium_left" -eq 0
check "no browser profile left" test "$profiles_left" -eq 0
[ "$profiles_left" -eq 0 ] || sed 's/^/#   /' "$T/profiles"
check "no site server connection left" test "$site1" -le "$site0"
# AddressSanitizer's quarantine holds freed memory: RSS says nothing there
# (its leak checker does, at exit).
if ldd "$WEBNAVD" 2>/dev/null | grep -q libasan; then
	tap_n=$((tap_n + 1))
	echo "ok $tap_n - RSS flat # SKIP sanitizer build"
else
	check "RSS flat (last quarter <= first quarter * 1.25 + 8 MiB)" \
	    awk -v a="$q1" -v b="$q4" \
	    'BEGIN { exit !(a > 0 && b <= a * 1.25 + 8192) }'
fi
check "no sanitizer report in the daemon log" logs_clean
if [ -n "${SOAK_KEEP:-}" ]; then
	mkdir -p "$SOAK_KEEP"
	cp -r "$T/a/log" "$T/all.json" "$T/rss" "$T/ids" "$SOAK_KEEP/"
fi
echo "soak: $((tap_n - tap_failed)) passed, $tap_failed failed"
tap_done
