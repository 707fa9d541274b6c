#!/bin/bash
# daemon-security.sh: who may use webnavd's control API, and what a
# hostile or broken client can do to it.
#
# The unix socket's mode, owner and group, and a user outside its group
# (EACCES); bearer tokens on the TCP port (missing, wrong, a prefix, the
# right one); per-client tokens: each client sees and cancels only its
# own tasks (list, show, steps, report, images, cancel, the event
# WebSocket), an admin sees all, a metrics client reads /metrics only,
# unix socket peers map to clients by uid (SO_PEERCRED); and request
# caps: oversized path, query, headers and body, too many connections,
# and slow clients (head and body), each answered or cut off while the
# daemon keeps serving.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/daemon-lib.sh"

site_start "$top_srcdir/tests/sites" PORT
BASE="http://127.0.0.1:$PORT"
root=0
[ "$(id -u)" -eq 0 ] && root=1

# Tokens, one file each (readable by the daemon's user for SIGHUP).
for n in admin alice bob ops prom; do
	printf '%s-token-%s\n' "$n" "$(head -c 12 /dev/urandom | od -An -tx1 |
	    tr -d ' \n')" >"$T/$n.token"
	chmod 644 "$T/$n.token"
done
tok() {
	cat "$T/$1.token"
}

# As root the daemon runs as nobody and the socket's group is "daemon":
# user daemon may connect (and is client bob), user bin may not.
extra=()
if [ "$root" -eq 1 ]; then
	extra=("socket_group daemon"
	    "client bob token_file $T/bob.token unix_user daemon")
else
	extra=("client bob token_file $T/bob.token")
fi
daemon_conf a "sessions 2" "listen 127.0.0.1:0" "token_file $T/admin.token" \
    "client alice token_file $T/alice.token" "${extra[@]}" \
    "client ops token_file $T/ops.token role admin" \
    "client prom token_file $T/prom.token role metrics" \
    "max_connections 24" "request_timeout 2s" "request_max 64k"
check "-n accepts the client lines" \
    bash -c "'$WEBNAVD' -n -f '$T/a/webnavd.conf' 2>/dev/null |
    grep -q '^client ops token_file $T/ops.token role admin$'"
check "webnavd starts" daemon_start a || { tap_done; exit 1; }
tport=$(api a GET /v1/health | jq -r .tcp.port)
TCP="http://127.0.0.1:$tport"

# tcp TOKEN-NAME METHOD PATH [CURL-ARGS...]: a request on the TCP port
# with that client's token; the body goes to $T/body, the status out.
tcp() {
	local t=$1 m=$2 p=$3
	shift 3
	curl -sS --max-time 20 -o "$T/body" -w '%{http_code}' -X "$m" \
	    -H "Authorization: Bearer $(tok "$t")" "$@" "$TCP$p"
}
export TCP
export -f tok tcp
# submit TOKEN-NAME FILE: the id of a task submitted with that token.
submit() {
	tcp "$1" POST /v1/tasks --data-binary @"$2" >/dev/null
	jq -r .id "$T/body"
}

