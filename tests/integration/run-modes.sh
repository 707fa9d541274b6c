#!/bin/bash
# run-modes.sh: "webnav run" carries tasks to success with real Chromium in
# goal mode and steps mode (policy lexical) and in actions mode (scripted
# actions addressed by label, CSS selector, role and text), with the live
# progress on stderr, the summary or --json on stdout and a complete
# trajectory in the run directory.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/run-lib.sh"

site_start "$TSITE" PORT
BASE="http://127.0.0.1:$PORT"

# Goal mode: type an address and click Subscribe.
run goal goal --policy lexical --var BASE="$BASE"
check "goal: exits 0" test "$rc" = 0
check "goal: outcome success" outcome_is goal success
check "goal: reason says the checks hold" \
    reason_has goal "all success checks hold"
check "goal: policy lexical" test "$(field goal policy)" = lexical
check "goal: typed the address and clicked (2 steps)" \
    test "$(field goal steps)" = 2
check "goal: trajectory files" run_files goal
check "goal: steps.jsonl records the typing" \
    grep -q '"action_text":"TYPE \[[0-9]*\] \\"ada@example.com\\""' \
    "$T/goal/steps.jsonl"
check "goal: the header line names task, goal and policy" \
    grep -q '^task subscribe: Type "ada@example.com" into the Email field and click Subscribe (policy lexical)$' \
    "$T/goal.err"
check "goal: a live progress line per step on stderr" \
    test "$(grep -cE '^step +[0-9]+/8 ' "$T/goal.err")" = 2
check "goal: progress shows the action and its target" \
    grep -qE '^step +2/8 +CLICK \[[0-9]+\] \[button\] Subscribe ' "$T/goal.err"
check "goal: stdout has the summary and the report's path" \
    test "$(cat "$T/goal.out")" = "subscribe: success after 2 steps in $(field goal seconds | awk '{ printf "%.1f", $1 }') s: all success checks hold
report: $T/goal/report.html"

# Steps mode, with --json: one instruction after the other.
run steps steps --policy lexical --json --var BASE="$BASE"
check "steps: exits 0" test "$rc" = 0
check "steps: outcome success" outcome_is steps success
check "steps: trajectory files" run_files steps
check "steps: went through the three instructions" \
    test "$(grep -o '"instr":[0-9]*' "$T/steps/steps.jsonl" | sort -u |
    tr '\n' ' ')" = '"instr":0 "instr":1 "instr":2 '
check "steps: clicked the Settings link first" \
    grep -q '"step":1,.*"action_text":"CLICK \[[0-9]*\]".*"target":{[^}]*"text":"Settings"' \
    "$T/steps/steps.jsonl"
check "steps: --json prints one line of JSON" \
    test "$(wc -l <"$T/steps.out")" = 1 -a \
    "$(head -c 1 "$T/steps.out")" = "{" -a \
    "$(tail -c 2 "$T/steps.out")" = "}"
for k in '"task":"dark mode"' '"outcome":"success"' \
    '"reason":"all success checks hold"' "\"steps\":$(field steps steps)," \
    '"seconds":' '"final_url":"http://127.0.0.1:'"$PORT"'/settings.html"' \
    "\"run_dir\":\"$T/steps\"" '"report":"report.html"'; do
	check "steps: --json has $k" grep -qF "$k" "$T/steps.out"
done
check "steps: no progress lines with --json" \
    sh -c "! grep -q '^step ' '$T/steps.err'"

# Actions mode, on a site served by webnav itself (--site sets BASE).
run actions actions --site "$TSITE"
check "actions: exits 0" test "$rc" = 0
check "actions: outcome success" outcome_is actions success
check "actions: policy script" test "$(field actions policy)" = script
check "actions: one step per action" test "$(field actions steps)" = 5
check "actions: trajectory files" run_files actions
check "actions: ends on the confirmation page" \
    grep -q '"final_url":[[:space:]]*"http://127.0.0.1:[0-9]*/confirmed.html?name=Ada+Lovelace&size=Large&gift=1"' \
    "$T/actions/result.json"
for a in 'TYPE {label=\\"Full name\\"} \\"Ada Lovelace\\"' \
    'SELECT {selector=\\"#size\\"} \\"Large\\"' \
    'CLICK {role=\\"checkbox\\"}' 'CLICK {text=\\"continue\\"}' \
    'CLICK {text=\\"Confirm order\\", role=\\"link\\"}'; do
	check "actions: progress shows $a" \
	    grep -qF "$(printf '%b' "$a" | sed 's/\\"/"/g')" "$T/actions.err"
done
# Each scripted target was resolved to the mark of the right element.
check "actions: steps.jsonl records the mark each action resolved to" \
    test "$(sed -e 's/.*"action":{"op":"\([a-z]*\)","mark":\([0-9]*\).*"target":{"id":\([0-9]*\),[^}]*"label":"\([^"]*\)".*/\1 \2=\3 \4/' \
    "$T/actions/steps.jsonl" | sed 's/ \([0-9]*\)=\1 / = /' | tr '\n' '|')" = \
    'type = Full name|select = Size|click = Gift wrap|click = |click = |'

check "no Chromium left behind" test "$(chromium_count)" -eq 0
tap_done
