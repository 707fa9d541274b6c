#!/bin/bash
# cli-observe.sh: webnav observe and act from the command line, on the
# fixture sites, with a real Chromium.
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

check "no Chromium left behind" test "$(chromium_count)" -eq 0
tap_done
