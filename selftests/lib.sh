# SPDX-License-Identifier: GPL-2.0
# Shared helpers for clnet selftests: TAP output, checks, paths, cleanup.
#
# A test script sources this file, calls its checks and ends with tap_done.
# Run outside the VM, a script re-executes itself inside one
# (selftests/vm/run), because the host kernel cannot load modules.

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CLNETCTL=$TOP/tools/clnetctl/clnetctl
GENL_RAW=$TOP/selftests/genl_raw.py

if [ -z "${CLNET_VM_FLAVOUR:-}" ]; then
	exec "$TOP/selftests/vm/run" -- "$(realpath "$0")" "$@"
fi

# The module built for the kernel this guest runs.
case $CLNET_VM_FLAVOUR in
debug) CLNET_KO=$TOP/build/debug/kmod/clnet.ko ;;
*)     CLNET_KO=$TOP/kmod/clnet.ko ;;
esac

_tap_n=0
_tap_failed=0
_netns_made=()
_cleanups=()

echo "TAP version 13"

# Run on exit: registered cleanups (last first), then namespaces we made.
_tap_exit() {
	local i
	for ((i = ${#_cleanups[@]} - 1; i >= 0; i--)); do
		eval "${_cleanups[i]}" >/dev/null 2>&1 || true
	done
	for ns in "${_netns_made[@]}"; do
		ip netns del "$ns" 2>/dev/null || true
	done
}
trap _tap_exit EXIT

on_exit() {
	_cleanups+=("$*")
}

# netns_add NAME...: create namespaces (lo up) that are removed at exit.
# IPv6 is off in them so that no autoconfiguration traffic disturbs exact
# packet counts; clnet is IPv4-only for now.
netns_add() {
	local ns
	for ns in "$@"; do
		ip netns add "$ns" || return 1
		_netns_made+=("$ns")
		ip -n "$ns" link set lo up || return 1
		ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
			net.ipv6.conf.default.disable_ipv6=1 || return 1
	done
}

# wait_until SECONDS CMD...: poll CMD every 50 ms until it succeeds; fail
# after the deadline. For state the kernel changes asynchronously (netns
# teardown, a listener coming up) where no event can be waited on.
wait_until() {
	local deadline=$(($(date +%s%N) + $1 * 1000000000))
	shift
	until "$@" >/dev/null 2>&1; do
		[ "$(date +%s%N)" -lt "$deadline" ] || return 1
		sleep 0.05
	done
}

# wait_listen NETNS PORT: until a TCP listener is up on PORT in NETNS.
wait_listen() {
	wait_until 10 sh -c "ip netns exec '$1' ss -Hltn 'sport = :$2' | grep -q ."
}

# dev_stat NETNS DEV COUNTER: a counter from the device's statistics.
dev_stat() {
	ip netns exec "$1" cat "/sys/class/net/$2/statistics/$3"
}

# dev_exists NETNS DEV
dev_exists() {
	ip -n "$1" link show dev "$2" >/dev/null 2>&1
}

_tap_result() {	# STATUS(0=ok) DESCRIPTION [DIAG-FILE]
	_tap_n=$((_tap_n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $_tap_n - $2"
	else
		_tap_failed=$((_tap_failed + 1))
		echo "not ok $_tap_n - $2"
		[ -n "${3:-}" ] && [ -s "$3" ] && sed 's/^/#   /' "$3" | head -n 40
	fi
	return "$1"
}

# check DESC CMD...: CMD must succeed.
check() {
	local desc=$1 out rc
	shift
	out=$(mktemp)
	"$@" >"$out" 2>&1
	rc=$?
	[ $rc = 0 ] || echo "command: $* (exit $rc)" >>"$out"
	_tap_result $((rc != 0)) "$desc" "$out"
	rc=$?
	rm -f "$out"
	return $rc
}

# check_exit DESC RC CMD...: CMD must exit with status RC.
check_exit() {
	local desc=$1 want=$2 out rc
	shift 2
	out=$(mktemp)
	"$@" >"$out" 2>&1
	rc=$?
	[ $rc = "$want" ] || echo "command: $* (exit $rc, wanted $want)" >>"$out"
	_tap_result $((rc != want)) "$desc" "$out"
	rc=$?
	rm -f "$out"
	return $rc
}

# check_output DESC RC REGEX CMD...: CMD exits RC and its combined output
# matches the extended REGEX.
check_output() {
	local desc=$1 want=$2 re=$3 out rc bad=0
	shift 3
	out=$(mktemp)
	"$@" >"$out" 2>&1
	rc=$?
	if [ $rc != "$want" ]; then
		echo "command: $* (exit $rc, wanted $want)" >>"$out"
		bad=1
	elif ! grep -Eq -- "$re" "$out"; then
		echo "command: $* output does not match /$re/" >>"$out"
		bad=1
	fi
	_tap_result $bad "$desc" "$out"
	rc=$?
	rm -f "$out"
	return $rc
}

# skip DESC REASON: the reason must tell the user what to do.
skip() {
	_tap_n=$((_tap_n + 1))
	echo "ok $_tap_n - $1 # SKIP $2"
}

# bail REASON: a precondition failed; later checks would be meaningless.
bail() {
	echo "Bail out! $*"
	exit 1
}

tap_done() {
	echo "1..$_tap_n"
	[ "$_tap_failed" = 0 ]
}

module_loaded() {
	[ -d /sys/module/clnet ]
}

load_module() {
	module_loaded || insmod "$CLNET_KO"
}

unload_module() {
	! module_loaded || rmmod clnet
}
