#!/bin/bash
# run-daemon.sh: webnavd's benchmark (not a test).
#
#   bench/run-daemon.sh [SUITE.json] [SESSIONS...]
#
# For each number of sessions (default 1 2 4): starts webnavd on a private
# socket and state directory (shared browser), submits every task of the
# suite (default tests/suite/live.json, its sites served on 127.0.0.1),
# waits for all of them and reports tasks per minute and the outcomes.
# Also the daemon's own memory (VmRSS of webnavd, Chromium not counted):
# idle after start, and the peak while 4 (or N) sessions run.  Policy:
# $POLICY (default: the daemon's, lexical).  $LIMIT takes the first N
# tasks only.  Run from the build directory (or set top_builddir).
set -u
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${top_builddir:=.}"
SUITE=${1:-$top_srcdir/tests/suite/live.json}
shift || true
SESSIONS=${*:-1 2 4}
WEBNAVD=$top_builddir/src/webnavd
WEBNAV=$top_builddir/src/webnav
SITESRV=$top_builddir/tests/sitesrv
for p in "$WEBNAVD" "$WEBNAV" "$SITESRV"; do
	[ -x "$p" ] || { echo "missing $p: run make (and make check)"; exit 1; }
done

T=$(mktemp -d /tmp/webnavd-bench.XXXXXX)
chmod 755 "$T"
pids=""
trap 'for p in $pids; do kill $p 2>/dev/null; done; sleep 1; rm -rf "$T"' EXIT

dir=$(dirname "$SUITE")
root="$dir/$(jq -r .site_root "$SUITE")"
"$SITESRV" -r "$root" -p 0 >"$T/port" &
pids="$pids $!"
for i in $(seq 1 50); do [ -s "$T/port" ] && break; sleep 0.1; done
BASE="http://127.0.0.1:$(awk '{print $2}' "$T/port")"

# The suite's task files, in order.
tasks=()
for e in $(jq -r '.tasks[]' "$SUITE"); do
	if [ -d "$dir/$e" ]; then
		for f in "$dir/$e"/*.json; do tasks+=("$f"); done
	else
		tasks+=("$dir/$e")
	fi
done
[ -n "${LIMIT:-}" ] && tasks=("${tasks[@]:0:$LIMIT}")

rss() {
	awk '/^VmRSS/ {print $2}' "/proc/$1/status" 2>/dev/null
}

echo "suite $SUITE: ${#tasks[@]} tasks, policy ${POLICY:-(daemon default)}"
echo "machine: $(nproc) cores, $(uptime | sed 's/.*load/load/')"
printf '%8s  %9s  %7s  %9s  %9s  %9s  %s\n' sessions seconds tasks/min \
    succeeded idle_rss_kb peak_rss_kb outcomes
for n in $SESSIONS; do
	d="$T/s$n"
	mkdir -p "$d"
	chmod 755 "$d"
	{
		echo "socket $d/sock"
		echo "state_dir $d/state"
		[ "$(id -u)" -eq 0 ] && echo "user nobody"
		echo "sessions $n"
		echo "log_level warn"
	} >"$d/conf"
	"$WEBNAVD" -f "$d/conf" 2>"$d/log" &
	dpid=$!
	pids="$pids $dpid"
	for i in $(seq 1 300); do
		curl -s --unix-socket "$d/sock" http://x/v1/health 2>/dev/null |
		    grep -q '"state":"up"' && break
		sleep 0.1
	done
	sleep 1
	idle=$(rss $dpid)
	start=$(date +%s.%N)
	for f in "${tasks[@]}"; do
		"$WEBNAV" submit --socket "$d/sock" --var BASE="$BASE" \
		    ${POLICY:+--policy "$POLICY"} "$f" >/dev/null ||
		    echo "submit $f failed"
	done
	peak=$idle
	while :; do
		r=$(rss $dpid)
		[ -n "$r" ] && [ "$r" -gt "$peak" ] && peak=$r
		left=$(curl -s --unix-socket "$d/sock" http://x/v1/health |
		    jq '.tasks.queued + .tasks.running')
		[ "$left" = 0 ] && break
		sleep 0.5
	done
	end=$(date +%s.%N)
	outcomes=$(curl -s --unix-socket "$d/sock" \
	    "http://x/v1/tasks?limit=10000" | jq -r '[.tasks[].outcome] |
	    group_by(.) | map("\(.[0])=\(length)") | join(",")')
	ok=$(curl -s --unix-socket "$d/sock" http://x/v1/health |
	    jq .tasks.succeeded)
	secs=$(echo "$end - $start" | bc)
	printf '%8d  %9.1f  %7.2f  %9s  %9s  %9s  %s\n' "$n" "$secs" \
	    "$(echo "${#tasks[@]} * 60 / $secs" | bc -l)" "$ok/${#tasks[@]}" \
	    "$idle" "$peak" "$outcomes"
	kill "$dpid"
	wait "$dpid" 2>/dev/null
done
