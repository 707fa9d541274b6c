#!/bin/bash
# run-remote.sh: "webnav run --policy remote" drives real Chromium through
# an OpenAI-compatible server (tests/remotesrv, on loopback, answering
# from a script and checking every request: image present and decodable
# within the size asked for, the shortlisted marks listed, the key sent).
# An unusable answer is asked again; a 429 is retried (test-remote covers
# two unusable answers and the other HTTP faults); bad settings stop the
# run before it starts.  The API key
# reaches the server but no file, stdout or stderr.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/run-lib.sh"

REMOTESRV="$top_builddir/tests/remotesrv"
[ -x "$REMOTESRV" ] || skip_all "tests/remotesrv is not built"
site_start "$top_srcdir/tests/sites/demo" PORT
BASE="http://127.0.0.1:$PORT"
KEY="sk-Remote-Test-Key-4821-Walrus"
export WEBNAV_API_KEY="$KEY"
# The shortlist by the lexical policy's scores, whatever weights exist.
export WEBNAV_MODEL=""

# remote_start NAME MAXSIDE MAXMARKS: remotesrv with script $T/NAME.script,
# log $T/NAME.log; sets RPORT.
remote_start() {
	local fifo="$T/rport.$$.$RANDOM"
	mkfifo "$fifo"
	"$REMOTESRV" -s "$T/$1.script" -l "$T/$1.log" -m test-vlm \
	    -k "$KEY" -i "$2" -K "$3" >"$fifo" &
	site_pids="$site_pids $!"
	read -r _ RPORT <"$fifo"
	rm -f "$fifo"
}

# log_problems NAME: the checks the server saw fail, one per line.
log_problems() {
	sed -n 's/.*"problems":\[\([^]]*\)\].*/\1/p' "$T/$1.log" | grep -v '^$'
}

# leaks NAME: files of run NAME that hold the key (none expected).
leaks() {
	grep -rlF -e "$KEY" "$T/$1" "$T/$1.out" "$T/$1.err"
}

# An answer with no action, asked again; the search; a 429; the product.
cat >"$T/search.script" <<'SCRIPT'
reply I would search for the shoes first.
type search|Trail Runner Shoes|submit
status 429 0
click link "Trail Runner Shoes"
SCRIPT
remote_start search 512 6
run search remote-search --policy remote \
    --remote-endpoint "http://127.0.0.1:$RPORT" --remote-backoff 50 \
    --var BASE="$BASE"
check "search: exits 0" test "$rc" = 0
check "search: outcome success" outcome_is search success
check "search: policy remote" test "$(field search policy)" = remote
check "search: two steps" test "$(field search steps)" = 2
check "search: trajectory files" run_files search
check "search: four requests (a retry for the prose, one for the 429)" \
    test "$(grep -c . "$T/search.log")" = 4
check "search: the server's checks all passed" \
    test -z "$(log_problems search)"
check "search: every request had an image within 512 px" \
    test "$(grep -c '"image":{"w":512,"h":320}' "$T/search.log")" = 4
check "search: at most 6 marks listed (top_k from the task file)" \
    sh -c "! grep -q '\"marks\":\[\([0-9]*,\)\{6\}' '$T/search.log'"
check "search: the retry quoted the parse error" \
    grep -q '"retry":"Your answer could not be used: no action found' \
    "$T/search.log"
check "search: the key was sent on every request" \
    test "$(grep -c '"auth":1' "$T/search.log")" = 4
check "search: the second step's prompt has the first in its history" \
    grep -q '1\. TYPE \[[0-9]*\] \\"Trail Runner Shoes\\" SUBMIT' \
    "$T/search.log"
check "search: steps.jsonl records the typing" \
    grep -q '"action_text":"TYPE \[[0-9]*\] \\"Trail Runner Shoes\\" SUBMIT"' \
    "$T/search/steps.jsonl"
check "search: policy_info with the server's token count, per step" \
    test "$(grep -c '"policy_info":{.*"prompt_tokens":[1-9]' \
    "$T/search/steps.jsonl")" = 2
check "search: policy_info with latency and the estimate" \
    test "$(grep -c '"latency_ms":[0-9.]*,.*"est_prompt_tokens":[1-9]' \
    "$T/search/steps.jsonl")" = 2
check "search: step 1 counts the invalid answer" \
    grep -q '"step":1,.*"requests":2,"invalid_answers":1' \
    "$T/search/steps.jsonl"
check "search: step 2 counts the 429's retry" \
    grep -q '"step":2,.*"requests":2,"invalid_answers":0' \
    "$T/search/steps.jsonl"
check "search: the shortlist is recorded, 6 marks" \
    grep -q '"shortlist":\[[0-9]*,[0-9]*,[0-9]*,[0-9]*,[0-9]*,[0-9]*\]' \
    "$T/search/steps.jsonl"
check "search: the key is in no file, stdout or stderr" \
    test -z "$(leaks search)"

# Settings are checked before anything starts.
run badopt remote-search --policy remote --remote-endpoint "http://x" \
    --remote-top-k 9999 --var BASE="$BASE"
check "bad option: exit 2" test "$rc" = 2
check "bad option: says which" grep -q 'top_k' "$T/badopt.err"
sed 's/"top_k": 6/"top_k": "six"/' "$TASKS/remote-search.json" \
    >"$T/bad-remote.json"
"$WEBNAV" run --policy remote --remote-endpoint "http://x" \
    "$T/bad-remote.json" >/dev/null 2>"$T/badtask.err"
check "bad task remote object: exit 2" test "$?" = 2
check "bad task remote object: names the field" \
    grep -q 'remote: remote top_k: want a number' "$T/badtask.err"
unset WEBNAV_REMOTE_ENDPOINT
run noep remote-search --policy remote --var BASE="$BASE"
check "no endpoint: exit 2" test "$rc" = 2
check "no endpoint: says how to give one" \
    grep -q 'no endpoint (--remote-endpoint' "$T/noep.err"

tap_done
