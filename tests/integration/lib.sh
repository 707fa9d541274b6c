# lib.sh: shared helpers for the integration scripts (TAP producers).
#
# Each script sources this, calls tap_plan-free helpers ok/not_ok via
# `check`, starts what it needs with site_start, and ends with tap_done.
# Everything it starts is stopped by the EXIT trap; temporary files live in
# $T, removed at exit.

set -u
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
WEBNAV="$top_builddir/src/webnav"
SITESRV="$top_builddir/tests/sitesrv"
T=$(mktemp -d /tmp/webnav-test.XXXXXX)
tap_n=0
tap_failed=0
site_pids=""

cleanup() {
	for p in $site_pids; do
		kill "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# check NAME CMD...: runs CMD, reports ok if it succeeds.
check() {
	local name=$1
	shift
	tap_n=$((tap_n + 1))
	if "$@"; then
		echo "ok $tap_n - $name"
	else
		echo "not ok $tap_n - $name"
		tap_failed=$((tap_failed + 1))
	fi
}

note() {
	echo "# $*"
}

tap_done() {
	echo "1..$tap_n"
	[ "$tap_failed" -eq 0 ]
}

skip_all() {
	echo "1..0 # SKIP $*"
	exit 0
}

# site_start DIR VAR: serves DIR on 127.0.0.1, sets VAR to its port.
site_start() {
	local dir=$1 var=$2 fifo="$T/port.$$.$RANDOM" port=""
	mkfifo "$fifo"
	"$SITESRV" -r "$dir" -p 0 >"$fifo" &
	site_pids="$site_pids $!"
	read -r _ port <"$fifo"
	rm -f "$fifo"
	eval "$var=\$port"
}

# closed_port VAR: a loopback port nobody listens on (served, then freed).
closed_port() {
	local fifo="$T/cport.$$.$RANDOM" port="" pid
	mkfifo "$fifo"
	"$SITESRV" -r "$T" -p 0 >"$fifo" &
	pid=$!
	read -r _ port <"$fifo"
	rm -f "$fifo"
	kill "$pid"
	wait "$pid" 2>/dev/null
	eval "$1=\$port"
}

# Chromium profiles go under $T, so this script counts only its own.
export TMPDIR="$T"

# chromium_count: Chromium processes started by this script.
chromium_count() {
	pgrep -f -- "--user-data-dir=$T/" 2>/dev/null | wc -l
}

[ -x /usr/bin/chromium ] || [ -n "${WEBNAV_CHROMIUM:-}" ] ||
    skip_all "chromium is not installed"
