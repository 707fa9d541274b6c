#!/bin/bash
# daemon-basic.sh: webnavd's configuration check, control API and its
# errors, the CLI, readiness, reload, and a clean stop that leaves no
# Chromium behind.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/daemon-lib.sh"

site_start "$top_srcdir/tests/sites" PORT
BASE="http://127.0.0.1:$PORT"

# -n: the effective configuration, and file:line errors.
daemon_conf a "sessions 2" "listen 127.0.0.1:0" "token_file $T/token"
printf 'correct-horse-battery-staple-42\n' >"$T/token"
chmod 644 "$T/token"
check "-n prints the effective configuration" \
    bash -c "'$WEBNAVD' -n -f '$T/a/webnavd.conf' 2>/dev/null |
    grep -qx 'sessions 2'"
printf 'sessions 2\nsesions 3\nstop_grace soon\n' >"$T/bad.conf"
"$WEBNAVD" -n -f "$T/bad.conf" >/dev/null 2>"$T/err"
rc=$?
check "-n on a bad file: exit 1" test "$rc" -eq 1
check "-n names file and line of each error" \
    bash -c "grep -q '^$T/bad.conf:2: unknown keyword \"sesions\"' '$T/err' &&
    grep -q '^$T/bad.conf:3: stop_grace' '$T/err'"
check "a missing -f file is an error" \
    bash -c "! '$WEBNAVD' -n -f '$T/nonexistent.conf' 2>/dev/null"
if [ "$(id -u)" -eq 0 ]; then
	printf 'state_dir %s/r\nsocket %s/r.sock\n' "$T" "$T" >"$T/root.conf"
	"$WEBNAVD" -f "$T/root.conf" 2>"$T/err" &
	rpid=$!
	( sleep 10; kill -9 $rpid 2>/dev/null ) &
	wait $rpid
	rc=$?
	check "root without \"user\" is refused" \
	    bash -c "[ $rc -eq 1 ] && grep -q 'refusing to run as root' '$T/err'"
fi

# Every Chromium process of daemon a runs as nobody, none --no-sandbox.
chromium_user() {
	local p u n=0
	for p in $(pgrep -f -- "--user-data-dir=$T/a/state/tmp/"); do
		u=$(ps -o user= -p "$p" | tr -d ' ')
		[ -z "$u" ] && continue
		[ "$u" = nobody ] || return 1
		tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null |
		    grep -q -- --no-sandbox && return 1
		n=$((n + 1))
	done
	[ "$n" -gt 0 ]
}

# Start with a stand-in for systemd's notification socket.
"$NOTIFY" "$T/notify.sock" >"$T/notify.out" 2>&1 &
npid=$!
site_pids="$site_pids $npid"
for i in $(seq 1 50); do [ -S "$T/notify.sock" ] && break; sleep 0.1; done
check "webnavd starts" daemon_start a NOTIFY_SOCKET="$T/notify.sock"
check "READY=1 sent to NOTIFY_SOCKET" grep -q '^READY=1' "$T/notify.out"
check "socket mode 0660" test "$(stat -c %a "$(sock a)")" = 660
pid=$(daemon_pid a)
if [ "$(id -u)" -eq 0 ]; then
	check "daemon runs as nobody" \
	    test "$(ps -o user= -p "$pid" | tr -d ' ')" = nobody
	check "its Chromium runs as nobody, with its sandbox" chromium_user
fi

# A second daemon: refused on the same socket or state directory.
sed "s|^state_dir .*|state_dir $T/other|" "$T/a/webnavd.conf" >"$T/same-sock.conf"
timeout 20 "$WEBNAVD" -f "$T/same-sock.conf" 2>"$T/err"
rc=$?
check "a second webnavd on the same socket is refused" bash -c "
    [ $rc -eq 1 ] && grep -q 'is listening on $(sock a)' '$T/err'"
sed "s|^socket .*|socket $T/a/run/other.sock|" "$T/a/webnavd.conf" \
    >"$T/same-state.conf"
timeout 20 "$WEBNAVD" -f "$T/same-state.conf" 2>"$T/err"
rc=$?
check "a second webnavd on the same state directory is refused" bash -c "
    [ $rc -eq 1 ] && grep -q 'another webnavd (pid $pid) is using' '$T/err'"
check "the first one is unharmed" test "$(api_code a GET /v1/health)" = 200

