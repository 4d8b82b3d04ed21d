#!/bin/sh
# Installs every Debian package that building, testing, benchmarking and the
# demo need. Idempotent: packages already present are skipped by apt-get, and
# the package lists are refreshed only when something is missing.
set -eu

PACKAGES="
build-essential autoconf automake pkg-config
libncurses-dev libcurl4-openssl-dev libssl-dev libcjson-dev libzip-dev
libpcre2-dev libexpat1-dev libevent-dev libcmocka-dev zlib1g-dev
python3 awscli tmux hyperfine git ca-certificates groff-base time
python3-venv zip unzip
python3-pytest python3-pandas faketime
clang libclang-rt-14-dev
"

missing=""
for p in $PACKAGES; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done

if [ -z "$missing" ]; then
	echo "install-deps: all packages present"
	exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
	SUDO=sudo
else
	SUDO=
fi
echo "install-deps: installing:$missing"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
echo "install-deps: done"
