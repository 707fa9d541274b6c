#!/bin/bash
# daemon-live.sh: the live view at / loaded in Chromium (through DevTools)
# while a task runs: its steps, Set-of-Mark image and action appear as
# they happen, then the task's row turns "succeeded" without a reload.
# The page and the event WebSocket need the token on the TCP port.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/daemon-lib.sh"

site_start "$top_srcdir/tests/sites" PORT
BASE="http://127.0.0.1:$PORT"
printf 'live-view-token-0123456789abcdef\n' >"$T/token"
chmod 644 "$T/token"
TOKEN=$(cat "$T/token")
daemon_conf a "sessions 1" "listen 127.0.0.1:0" "token_file $T/token"
check "webnavd starts" daemon_start a || { tap_done; exit 1; }
tport=$(api a GET /v1/health | jq -r .tcp.port)
LIVE="http://127.0.0.1:$tport"

# ws_upgrade QUERY: the status line of a WebSocket handshake on /v1/events.
ws_upgrade() {
	: >"$T/ws"
	curl -s -i --max-time 3 -o "$T/ws" \
	    -H 'Connection: Upgrade' -H 'Upgrade: websocket' \
	    -H 'Sec-WebSocket-Version: 13' \
	    -H 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==' \
	    "$LIVE/v1/events$1"
	head -1 "$T/ws" | tr -d '\r'
}

check "live view without the token: 401" \
    test "$(curl -s -o /dev/null -w '%{http_code}' "$LIVE/")" = 401
check "event stream without the token: refused" \
    bash -c "! grep -q ' 101 ' <<<'$(ws_upgrade '')'"
check "event stream with the token: 101" \
    bash -c "grep -q ' 101 ' <<<'$(ws_upgrade "?token=$TOKEN")'"
check "live view with the token: the page" bash -c "
    curl -s '$LIVE/?token=$TOKEN' | grep -q '<title>webnavd</title>'"

# Remembers in the page that the running task's ("live") card showed two steps with
# a loaded Set-of-Mark image and its action; true once, after that, the
# card is gone and the task's row says "succeeded".
expr="(() => {
	const c = Array.from(document.querySelectorAll('#running .card')).find(
	    (e) => e.querySelector('h3').textContent.includes(' live '));
	if (c) {
		const img = c.querySelector('img');
		if (c.querySelectorAll('li[data-step]').length >= 2 &&
		    img.complete && img.naturalWidth > 100 &&
		    /^step [0-9]+\\/[0-9]+: /.test(c.querySelector('.action').textContent))
			window.__steps = Array.from(c.querySelectorAll('li'),
			    (li) => li.textContent);
	}
	const row = Array.from(document.querySelectorAll('#tasks tr')).find(
	    (r) => r.children[1].textContent === 'live');
	return !!window.__steps && !c && row !== null &&
	    row.children[2].textContent === 'succeeded';
})()"
report="JSON.stringify({steps: window.__steps || null,
	rows: Array.from(document.querySelectorAll('#tasks tr'), (r) => r.textContent),
	status: document.getElementById('status').textContent})"
# The page first, then the task, so that no step happens before it looks.
task_file "$T/t.json" live "$BASE/demo" 2500
"$PAGEWAIT" "$LIVE/?token=$TOKEN" "$expr" 120000 "$report" >"$T/page" 2>&1 &
ppid=$!
for i in $(seq 1 600); do
	grep -qs '^# loaded' "$T/page" && break
	kill -0 $ppid 2>/dev/null || break
	sleep 0.1
done
sleep 0.5
id=$(wn a submit "$T/t.json")
wait $ppid
rc=$?
note "page: $(cat "$T/page")"
check "steps, image and action appeared while the task ran" test "$rc" -eq 0
check "the steps shown are the task's actions" \
    grep -q 'WAIT 2500.*SCROLL down' "$T/page"
check "the task succeeded" \
    test "$(api a GET "/v1/tasks/$id" | jq -r .state)" = succeeded
check "the event stream got a subscriber" \
    grep -q 'webnavd_event_clients' <<<"$(api a GET /metrics)"
check "stops" daemon_stop a
check "no Chromium of webnavd left" test "$(daemon_chromium a)" -eq 0
check "no sanitizer report in the daemon logs" logs_clean
tap_done
