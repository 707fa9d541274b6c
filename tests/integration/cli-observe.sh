#!/bin/bash
# cli-observe.sh: webnav observe and act from the command line, on the
# fixture sites, with a real Chromium; ${BASE} (--site) and --var in their
# URL, and the errors of a bad variable.
. "$(dirname "$0")/lib.sh"

site_start "$top_srcdir/tests/sites" PORT
BASE="http://127.0.0.1:$PORT"

out="$T/obs"
"$WEBNAV" observe --out "$out" "$BASE/observe/controls.html" \
    >"$T/observe.txt" 2>"$T/observe.err"
check "observe exits 0" test $? -eq 0
check "observe writes screenshot.png" test -s "$out/screenshot.png"
check "observe writes som.png" test -s "$out/som.png"
check "observe writes marks.json" test -s "$out/marks.json"
check "screenshot and som.png are PNGs" bash -c \
    "head -c 8 '$out/screenshot.png' | od -An -c | grep -q 'P   N   G' &&
     head -c 8 '$out/som.png' | od -An -c | grep -q 'P   N   G'"
check "the table lists marks" grep -q '^   1  ' "$T/observe.txt"
check "the summary names the output" grep -q "$out/som.png" \
    "$T/observe.txt"
check "marks.json has marks with boxes" grep -q '"box"' "$out/marks.json"

"$WEBNAV" observe --json --out "$T/obs2" "$BASE/observe/controls.html" \
    >"$T/observe.json" 2>/dev/null
check "--json prints the marks as JSON" grep -q '"marks"' "$T/observe.json"

# act: type into the first text box, then observe it holds the text.
n=$(grep -m1 -E '^ +[0-9]+  textbox' "$T/observe.txt" | awk '{print $1}')
if [ -n "$n" ]; then
	"$WEBNAV" act --out "$T/act" "$BASE/observe/controls.html" \
	    --type "$n" "hello webnav" >"$T/act.txt" 2>"$T/act.err"
	check "act exits 0" test $? -eq 0
	check "act --type prints the action" grep -q "TYPE \[$n\]" "$T/act.txt"
	check "the typed value shows in marks.json" \
	    grep -q '"value":[[:space:]]*"hello webnav"' "$T/act/marks.json"
else
	check "controls.html has a textbox mark" false
fi

# --site: ${BASE} and --var in the URL, as in a task file's start_url.
SITE="$top_srcdir/tests/sites"
"$WEBNAV" observe --site "$SITE" --out "$T/obs3" \
    '${BASE}/observe/controls.html' >"$T/base.txt" 2>"$T/base.err"
check "observe --site substitutes \${BASE}" test $? -eq 0
check "\${BASE} is the site's address" grep -qE \
    'marks on http://127\.0\.0\.1:[0-9]+/observe/controls\.html ' \
    "$T/base.txt"
check "the page was observed" grep -q '^   1  ' "$T/base.txt"
"$WEBNAV" act --site "$SITE" --var DIR=observe --var PAGE=controls \
    --out "$T/act2" '${BASE}/${DIR}/${PAGE}.html' --scroll down \
    >"$T/var.txt" 2>"$T/var.err"
check "act --site substitutes --var and \${BASE}" test $? -eq 0
check "the variables made the URL" grep -qE \
    'marks on http://127\.0\.0\.1:[0-9]+/observe/controls\.html ' \
    "$T/var.txt"
timeout 30 "$WEBNAV" observe --site "$SITE" --out "$T/obs4" \
    '${BASE}/${NOPE}.html' >/dev/null 2>"$T/nope.err"
check "an unknown variable is a usage error (2)" test $? -eq 2
check "the error names it" grep -qF 'unknown variable ${NOPE}' "$T/nope.err"
timeout 30 "$WEBNAV" observe --out "$T/obs5" '${BASE}/observe/controls.html' \
    >/dev/null 2>"$T/nosite.err"
check "\${BASE} without --site is a usage error (2)" test $? -eq 2
check "the error points at --site" grep -qF '(--site DIR sets it)' \
    "$T/nosite.err"
timeout 30 "$WEBNAV" observe --out "$T/obs6" --var A=1 --var NOEQUALS \
    'http://127.0.0.1:1/' >/dev/null 2>&1
check "--var without = is a usage error (2)" test $? -eq 2

check "no Chromium left behind" test "$(chromium_count)" -eq 0
tap_done
