#!/bin/bash
# bad-input.sh: each bad input gets a clear error, the right exit status,
# no crash and no Chromium left behind.
. "$(dirname "$0")/lib.sh"

site_start "$top_srcdir/tests/sites" PORT
BASE="http://127.0.0.1:$PORT"

# expect STATUS PATTERN CMD...: exit status and a message on stderr.
expect() {
	local want=$1 pat=$2 rc
	shift 2
	"$@" >"$T/out" 2>"$T/err"
	rc=$?
	if [ "$rc" -ne "$want" ]; then
		note "exit status $rc, want $want; stderr:"
		sed 's/^/#   /' "$T/err"
		return 1
	fi
	if ! grep -qiE "$pat" "$T/err"; then
		note "stderr lacks /$pat/:"
		sed 's/^/#   /' "$T/err"
		return 1
	fi
	return 0
}

closed_port closed
check "unreachable URL: exit 3 naming the network error" \
    expect 3 "ERR_CONNECTION_REFUSED" "$WEBNAV" observe --out "$T/o1" \
    "http://127.0.0.1:$closed/"
check "Chromium missing: exit 3 naming the package" \
    expect 3 "install the Debian package chromium" "$WEBNAV" observe \
    --chromium /nonexistent/chromium --out "$T/o2" "$BASE/observe/controls.html"
check "a page that never finishes loading: exit 3, timed out" \
    expect 3 "did not finish loading|timed out" "$WEBNAV" observe \
    --timeout 2000 --out "$T/o3" "$BASE/__hang"
check "unknown command: exit 2" expect 2 "unknown command" "$WEBNAV" fly
check "unreachable endpoint: exit 3" expect 3 "cannot reach|refused" \
    "$WEBNAV" observe --endpoint "http://127.0.0.1:$closed" "$BASE/"
check "malformed action: exit 2" expect 2 "mark number" "$WEBNAV" act \
    "$BASE/observe/controls.html" --click x
check "train --drop with two values: exit 2" expect 2 \
    "three or four percentages" "$WEBNAV" train --drop 10,10 -o "$T/w.wnm"
check "train --drop with five values: exit 2" expect 2 \
    "three or four percentages" "$WEBNAV" train --drop 10,10,20,25,5 \
    -o "$T/w.wnm"
check "no Chromium left behind" test "$(chromium_count)" -eq 0
tap_done
