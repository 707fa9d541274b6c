# daemon-lib.sh: helpers of the webnavd integration scripts (sourced after
# lib.sh).
#
# Each daemon gets a directory $T/NAME with its config, socket, state
# directory and log.  Run as root, the daemon drops to "nobody" (webnavd
# refuses to keep root), so $T is made traversable.  Daemons still running
# at exit are killed by pid in the EXIT trap; their Chromium dies with them
# (PR_SET_PDEATHSIG) and is counted by the scripts.

WEBNAVD="$top_builddir/src/webnavd"
PAGEWAIT="$top_builddir/tests/integration/daemon-pagewait"
NOTIFY="$top_builddir/tests/integration/daemon-notify"
daemon_pids=""
chmod 755 "$T"

daemon_cleanup() {
	for p in $daemon_pids; do
		kill -9 "$p" 2>/dev/null
	done
	sleep 0.3
	cleanup
}
trap daemon_cleanup EXIT

# daemon_conf NAME [LINE...]: writes $T/NAME/webnavd.conf.
daemon_conf() {
	local name=$1 d="$T/$1"
	shift
	mkdir -p "$d"
	chmod 755 "$d"
	{
		echo "socket $d/run/webnavd.sock"
		echo "state_dir $d/state"
		[ "$(id -u)" -eq 0 ] && echo "user nobody"
		for l in "$@"; do
			echo "$l"
		done
		case " $* " in
		*" stop_grace "*) ;;
		*) echo "stop_grace 10s" ;;
		esac
	} >"$d/webnavd.conf"
}

# sock NAME: the socket of daemon NAME.
sock() {
	echo "$T/$1/run/webnavd.sock"
}

# daemon_pid NAME: pid of the running daemon NAME.
daemon_pid() {
	cat "$T/$1/pid" 2>/dev/null
}

# daemon_start NAME [ENV=VALUE...]: starts webnavd and waits until its API
# answers and, in shared mode, its browser is up.
daemon_start() {
	local name=$1 d="$T/$1" i pid
	shift
	env "$@" "$WEBNAVD" -d -f "$d/webnavd.conf" >>"$d/log" 2>&1 &
	pid=$!
	echo "$pid" >"$d/pid"
	daemon_pids="$daemon_pids $pid"
	for i in $(seq 1 200); do
		if api "$name" GET /v1/health 2>/dev/null |
		    grep -q '"state":"up"'; then
			return 0
		fi
		if ! kill -0 "$pid" 2>/dev/null; then
			note "webnavd $name exited during startup:"
			tail -20 "$d/log" | sed 's/^/#   /'
			return 1
		fi
		sleep 0.1
	done
	note "webnavd $name did not come up; log:"
	tail -20 "$d/log" | sed 's/^/#   /'
	return 1
}

# daemon_stop NAME [SIGNAL|wait]: stops webnavd (or waits for a stop that
# was asked for) and waits 30 s at most for its exit.
daemon_stop() {
	local pid i
	pid=$(daemon_pid "$1")
	[ -n "$pid" ] || return 1
	[ "${2:-}" = wait ] || kill -"${2:-TERM}" "$pid" 2>/dev/null
	for i in $(seq 1 300); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$pid" 2>/dev/null; then
		note "webnavd $1 did not stop"
		return 1
	fi
	wait "$pid" 2>/dev/null
	daemon_status=$?
	rm -f "$T/$1/pid"
	return 0
}

# api NAME METHOD PATH [CURL-ARGS...]: a request on the unix socket; prints
# the body.
api() {
	local name=$1 method=$2 path=$3
	shift 3
	curl -sS --max-time 30 --unix-socket "$(sock "$name")" -X "$method" \
	    "$@" "http://localhost$path"
}

# api_code NAME METHOD PATH [CURL-ARGS...]: prints the HTTP status only.
api_code() {
	api "$@" -o "$T/body" -w '%{http_code}'
}

# wn NAME CMD ARGS...: webnav talking to daemon NAME.
wn() {
	local name=$1
	shift
	"$WEBNAV" "$@" --socket "$(sock "$name")"
}

# field JSON-FILE-OR-STRING FILTER: jq -r on text.
jf() {
	jq -r "$2" <<<"$1"
}

# jqt FILTER JSON: true when jq -e FILTER holds on the text JSON.
jqt() {
	jq -e "$1" <<<"$2" >/dev/null
}

# wait_state NAME ID STATE [SECONDS]: until task ID is in STATE.
wait_state() {
	local i s
	for i in $(seq 1 $((${4:-60} * 10))); do
		s=$(api "$1" GET "/v1/tasks/$2" 2>/dev/null | jq -r .state)
		[ "$s" = "$3" ] && return 0
		sleep 0.1
	done
	note "task $2 is $s, not $3"
	return 1
}

# wait_steps NAME ID N [SECONDS]: until task ID recorded N steps.
wait_steps() {
	local i s
	for i in $(seq 1 $((${4:-60} * 10))); do
		s=$(api "$1" GET "/v1/tasks/$2" 2>/dev/null | jq -r .steps)
		[ "${s:-0}" -ge "$3" ] 2>/dev/null && return 0
		sleep 0.1
	done
	note "task $2 has $s steps, not $3"
	return 1
}

# task_file FILE NAME DEMO-URL WAIT_MS [SUCCESS-REGEX]: a scripted task on
# the demo site that waits twice (so that it runs long enough to be
# interrupted) and then goes to help.html; it succeeds there unless the
# regex says otherwise, after 4 steps.  NAME is in both URLs' query, so a
# site log tells how often the task ran.
task_file() {
	local re=${5:-'help\\.html'}
	cat >"$1" <<EOF
{
	"name": "$2",
	"start_url": "$3/index.html?t=$2",
	"actions": [
		{ "op": "wait", "ms": $4 },
		{ "op": "scroll", "dir": "down" },
		{ "op": "wait", "ms": $4 },
		{ "op": "navigate", "url": "$3/help.html?t=$2" },
		{ "op": "done" }
	],
	"success": [ { "url_matches": "$re" } ],
	"step_timeout_ms": 20000,
	"timeout_ms": 120000
}
EOF
}

# daemon_chromium NAME: Chromium processes of daemon NAME.  (Not from
# "bash -c": pgrep -f would count that shell, its command line has the
# pattern.)
daemon_chromium() {
	pgrep -f -- "--user-data-dir=$T/$1/state/tmp/" 2>/dev/null | wc -l
}

# chromium_gone NAME [SECONDS]: until daemon NAME has no Chromium left.
chromium_gone() {
	local i
	for i in $(seq 1 $((${2:-5} * 10))); do
		[ "$(daemon_chromium "$1")" -eq 0 ] && return 0
		sleep 0.1
	done
	note "$(daemon_chromium "$1") Chromium processes of $1 left"
	return 1
}

# logs_clean: no daemon log of this script holds a sanitizer report (the
# sanitizer build) or a broken-invariant message.
logs_clean() {
	! grep -l 'AddressSanitizer\|LeakSanitizer\|runtime error:\|internal error' \
	    "$T"/*/log 2>/dev/null
}

# For checks that run in "bash -c".
export T WEBNAV WEBNAVD
export -f sock api api_code jf jqt