# ---- the unix socket ---------------------------------------------------
s=$(sock a)
check "socket is created 0660" test "$(stat -c %a "$s")" = 660
if [ "$root" -eq 1 ]; then
	check "socket owned by the daemon's user and socket_group" \
	    test "$(stat -c %U:%G "$s")" = nobody:daemon
	# bin is in neither: connect() fails with EACCES (strace tells
	# which errno; curl only says it could not connect).
	tr=()
	command -v strace >/dev/null && tr=(strace -f -e trace=connect -o "$T/st")
	"${tr[@]}" setpriv --reuid=bin --regid=bin --clear-groups -- \
	    curl -sS --max-time 5 --unix-socket "$s" http://x/v1/health \
	    >/dev/null 2>&1
	rc=$?
	check "a user outside the socket's group gets EACCES" bash -c "
	    [ $rc -eq 7 ] && { [ ${#tr[@]} -eq 0 ] ||
	    grep -q 'webnavd.sock.*EACCES' '$T/st'; }"
	check "... and so does one in the group, were the mode 0600" \
	    test "$(stat -c %A "$s" | cut -c8-10)" = "---"
	h=$(setpriv --reuid=daemon --regid=daemon --clear-groups -- \
	    curl -sS --max-time 5 --unix-socket "$s" http://x/v1/health)
	check "a peer with a client's uid is that client (SO_PEERCRED)" \
	    jqt '.client.name == "bob" and .client.role == "tasks"' "$h"
	b=$(setpriv --reuid=bin --regid=daemon --clear-groups -- \
	    curl -sS --max-time 5 -w '\n%{http_code}' \
	    --unix-socket "$s" http://x/v1/health)
	check "a peer in the group but no client is refused: 403" bash -c "
	    [ '$(tail -1 <<<"$b")' = 403 ] &&
	    head -1 <<<'$(head -1 <<<"$b")' | jq -e '.error | test(\"not a client\")' >/dev/null"
fi
check "root on the socket is an admin" \
    jqt '.client.name == null and .client.role == "admin" and
    .client.per_client_tokens' "$(api a GET /v1/health)"

# ---- tokens on the TCP port --------------------------------------------
code() {
	curl -s -o "$T/body" -D "$T/hdr" -w '%{http_code}' --max-time 10 "$@"
}
export -f code
check "no token: 401 with WWW-Authenticate" bash -c "
    [ \"\$(code '$TCP/v1/health')\" = 401 ] &&
    grep -qi '^www-authenticate: Bearer' '$T/hdr'"
check "a wrong token: 401" test "$(code \
    -H 'Authorization: Bearer not-a-token-of-anyone-at-all' \
    "$TCP/v1/health")" = 401
at=$(tok alice)
check "a prefix of a right token: 401" test "$(code \
    -H "Authorization: Bearer ${at%?}" "$TCP/v1/health")" = 401
check "a right token plus a byte: 401" test "$(code \
    -H "Authorization: Bearer ${at}x" "$TCP/v1/health")" = 401
check "an empty bearer: 401" test "$(code -H 'Authorization: Bearer ' \
    "$TCP/v1/health")" = 401
check "another scheme: 401" test "$(code -H "Authorization: Basic $at" \
    "$TCP/v1/health")" = 401
check "alice's token: 200, as alice" bash -c "
    [ \"\$(code -H 'Authorization: Bearer $at' '$TCP/v1/health')\" = 200 ] &&
    jq -e '.client.name == \"alice\" and .client.role == \"tasks\"' \
    '$T/body' >/dev/null"
check "the admin token: an admin" bash -c "
    [ \"\$(code '$TCP/v1/health?token=$(tok admin)')\" = 200 ] &&
    jq -e '.client.name == null and .client.role == \"admin\"' \
    '$T/body' >/dev/null"
check "a token in the query is not passed to the handler" \
    test "$(code "$TCP/v1/tasks?token=$at")" = 200

# ---- per-client tokens -------------------------------------------------
task_file "$T/quick.json" quick "$BASE/demo" 50
task_file "$T/long.json" long "$BASE/demo" 6000
a1=$(submit alice "$T/quick.json")
b1=$(submit bob "$T/quick.json")
o1=$(submit ops "$T/quick.json")
r1=$(api a POST /v1/tasks --data-binary @"$T/quick.json" | jq -r .id)
check "four tasks submitted" bash -c "
    [ -n '$a1' ] && [ -n '$b1' ] && [ -n '$o1' ] && [ -n '$r1' ] &&
    [ '$a1' != null ] && [ '$b1' != null ]"
check "each task records its owner" bash -c "
    [ \"\$(api a GET /v1/tasks/$a1 | jq -r .owner)\" = alice ] &&
    [ \"\$(api a GET /v1/tasks/$b1 | jq -r .owner)\" = bob ] &&
    [ \"\$(api a GET /v1/tasks/$o1 | jq -r .owner)\" = ops ] &&
    [ \"\$(api a GET /v1/tasks/$r1 | jq -r .owner)\" = null ]"
wait_state a "$a1" succeeded 90 >/dev/null
wait_state a "$b1" succeeded 90 >/dev/null
tcp alice GET /v1/tasks >/dev/null
check "alice lists her own task only" \
    jqt "[.tasks[].id] == [$a1] and .total == 1" "$(cat "$T/body")"
tcp bob GET /v1/tasks >/dev/null
check "bob lists his own task only" \
    jqt "[.tasks[].id] == [$b1]" "$(cat "$T/body")"
tcp ops GET /v1/tasks >/dev/null
check "an admin client lists every task" \
    jqt "[.tasks[].id] == [$a1,$b1,$o1,$r1]" "$(cat "$T/body")"
tcp admin GET /v1/tasks >/dev/null
check "the admin token lists every task" jqt '.total == 4' "$(cat "$T/body")"
check "root on the socket lists every task" \
    jqt '.total == 4' "$(api a GET /v1/tasks)"
check "alice's health counts her tasks only" bash -c "
    [ \"\$(tcp alice GET /v1/health)\" = 200 ] &&
    jq -e '.tasks.succeeded == 1' '$T/body' >/dev/null"
for p in "" /steps /report /steps/1/screenshot.png /steps/1/som.png \
    /live.png; do
	check "alice: GET bob's task$p is 404, as for no task" bash -c "
	    [ \"\$(tcp alice GET /v1/tasks/$b1$p)\" = 404 ] &&
	    jq -e '.error == \"no task $b1\"' '$T/body' >/dev/null"
done
check "alice: her own task's report: 200" \
    test "$(tcp alice GET "/v1/tasks/$a1/report")" = 200
check "alice: an admin's task is 404" \
    test "$(tcp alice GET "/v1/tasks/$r1")" = 404
l1=$(submit bob "$T/long.json")
l2=$(submit alice "$T/long.json")
wait_state a "$l1" running 30 >/dev/null
check "alice cannot cancel bob's task: 404" \
    test "$(tcp alice DELETE "/v1/tasks/$l1")" = 404
check "... and it keeps running" bash -c "
    [ \"\$(api a GET /v1/tasks/$l1 | jq -r '.state,.cancel_requested' |
    tr '\n' ' ')\" = 'running false ' ]"
check "alice cancels her own task" bash -c "
    c=\$(tcp alice DELETE /v1/tasks/$l2); [ \"\$c\" = 200 ] || [ \"\$c\" = 202 ]"
check "an admin client cancels bob's task" bash -c "
    c=\$(tcp ops DELETE /v1/tasks/$l1); [ \"\$c\" = 202 ] || [ \"\$c\" = 200 ]"
check "it ends cancelled" wait_state a "$l1" cancelled 30

# The CLI with a client's token.
check "webnav list with alice's token: her tasks only" bash -c "
    WEBNAV_TOKEN='$at' '$WEBNAV' list --socket '$TCP' >'$T/list' &&
    grep -q '^ *$a1 ' '$T/list' && ! grep -q '^ *$b1 ' '$T/list'"
check "webnav show names the client" bash -c "
    WEBNAV_TOKEN='$at' '$WEBNAV' show --socket '$TCP' $a1 |
    grep -q '^  client  *alice$'"
WEBNAV_TOKEN="$at" "$WEBNAV" show --socket "$TCP" "$b1" >/dev/null 2>"$T/err"
rc=$?
check "webnav show of bob's task with alice's token: exit 1, no task" \
    bash -c "[ $rc -eq 1 ] && grep -q 'no task $b1' '$T/err'"
for cmd in wait logs cancel; do
	WEBNAV_TOKEN="$at" timeout 30 "$WEBNAV" "$cmd" --socket "$TCP" "$b1" \
	    >/dev/null 2>"$T/err"
	rc=$?
	check "webnav $cmd of bob's task with alice's token: exit 1, no task" \
	    bash -c "[ $rc -eq 1 ] && grep -q 'no task $b1' '$T/err'"
done
check "the live view page loads for alice" test "$(tcp alice GET /)" = 200

# Metrics: admins and metrics clients.
check "alice may not read /metrics: 403" \
    test "$(tcp alice GET /metrics)" = 403
check "a metrics client reads /metrics" bash -c "
    [ \"\$(tcp prom GET /metrics)\" = 200 ] &&
    grep -q '^webnavd_tasks{state=\"succeeded\"}' '$T/body'"
check "a metrics client may not list tasks: 403" \
    test "$(tcp prom GET /v1/tasks)" = 403
check "a metrics client may not submit: 403" \
    test "$(tcp prom POST /v1/tasks --data-binary @"$T/quick.json")" = 403
check "the admin token reads /metrics" test "$(tcp admin GET /metrics)" = 200
check "root on the socket reads /metrics" \
    test "$(api_code a GET /metrics)" = 200

# The event WebSocket: each subscriber hears of its own tasks only.
# ws_watch NAME TOKEN SECONDS: records the raw stream (the frames are
# unmasked text) to $T/ws.NAME in the background.
ws_watch() {
	curl -s -N -i --max-time "$3" -o "$T/ws.$1" \
	    -H 'Connection: Upgrade' -H 'Upgrade: websocket' \
	    -H 'Sec-WebSocket-Version: 13' \
	    -H 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==' \
	    "$TCP/v1/events?token=$2" &
}
ws_watch alice "$at" 120
wa=$!
ws_watch ops "$(tok ops)" 120
wo=$!
ws_watch prom "$(tok prom)" 3
# Both subscribed (their hello is in) before anything happens.
for i in $(seq 1 100); do
	grep -aqs '"type":"hello"' "$T/ws.alice" &&
	    grep -aqs '"type":"hello"' "$T/ws.ops" && break
	sleep 0.1
done
a2=$(submit alice "$T/quick.json")
b2=$(submit bob "$T/quick.json")
wait_state a "$a2" succeeded 90 >/dev/null
wait_state a "$b2" succeeded 90 >/dev/null
sleep 1
kill "$wa" "$wo" 2>/dev/null
wait "$wa" "$wo" 2>/dev/null
check "alice's events: her tasks, steps included" bash -c "
    head -1 '$T/ws.alice' | grep -q ' 101 ' &&
    grep -aq '\"id\":$a2,' '$T/ws.alice' &&
    grep -aq '\"type\":\"step\",\"id\":$a2,' '$T/ws.alice'"
check "alice's events: nothing of bob's, from hello on" bash -c "
    ! grep -aq '\"owner\":\"bob\"' '$T/ws.alice' &&
    ! grep -aq '\"id\":$b2,' '$T/ws.alice' &&
    ! grep -aq '\"id\":$b1,' '$T/ws.alice'"
check "an admin client's events: both" bash -c "
    grep -aq '\"id\":$a2,' '$T/ws.ops' && grep -aq '\"id\":$b2,' '$T/ws.ops'"
check "a metrics client may not subscribe" \
    bash -c "! grep -qs ' 101 ' '$T/ws.prom'"

# SIGHUP: a new token for alice applies at once, the old one stops.
printf 'alice-rotated-token-0123456789\n' >"$T/alice.token"
kill -HUP "$(daemon_pid a)"
check "after a reload alice's new token works" bash -c "
    for i in \$(seq 1 50); do
	[ \"\$(curl -s -o /dev/null -w '%{http_code}' -H \
	'Authorization: Bearer alice-rotated-token-0123456789' \
	'$TCP/v1/tasks')\" = 200 ] && exit 0; sleep 0.1
    done; exit 1"
check "... and her old one is refused" \
    test "$(code -H "Authorization: Bearer $at" "$TCP/v1/tasks")" = 401
printf 'alice-rotated-token-0123456789\n' >"$T/bob.token"
kill -HUP "$(daemon_pid a)"
sleep 0.5
check "a reload giving two clients one token is refused" bash -c "
    grep -q 'its token is also client alice' '$T/a/log' &&
    [ \"\$(tcp bob GET /v1/tasks)\" = 200 ]"

# ---- request caps ------------------------------------------------------
admin=(-H "Authorization: Bearer $(tok admin)")
check "a path over 1024 bytes: 414" test "$(code "${admin[@]}" \
    "$TCP/v1/tasks/$(head -c 1100 /dev/zero | tr '\0' 1)")" = 414
q=$(for i in $(seq 1 20); do printf 'a%d=1&' "$i"; done)
check "more than 16 query parameters: 400" \
    test "$(code "${admin[@]}" "$TCP/v1/tasks?$q")" = 400
head -c 70000 /dev/zero | tr '\0' ' ' >"$T/big.json"
check "a body over request_max: 413 naming the limit" bash -c "
    [ \"\$(code -H 'Authorization: Bearer $(tok admin)' \
    --data-binary @'$T/big.json' '$TCP/v1/tasks')\" = 413 ] &&
    jq -e '.error | test(\"limit of 65536 bytes\")' '$T/body' >/dev/null"
check "a body without Content-Length (chunked): 411" bash -c "
    [ \"\$(code -H 'Authorization: Bearer $(tok admin)' \
    -H 'Transfer-Encoding: chunked' --data-binary @'$T/quick.json' \
    '$TCP/v1/tasks')\" = 411 ]"
big=$(head -c 10000 /dev/zero | tr '\0' a)
curl -s -o /dev/null -w '%{http_code}' --max-time 10 -H "X-Big: $big" \
    "$TCP/v1/health" >"$T/code" 2>/dev/null
check "headers over 8 KiB: refused, no answer but a closed connection" \
    bash -c "grep -qx 000 '$T/code'"
check "still serving after the oversized requests" \
    test "$(api_code a GET /v1/health)" = 200

# A slow client: a request head that never ends gets 408 within
# request_timeout (2 s), and others are served meanwhile.
slow_head() {
	local s e
	exec 3<>"/dev/tcp/127.0.0.1/$tport" || return 1
	printf 'GET /v1/health HTTP/1.1\r\nHost: x\r\n' >&3
	s=$(date +%s%N)
	timeout 15 cat <&3 >"$T/slow"
	e=$(date +%s%N)
	exec 3>&-
	echo $(((e - s) / 1000000)) >"$T/slow.ms"
}
slow_head &
sp=$!
sleep 0.5
c=$(api_code a GET /v1/health)
wait "$sp"
check "others are served while a client is slow" test "$c" = 200
check "a slow request head: 408 with a JSON reason" bash -c "
    head -1 '$T/slow' | grep -q '^HTTP/1.1 408' &&
    grep -aq 'took longer than 2000 ms' '$T/slow'"
check "... after request_timeout, not before, and closed" bash -c "
    ms=\$(cat '$T/slow.ms'); [ \$ms -ge 1500 ] && [ \$ms -lt 8000 ]"
slow_body() {
	exec 3<>"/dev/tcp/127.0.0.1/$tport" || return 1
	printf 'POST /v1/tasks HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nContent-Length: 500\r\n\r\n{"name":' "$(tok admin)" >&3
	timeout 15 cat <&3 >"$T/slowb"
	exec 3>&-
}
slow_body
check "a slow request body: 408, and no task made of it" bash -c "
    head -1 '$T/slowb' | grep -q '^HTTP/1.1 408' &&
    [ \"\$(api a GET /v1/tasks | jq .total)\" = 8 ]"
# Trickling one header line a second does not stretch the deadline.
trickle() {
	local i
	exec 3<>"/dev/tcp/127.0.0.1/$tport" || return 1
	printf 'GET /v1/health HTTP/1.1\r\n' >&3
	for i in 1 2 3 4 5 6; do
		printf 'X-Slow-%d: 1\r\n' "$i" >&3 2>/dev/null || break
		sleep 1
	done
	timeout 5 cat <&3 >"$T/trickle"
	exec 3>&-
}
(trap '' PIPE; trickle)
check "a trickling head: 408 all the same" \
    bash -c "head -1 '$T/trickle' | grep -q '^HTTP/1.1 408'"

# Too many connections: max_connections (24) idle ones, then one more is
# answered 503 at once; when they go, service is back.
fds=()
for i in $(seq 1 24); do
	exec {fd}<>"/dev/tcp/127.0.0.1/$tport" && fds+=("$fd")
done
c=$(curl -s -o "$T/body" -w '%{http_code}' --max-time 5 "${admin[@]}" \
    "$TCP/v1/health")
check "one connection over max_connections: 503, too many connections" \
    bash -c "[ '$c' = 503 ] && jq -e '.error == \"too many connections\"' \
    '$T/body' >/dev/null"
# (A unix socket peer sees the close before it can read the answer.)
c=$(api_code a GET /v1/health 2>/dev/null)
check "the unix socket is refused too while full" test "$c" != 200
for fd in "${fds[@]}"; do
	exec {fd}>&-
done
check "service is back once they close" bash -c "
    for i in \$(seq 1 50); do
	[ \"\$(curl -s -o /dev/null -w '%{http_code}' \
	-H 'Authorization: Bearer $(tok admin)' '$TCP/v1/health')\" = 200 ] &&
	exit 0; sleep 0.1
    done; exit 1"
check "the daemon logged the refusal" \
    grep -q 'connections open; refusing more' "$T/a/log"

check "SIGTERM: stops" daemon_stop a
check "exit status 0" test "$daemon_status" -eq 0
check "no Chromium left" chromium_gone a
check "no sanitizer report in the daemon logs" logs_clean
tap_done