h=$(api a GET /v1/health)
check "health: ok, protocol 1, browser up" \
    test "$(jf "$h" '[.status,.proto,.browser.state] | join(" ")')" = "ok 1 up"
tport=$(jf "$h" .tcp.port)

# Errors: each gets its status and a JSON message; the daemon keeps serving.
check "malformed JSON: 400 naming the position" bash -c "
    [ \"\$(api_code a POST /v1/tasks --data-binary '{\"name\": \"x\",')\" = 400 ] &&
    jq -e '.status == 400 and (.error | test(\"line 1\"))' '$T/body' >/dev/null"
head -c 3000000 /dev/zero | tr '\0' ' ' >"$T/big.json"
check "oversized body: 413" \
    test "$(api_code a POST /v1/tasks --data-binary @"$T/big.json")" = 413
check "unknown task id: 404" bash -c "
    [ \"\$(api_code a GET /v1/tasks/424242)\" = 404 ] &&
    jq -e '.error == \"no task 424242\"' '$T/body' >/dev/null"
check "unknown field in a task: 400" bash -c "
    [ \"\$(api_code a POST /v1/tasks --data-binary \
    '{\"start_url\":\"$BASE/\",\"goal\":\"x\",\"colour\":1}')\" = 400 ] &&
    grep -q colour '$T/body'"
check "unknown query parameter: 400" \
    test "$(api_code a GET '/v1/tasks?sort=name')" = 400
check "unknown policy: 400" bash -c "
    [ \"\$(api_code a POST /v1/tasks --data-binary \
    '{\"start_url\":\"$BASE/\",\"goal\":\"x\",\"policy\":\"oracle\"}')\" = 400 ]"
check "wrong method: 405 with Allow" bash -c "
    curl -sS -o /dev/null -D '$T/hdr' --unix-socket '$(sock a)' -X PUT \
    http://localhost/v1/tasks && grep -qi '^allow: GET, POST' '$T/hdr' &&
    head -1 '$T/hdr' | grep -q 405"
check "unknown path: 404" test "$(api_code a GET /v2/things)" = 404
check "every response carries the protocol header" bash -c "
    curl -sS -o /dev/null -D '$T/hdr' --unix-socket '$(sock a)' \
    http://localhost/v1/health && grep -qi '^webnav-protocol: 1' '$T/hdr'"

# The TCP port wants the token.
check "TCP without a token: 401" test "$(curl -s -o /dev/null -w '%{http_code}' \
    "http://127.0.0.1:$tport/v1/health")" = 401
check "TCP with a wrong token: 401" test "$(curl -s -o /dev/null -w '%{http_code}' \
    -H 'Authorization: Bearer wrong-wrong-wrong-wrong' \
    "http://127.0.0.1:$tport/v1/health")" = 401
check "TCP with the token: 200" test "$(curl -s -o /dev/null -w '%{http_code}' \
    -H "Authorization: Bearer $(cat "$T/token")" \
    "http://127.0.0.1:$tport/v1/health")" = 200
check "TCP with ?token=: 200" test "$(curl -s -o /dev/null -w '%{http_code}' \
    "http://127.0.0.1:$tport/?token=$(cat "$T/token")")" = 200
check "still serving after the errors" \
    test "$(api_code a GET /v1/health)" = 200

# The CLI: submit, wait, show, logs, list.
task_file "$T/t1.json" one "$BASE/demo" 100
id=$(wn a submit "$T/t1.json")
check "submit prints an id" test -n "$id"
wn a wait --timeout 60000 "$id" >"$T/out"
rc=$?
check "wait: exit 0 for a task that succeeded" test "$rc" -eq 0
check "show: succeeded with its report" bash -c "
    '$WEBNAV' show --socket '$(sock a)' $id | grep -q 'succeeded' &&
    '$WEBNAV' show --socket '$(sock a)' $id | grep -q 'report.html'"
check "the report exists" test -s "$T/a/state/runs/$id/report.html"
wn a logs "$id" >"$T/logs"
check "logs: every step" test "$(grep -c '^step ' "$T/logs")" -eq 4
check "list shows it" bash -c "'$WEBNAV' list --socket '$(sock a)' succeeded |
    grep -q '^ *$id  succeeded'"
check "screenshot of step 1 is a PNG" bash -c "
    api a GET /v1/tasks/$id/steps/1/som.png -o '$T/som.png' &&
    head -c 8 '$T/som.png' | od -An -c | grep -q 'P   N   G'"
task_file "$T/t2.json" two "$BASE/demo" 100 nope
id2=$(wn a submit "$T/t2.json")
wn a wait --timeout 90000 "$id2" >/dev/null
rc=$?
check "wait: exit 1 for a task that failed" test "$rc" -eq 1
# Secrets: typed, but never in the log, the run or the API.
cat >"$T/secret.json" <<EOF
{
	"name": "secret login",
	"start_url": "\${BASE}/demo/login.html",
	"actions": [
		{ "op": "type", "selector": "#email", "value": "ada@example.com" },
		{ "op": "type", "selector": "#password", "value": "\${PW}" },
		{ "op": "done" }
	],
	"success": [ { "js": "document.querySelector('#password').value.length == 14" } ],
	"vars": { "BASE": "http://127.0.0.1:1", "PW": { "value": "x", "secret": true } }
}
EOF
sid=$(wn a submit --var BASE="$BASE" --var PW=hunter2-sekrit "$T/secret.json")
wn a wait --timeout 90000 "$sid" >/dev/null
rc=$?
check "submit --var: variables filled, task succeeded" test "$rc" -eq 0
check "a secret is in no log, run file or API answer" bash -c "
    ! grep -rq hunter2-sekrit '$T/a/log' '$T/a/state/runs/$sid' &&
    api a GET /v1/tasks/$sid | grep -q '\*\*\*\*' &&
    ! api a GET /v1/tasks/$sid | grep -q hunter2 &&
    ! api a GET /v1/tasks/$sid/steps | grep -q hunter2"

# Cancel: queued and running; an ended task is a conflict.
task_file "$T/long.json" long "$BASE/demo" 4000
l1=$(wn a submit "$T/long.json")
l2=$(wn a submit "$T/long.json")
l3=$(wn a submit "$T/long.json")
wait_state a "$l1" running 30
wn a cancel "$l3" >/dev/null
check "cancel a queued task" wait_state a "$l3" cancelled 5
wn a cancel "$l1" >"$T/out"
check "cancel a running task" bash -c "grep -q cancelling '$T/out'"
check "it ends cancelled" wait_state a "$l1" cancelled 30
wn a cancel "$id" 2>"$T/err"
rc=$?
check "cancel an ended task: exit 1, conflict" \
    bash -c "[ $rc -eq 1 ] && grep -q 'already ended' '$T/err'"
wn a cancel "$l2" >/dev/null

# Metrics.
m=$(api a GET /metrics)
check "metrics: tasks by state" \
    grep -q '^webnavd_tasks{state="succeeded"} [1-9]' <<<"$m"
check "metrics: step phase histograms" \
    grep -q '^webnavd_step_phase_seconds_count{phase="observe"} [1-9]' <<<"$m"
check "metrics: browser restarts" \
    grep -q '^webnavd_browser_restarts_total 0' <<<"$m"
check "metrics: busy sessions" \
    grep -q '^webnavd_sessions_busy ' <<<"$m"

# SIGHUP: a good file is applied, a bad one is refused and kept.
daemon_conf a "sessions 3" "listen 127.0.0.1:0" "token_file $T/token"
kill -HUP "$pid"
check "reload applies sessions 3" bash -c "
    for i in \$(seq 1 50); do
	api a GET /v1/health | jq -e '.sessions.max == 3' >/dev/null && exit 0
	sleep 0.1
    done; exit 1"
echo "sessions many" >>"$T/a/webnavd.conf"
kill -HUP "$pid"
sleep 0.5
check "a bad reload is refused and logged" bash -c "
    grep -q 'reload: .*keeping the running configuration' '$T/a/log' &&
    api a GET /v1/health | jq -e '.sessions.max == 3' >/dev/null"
check "RELOADING=1 then READY=1" grep -q '^RELOADING=1' "$T/notify.out"

# Stop: exit 0, STOPPING=1, no socket, no Chromium.
check "SIGTERM: stops" daemon_stop a
check "exit status 0" test "$daemon_status" -eq 0
check "STOPPING=1 sent" grep -q '^STOPPING=1' "$T/notify.out"
check "socket removed" test ! -e "$(sock a)"
check "no Chromium left" test "$(daemon_chromium a)" -eq 0
check "no sanitizer report in the daemon logs" logs_clean
tap_done
