#!/bin/sh
# setup.sh: install what webnav needs on Debian 12 and build it.
#
# Installs the build tools, the libraries and Debian's Chromium (as root, or
# through sudo), then runs autoreconf, configure and make.  Extra arguments
# go to configure (e.g. ./setup.sh --enable-sanitizers).  Safe to run again.
set -eu
cd "$(dirname "$0")"

# Build and run; the last line is what the tests use besides (curl, jq and
# procps's pgrep drive the daemon and count processes).
PKGS="build-essential autoconf automake pkg-config
libcurl4-openssl-dev libwebsockets-dev libcjson-dev libpng-dev
libopenblas-dev chromium fonts-liberation
curl jq procps"

missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
	    missing="$missing $p"
done
if [ -n "$missing" ]; then
	echo "setup: installing$missing"
	SUDO=""
	[ "$(id -u)" -eq 0 ] || SUDO=sudo
	$SUDO apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq \
	    --no-install-recommends $missing >/dev/null
fi

if [ ! -x configure ] || [ configure.ac -nt configure ] ||
    [ Makefile.am -nt configure ]; then
	autoreconf -fi
fi
if [ ! -f Makefile ] || [ "$#" -gt 0 ]; then
	./configure -q "$@"
fi
make -j"$(nproc)" -s
echo "setup: built src/webnav"
