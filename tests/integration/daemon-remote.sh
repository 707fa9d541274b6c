#!/bin/bash
# daemon-remote.sh: webnavd runs a task through the remote policy, set up
# by webnavd.conf's remote_* keywords (endpoint, model, key file, top_k),
# against tests/remotesrv; GET /metrics counts the requests, the tokens the
# server reported and the time per decision; each listed mark carries the
# text of its row or card, cut at a word; the API key is sent but is in no
# log, state file or trajectory.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/daemon-lib.sh"

REMOTESRV="$top_builddir/tests/remotesrv"
[ -x "$REMOTESRV" ] || skip_all "tests/remotesrv is not built"
site_start "$top_srcdir/tests/sites/demo" PORT
BASE="http://127.0.0.1:$PORT"
KEY="sk-Daemon-Key-7731-Heron-Quill"
printf '%s\n' "$KEY" >"$T/key"
chmod 644 "$T/key"

cat >"$T/remote.script" <<'SCRIPT'
type search|Trail Runner Shoes|submit
status 503
click link "Trail Runner Shoes"
SCRIPT
fifo="$T/rport.fifo"
mkfifo "$fifo"
"$REMOTESRV" -s "$T/remote.script" -l "$T/remote.log" -m test-vlm \
    -k "$KEY" -i 768 -K 5 >"$fifo" &
site_pids="$site_pids $!"
read -r _ RPORT <"$fifo"
rm -f "$fifo"

daemon_conf a "sessions 1" "policy remote" \
    "remote_endpoint http://127.0.0.1:$RPORT" "remote_model test-vlm" \
    "remote_key_file $T/key" "remote_top_k 5" "remote_image_size 768"
check "-n prints the remote settings" \
    bash -c "'$WEBNAVD' -n -f '$T/a/webnavd.conf' 2>/dev/null |
    grep -qx 'remote_top_k 5'"
# The shortlist by the lexical policy's scores, whatever weights exist.
check "webnavd starts" daemon_start a WEBNAV_MODEL=
cat >"$T/search.json" <<TASK
{
	"name": "remote search",
	"start_url": "$BASE/index.html",
	"goal": "Search the shop for \"Trail Runner Shoes\" and open their product page",
	"success": [ { "url_matches": "/product\\\\.html\\\\?id=5\$" } ],
	"max_steps": 6,
	"timeout_ms": 90000
}
TASK
id=$(wn a submit "$T/search.json")
check "submit prints an id" test -n "$id"
check "the task succeeds" wait_state a "$id" succeeded 90
t=$(api a GET "/v1/tasks/$id")
check "two steps" jqt '.steps == 2' "$t"
check "the server saw three requests (one 503, retried)" \
    test "$(grep -c . "$T/remote.log")" = 3
check "every request carried the key" \
    test "$(grep -c '"auth":1' "$T/remote.log")" = 3
check "every request passed the server's checks (image, 5 marks)" \
    test "$(grep -c '"problems":\[\]' "$T/remote.log")" = 3
# Each mark's line says which row or card it is in, cut at a word.
check "the prompt gives the text of a mark's card" \
    grep -qF 'link \"Trail Runner Shoes\" in \"Northway · Grey' "$T/remote.log"
jq -r .text "$T/remote.log" | grep -o ' in "[^"]*"' >"$T/ctx.txt"
check "a long card text is cut at a word" \
    grep -qE ' in "Trail Runner Shoes Northway [^"]* Add\.\.\."$' "$T/ctx.txt"
check "no card text is longer than 80 bytes" \
    env LC_ALL=C awk '{ s = substr($0, 6, length($0) - 6);
    sub(/\.\.\.$/, "", s); if (length(s) > 80) bad = 1 } END { exit bad }' \
    "$T/ctx.txt"
m=$(api a GET /metrics)
check "metrics: 2 requests ok" \
    grep -qx 'webnavd_remote_requests_total{result="ok"} 2' <<<"$m"
check "metrics: 1 request 5xx" \
    grep -qx 'webnavd_remote_requests_total{result="5xx"} 1' <<<"$m"
check "metrics: 2 decisions ok" \
    grep -qx 'webnavd_remote_decisions_total{result="ok"} 2' <<<"$m"
check "metrics: prompt tokens as the server reported them" \
    test "$(sed -n 's/^webnavd_remote_tokens_total{kind="prompt"} //p' \
    <<<"$m")" = "$(sed -n 's/.*"prompt_tokens":\([0-9]*\).*/\1/p' \
    "$T/remote.log" | awk '{ s += $1 } END { print s }')"
check "metrics: decision time histogram counts 2" \
    grep -qx 'webnavd_remote_decision_seconds_count 2' <<<"$m"
check "the key is in no log, state file or trajectory" \
    test -z "$(grep -rlF "$KEY" "$T/a" 2>/dev/null)"
check "the trajectory has policy_info" \
    test "$(cat "$T"/a/state/runs/*/steps.jsonl 2>/dev/null |
    grep -c '"policy_info":{"policy":"remote","model":"test-vlm"')" = 2
# A task may not send the daemon's key elsewhere.
jq '. + {remote: {endpoint: "http://127.0.0.1:1", top_k: 3}}' \
    "$T/search.json" >"$T/steal.json"
code=$(api_code a POST /v1/tasks --data-binary @"$T/steal.json")
check "a task naming its own endpoint is refused (400)" test "$code" = 400
check "the refusal says why" \
    grep -q 'endpoint is set by webnavd.conf' "$T/body"
check "webnavd stops" daemon_stop a
check "no sanitizer report in the log" logs_clean
tap_done
