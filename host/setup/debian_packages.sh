#!/bin/sh
# Installs the Debian packages Skiff builds and tests with, when any is missing.
# Called by `make deps`. Non-interactive (CI has no terminal); needs root to install,
# and says so clearly otherwise. Each check names a file the build really uses.
set -eu

missing=""
need() { # need PACKAGE PATH-OR-COMMAND
  case "$2" in
    /*) [ -e "$2" ] || missing="$missing $1" ;;
    *) command -v "$2" >/dev/null 2>&1 || missing="$missing $1" ;;
  esac
}

need qemu-system-x86 qemu-system-x86_64
need musl-dev /usr/lib/x86_64-linux-musl/libc.a
need gcc gcc
need make make
need binutils ld
need patch patch
need xz-utils xz
need cpio cpio
need iproute2 ip
# The Linux interop tests (tests/helpers/netns.ts): a DHCP and DNS server in a network
# namespace, a DHCP client and nslookup to check it, ping to put frames on the tap; tcpdump
# records the DHCP/DNS fixtures (tests/fixtures/net/dhcp_dns_capture.sh).
need dnsmasq-base /usr/sbin/dnsmasq
need busybox busybox
need iputils-ping ping
need tcpdump /usr/bin/tcpdump
# Loss on the Linux side of the interop tests (this kernel has no sch_netem for tc netem).
need nftables /usr/sbin/nft
# The clients of the app tests: curl against the HTTP server (tests/vm/http, static_app,
# hono_app), OpenBSD netcat against apps/echo (tests/vm/echo_app).
need curl /usr/bin/curl
need netcat-openbsd /usr/bin/nc.openbsd
# The kv app's tests: memcached is the reference its protocol corpus is checked against
# (tests/unit/kv), and libmemcached's tools are the real clients (tests/vm/kv.test.ts).
need memcached /usr/bin/memcached
need libmemcached-tools /usr/bin/memccp
# The HTTP benchmark's load generator (bench/http/wrk.ts); the kv benchmark drives memcached
# and apps/kv with libmemcached-tools' memcslap (above).
need wrk /usr/bin/wrk

[ -z "$missing" ] && exit 0

if [ "$(id -u)" != 0 ]; then
  echo "skiff: these Debian packages are missing:$missing" >&2
  echo "skiff: run 'make deps' as root, or install them: sudo apt-get install -y$missing" >&2
  exit 1
fi

echo "skiff: installing Debian packages:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
# shellcheck disable=SC2086 # word splitting of the package list is intended
apt-get install -y -q --no-install-recommends $missing
