#!/bin/bash
# bench-mind2web.sh: "webnav bench mind2web" on the hand-written files in
# tests/mind2web/ with real Chromium.  The floor (first candidate in page
# order) does not depend on the browser, so its figures are checked
# exactly against the arithmetic in tests/unit/test-mind2web.c:
#   all candidates: element 3/8, op F1 3/8, step 2/8 (micro)
#   top-2 (tasks.json only): element 3/5, op F1 2/5, step 1/5
# and every kept positive of a step with one is a visible mark (7 of 8
# steps: d0 has none).
. "$(dirname "$0")/lib.sh"

M="$top_srcdir/tests/mind2web"

# The figure KEY of object OBJ ("floor") in a pretty-printed result.
fig() {
	sed -n "/\"$2\":/,/}/p" "$1" | grep -m1 "\"$3\":" |
	    sed 's/.*:[[:space:]]*\([-0-9.e+]*\).*/\1/'
}
# eq A B: equal as numbers to 1e-9.
eq() {
	awk -v a="$1" -v b="$2" 'BEGIN { d = a - b; exit !(d < 1e-9 && d > -1e-9) }'
}

timeout 300 "$WEBNAV" bench mind2web -q --json -o "$T/out" \
    "$M/tasks.json" "$M/rows.jsonl" >"$T/r.json" 2>"$T/r.err"
rc=$?
check "runs and exits 0" test "$rc" -eq 0
[ "$rc" -eq 0 ] || sed 's/^/# /' "$T/r.err"
check "8 steps" eq "$(grep -m1 '"steps":' "$T/r.json" | tr -dc '0-9')" 8
check "4 tasks (rows gathered by annotation_id)" \
    eq "$(grep -m1 '"tasks":' "$T/r.json" | tr -dc '0-9')" 4
check "floor element accuracy 3/8" eq "$(fig "$T/r.json" floor element_acc)" 0.375
check "floor operation F1 3/8" eq "$(fig "$T/r.json" floor action_f1)" 0.375
check "floor step success 2/8" eq "$(fig "$T/r.json" floor step_acc)" 0.25
check "floor task success 0" eq "$(fig "$T/r.json" floor task_success)" 0
check "a kept positive is a mark in 7 of 8 steps" \
    eq "$(grep -m1 '"mark_recall":' "$T/r.json" | sed 's/.*: *//; s/,//')" 0.875
check "one step without a positive" \
    eq "$(grep -m1 '"steps_without_positive":' "$T/r.json" | tr -dc '0-9')" 1
check "the lexical policy is scored" grep -q '"policy":[[:space:]]*"lexical"' \
    "$T/r.json"
check "official key marco_step_acc" grep -q '"marco_step_acc"' "$T/r.json"
check "steps.jsonl: one line per step" test "$(wc -l <"$T/out/steps.jsonl")" -eq 8
check "steps.jsonl: the gold action" grep -q '"gold":"TYPE dune messiah"' \
    "$T/out/steps.jsonl"
check "results.json written" test -s "$T/out/results.json"

timeout 300 "$WEBNAV" bench mind2web -q --json -k 2 --html raw \
    "$M/tasks.json" >"$T/k.json" 2>"$T/k.err"
check "top-2 on raw_html runs" test $? -eq 0
check "top-2 floor element accuracy 3/5" eq "$(fig "$T/k.json" floor element_acc)" 0.6
check "top-2 floor operation F1 2/5" eq "$(fig "$T/k.json" floor action_f1)" 0.4
check "top-2 floor step success 1/5" eq "$(fig "$T/k.json" floor step_acc)" 0.2
check "raw_html's script did not navigate the page away" \
    eq "$(grep -m1 '"mark_recall":' "$T/k.json" | sed 's/.*: *//; s/,//')" 1

"$WEBNAV" bench mind2web -q "$M/tasks.json" >"$T/t.txt" 2>/dev/null
check "text table with the floor row" grep -q '^first-candidate' "$T/t.txt"

"$WEBNAV" bench mind2web -q -k 50 "$M/rows.jsonl" >/dev/null 2>"$T/e1"
check "top-k without ranks or scores: exit 2" test $? -eq 2
check "... says why" grep -q 'rank or a score' "$T/e1"
printf '[{"annotation_id": "x", "actions": [' >"$T/trunc.json"
"$WEBNAV" bench mind2web -q "$T/trunc.json" >/dev/null 2>"$T/e2"
check "truncated file: exit 2" test $? -eq 2
"$WEBNAV" bench mind2web -q "$T/none.json" >/dev/null 2>&1
check "missing file: exit 2" test $? -eq 2
"$WEBNAV" bench mind2web -q -k 0 "$M/tasks.json" >/dev/null 2>&1
check "-k 0 refused" test $? -eq 2

check "no Chromium left behind" test "$(chromium_count)" -eq 0
tap_done
