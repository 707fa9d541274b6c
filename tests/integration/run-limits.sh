#!/bin/bash
# run-limits.sh: tasks that end without success, with real Chromium: a
# fail check that holds, max_steps, and loop detection (the same action on
# a page it does not change), in goal mode and in a script.  Each exits 1
# with the outcome and a reason that says why in result.json.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/run-lib.sh"

site_start "$TSITE" PORT
BASE="http://127.0.0.1:$PORT"

# The Pay button leads to "Payment declined": the fail check ends the task.
run fail fail --policy lexical --var BASE="$BASE"
check "fail: exits 1" test "$rc" = 1
check "fail: outcome failed" outcome_is fail failed
check "fail: reason names the check" \
    reason_has fail 'fail check holds: text_present \"Payment declined\"'
check "fail: ended right after the click (1 step)" \
    test "$(field fail steps)" = 1
check "fail: trajectory files" run_files fail
check "fail: stdout says failed and why" grep -q \
    '^pay: failed after 1 steps in [0-9.]* s: fail check holds: text_present "Payment declined"$' \
    "$T/fail.out"

# Two actions needed, one step allowed.
run max max-steps --policy lexical --var BASE="$BASE"
check "max_steps: exits 1" test "$rc" = 1
check "max_steps: outcome max_steps" outcome_is max max_steps
check "max_steps: reason" reason_has max "max_steps (1) reached"
check "max_steps: one step taken" test "$(field max steps)" = 1
check "max_steps: trajectory files" run_files max
check "max_steps: the step typed the address" \
    grep -q '"action_text":"TYPE \[[0-9]*\] \\"ada@example.com\\""' \
    "$T/max/steps.jsonl"

# Nothing on the page matches the goal, and scrolling snaps back: the
# policy scrolls down again and again on an unchanged page.
run loop loop --policy lexical --var BASE="$BASE"
check "loop: exits 1" test "$rc" = 1
check "loop: outcome loop" outcome_is loop loop
check "loop: reason names the repeated action" \
    reason_has loop "SCROLL down repeated 3 times on an unchanged page"
check "loop: caught on the third try, well before max_steps" \
    test "$(field loop steps)" = 3
check "loop: trajectory files" run_files loop

# A script that clicks a button that does nothing.
run loop2 loop-actions --var BASE="$BASE"
check "loop (script): exits 1" test "$rc" = 1
check "loop (script): outcome loop" outcome_is loop2 loop
check "loop (script): reason" reason_has loop2 \
    'CLICK {text=\"Refresh\", role=\"button\"} repeated 3 times on an unchanged page'
check "loop (script): 3 of 4 actions run" test "$(field loop2 steps)" = 3

check "no Chromium left behind" test "$(chromium_count)" -eq 0
tap_done
