#!/bin/bash
# sitesrv.sh: the test web server (tests/sitesrv) serves files with the
# right types, refuses path traversal, answers its test routes, serves
# several clients at once (one of them hanging), survives bad requests and
# exits on SIGTERM.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/integration/lib.sh"

command -v curl >/dev/null 2>&1 || skip_all "curl is not installed"

SITES="$top_srcdir/tests/sites"
site_start "$SITES" PORT
BASE="http://127.0.0.1:$PORT"
C="curl -s --max-time 10"

# code_type URL: prints "CODE TYPE" of a GET.
code_type() {
	$C -o /dev/null -w '%{http_code} %{content_type}' "$@"
}

check "html served as text/html" \
    test "$(code_type "$BASE/observe/controls.html")" = \
    "200 text/html; charset=utf-8"
check "js served as text/javascript" \
    test "$(code_type "$BASE/observe/expect.js")" = \
    "200 text/javascript; charset=utf-8"
check "css served as text/css" \
    test "$(code_type "$BASE/demo/style.css")" = "200 text/css; charset=utf-8"
printf '{"a": 1}\n' >"$T/x.json"
printf 'plain\n' >"$T/x.txt"
printf '<svg xmlns="http://www.w3.org/2000/svg"/>\n' >"$T/x.svg"
printf '\211PNG\r\n\032\n' >"$T/x.png"
mkdir "$T/dir" && printf 'index\n' >"$T/dir/index.html"
site_start "$T" TPORT
TBASE="http://127.0.0.1:$TPORT"
check "json type" test "$(code_type "$TBASE/x.json")" = "200 application/json"
check "txt type" \
    test "$(code_type "$TBASE/x.txt")" = "200 text/plain; charset=utf-8"
check "svg type" test "$(code_type "$TBASE/x.svg")" = "200 image/svg+xml"
check "png type" test "$(code_type "$TBASE/x.png")" = "200 image/png"
check "body is the file" test "$($C "$TBASE/x.json")" = '{"a": 1}'
check "directory index" test "$($C "$TBASE/dir/")" = "index"
check "directory without slash redirects" \
    test "$($C -o /dev/null -w '%{http_code} %{redirect_url}' "$TBASE/dir")" = \
    "301 $TBASE/dir/"
check "missing file is 404" \
    test "$($C -o /dev/null -w '%{http_code}' "$BASE/nope.html")" = 404
check "HEAD has no body" \
    test "$($C -I "$TBASE/x.txt" | tr -d '\r' | grep -c '^Content-Length: 6$')" = 1

# Traversal: literal and encoded "..", and a symlink out of the root.
check "literal .. refused" test "$($C --path-as-is -o /dev/null \
    -w '%{http_code}' "$TBASE/../../etc/passwd")" = 403
check "encoded .. refused" test "$($C --path-as-is -o /dev/null \
    -w '%{http_code}' "$TBASE/dir/%2e%2e/%2E%2E/etc/passwd")" = 403
ln -s /etc/passwd "$T/out"
check "symlink out of the root refused" \
    test "$($C -o /dev/null -w '%{http_code}' "$TBASE/out")" = 404
check "NUL in path refused" \
    test "$($C -o /dev/null -w '%{http_code}' "$TBASE/x.txt%00.html")" = 400

# Test routes.
check "__status" test "$($C -o /dev/null -w '%{http_code}' \
    "$BASE/__status?code=418")" = 418
check "__status 204 has no body" test "$($C -w '%{http_code}' \
    "$BASE/__status?code=204")" = 204
check "__status rejects bad codes" test "$($C -o /dev/null \
    -w '%{http_code}' "$BASE/__status?code=99")" = 400
check "__redirect" test "$($C -o /dev/null -w '%{http_code} %{redirect_url}' \
    "$BASE/__redirect?to=%2Fobserve%2Fcontrols.html")" = \
    "302 $BASE/observe/controls.html"
check "__redirect code=307" test "$($C -o /dev/null -w '%{http_code}' \
    "$BASE/__redirect?to=/x&code=307")" = 307
check "__redirect refuses header injection" test "$($C -o /dev/null \
    -w '%{http_code}' "$BASE/__redirect?to=/x%0d%0aX-Evil:%201")" = 400
check "__echo returns the request headers" \
    sh -c "$C -H 'X-Probe: 42' '$BASE/__echo' | grep -q '^X-Probe: 42'"
check "__echo returns a POST body" \
    sh -c "$C --data-binary 'k=v' '$BASE/__echo' | tail -c 3 | grep -qx 'k=v'"
start=$(date +%s%N)
got=$($C -o /dev/null -w '%{http_code}' \
    "$BASE/__slow?ms=400&path=/observe/controls.html")
ms=$(( ($(date +%s%N) - start) / 1000000 ))
check "__slow serves the file" test "$got" = 200
check "__slow waits (${ms} ms)" test "$ms" -ge 380

# A hanging request does not block others, and the client sees a timeout.
$C --max-time 3 -o /dev/null "$BASE/__hang" &
hang=$!
sleep 0.3
ok=0
for i in 1 2 3 4 5 6 7 8 9 10; do
	$C -o /dev/null -w '%{http_code}\n' "$BASE/observe/big.html" \
	    >"$T/par.$i" &
done
wait_all() {
	for i in 1 2 3 4 5 6 7 8 9 10; do
		while ! grep -q . "$T/par.$i" 2>/dev/null; do
			sleep 0.05
		done
	done
	cat "$T"/par.* | grep -c '^200$'
}
check "10 parallel requests beside a hanging one" \
    test "$(wait_all)" = 10
wait "$hang"
check "__hang never answers (curl timed out)" test $? = 28

# Bad requests: answered, and the server lives on.
raw() {
	# raw DATA: sends DATA, prints the status line of the answer.
	printf '%b' "$1" | $C --max-time 3 -o - telnet://127.0.0.1:$PORT \
	    2>/dev/null | head -1 | tr -d '\r'
}
check "garbage is 400" test "$(raw 'HELLO\r\n\r\n')" = \
    "HTTP/1.1 400 Bad Request"
check "huge header is 431" test "$(raw "GET / HTTP/1.1\r\nX: $(head -c 20000 /dev/zero | tr '\0' a)\r\n\r\n")" = \
    "HTTP/1.1 431 Request Header Fields Too Large"
check "chunked body is 501" \
    test "$(raw 'POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n')" = \
    "HTTP/1.1 501 Not Implemented"
check "DELETE is 405" test "$(raw 'DELETE / HTTP/1.1\r\n\r\n')" = \
    "HTTP/1.1 405 Method Not Allowed"
check "still serving after bad requests" \
    test "$(code_type "$TBASE/x.txt")" = "200 text/plain; charset=utf-8"

# SIGTERM: exits with 0 promptly, even with a client connected.
fifo="$T/port.term"
mkfifo "$fifo"
"$SITESRV" -r "$T" -p 0 >"$fifo" &
pid=$!
read -r _ p3 <"$fifo"
$C --max-time 5 -o /dev/null "http://127.0.0.1:$p3/__hang" &
cl=$!
sleep 0.3
kill -TERM "$pid"
wait "$pid"
check "exits 0 on SIGTERM" test $? = 0
wait "$cl" 2>/dev/null
check "bad usage exits 2" sh -c "'$SITESRV' -x >/dev/null 2>&1; test \$? = 2"
check "missing root fails" \
    sh -c "'$SITESRV' -r '$T/none' >/dev/null 2>&1; test \$? = 1"

tap_done
