# SPDX-License-Identifier: GPL-2.0
# The environment every selftest and benchmark script shares: paths, the
# module for the running kernel, namespaces removed at exit, polling with
# a deadline.
#
# Run outside the VM, a script that sources this re-executes itself inside
# one (selftests/vm/run), because the host kernel cannot load modules.

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
CLNETCTL=$TOP/tools/clnetctl/clnetctl
GENL_RAW=$TOP/selftests/genl_raw.py
JSON_GET=$TOP/selftests/lib/json_get.py
# "ip netns exec" without the mount namespace (selftests/nsrun.c); exported
# for the "sh -c" strings that use it.
export NSRUN=$TOP/build/selftests/nsrun

if [ -z "${CLNET_VM_FLAVOUR:-}" ]; then
	exec "$TOP/selftests/vm/run" -- "$(realpath "$0")" "$@"
fi

# The module built for the kernel this guest runs.
case $CLNET_VM_FLAVOUR in
debug) CLNET_KO=$TOP/build/debug/kmod/clnet.ko ;;
*)     CLNET_KO=$TOP/kmod/clnet.ko ;;
esac

_netns_made=()
_cleanups=()

# Run on exit: registered cleanups (last first), then namespaces we made.
_env_exit() {
	local i
	for ((i = ${#_cleanups[@]} - 1; i >= 0; i--)); do
		eval "${_cleanups[i]}" >/dev/null 2>&1 || true
	done
	for ns in "${_netns_made[@]}"; do
		ip netns del "$ns" 2>/dev/null || true
	done
}
trap _env_exit EXIT

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
		$NSRUN "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
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
	wait_until 10 sh -c "$NSRUN '$1' ss -Hltn 'sport = :$2' | grep -q ."
}

# tcp_transfer FROM_NS TO_NS TO_ADDR BYTES: send BYTES of random data over
# TCP (port 5001) and check that they arrive intact.
tcp_transfer() {
	local from=$1 to=$2 addr=$3 bytes=$4 dir pid rc=1
	dir=$(mktemp -d)
	head -c "$bytes" /dev/urandom >"$dir/src"
	$NSRUN "$to" socat -u TCP-LISTEN:5001,reuseaddr "OPEN:$dir/dst,creat,trunc" &
	pid=$!
	if wait_listen "$to" 5001 &&
	   $NSRUN "$from" socat -u "OPEN:$dir/src" "TCP:$addr:5001" &&
	   wait "$pid"; then
		pid=
		cmp -s "$dir/src" "$dir/dst" && rc=0
	fi
	[ -n "$pid" ] && kill "$pid" 2>/dev/null
	rm -rf "$dir"
	return $rc
}

# ctl ARGS...: clnetctl; in_ns NETNS CMD...: CMD in that netns.
ctl() { "$CLNETCTL" "$@"; }
in_ns() { "$NSRUN" "$@"; }

# pings NETNS COUNT ADDR [PING-OPTION...]: COUNT echo requests 0.2 s
# apart, every one answered (within 5 s).
pings() {
	local ns=$1 count=$2 addr=$3
	shift 3
	"$NSRUN" "$ns" ping -c "$count" -i 0.2 -W 5 "$@" "$addr"
}

# no_reply NETNS COUNT ADDR [SECONDS]: COUNT echo requests, none answered
# within SECONDS (2).
no_reply() {
	! "$NSRUN" "$1" ping -c "$2" -i 0.2 -W "${4:-2}" "$3"
}

# dev_stat NETNS DEV COUNTER: a counter from the device's statistics.
dev_stat() {
	local dir=${3%%_*} field=${3#*_}

	# From ip -s -j (the same dev_get_stats() as /sys/class/net): quicker
	# than "ip netns exec" and its remount of /sys.
	ip -n "$1" -s -j link show dev "$2" |
		sed -E "s/.*\"stats64\":\{.*\"$dir\":\{([^}]*)\}.*/\1/; s/.*\"$field\":([0-9]+).*/\1/"
}

# word_after TEXT KEY: the word that follows the first KEY in TEXT.
word_after() {
	local w prev=
	for w in $1; do
		[ "$prev" = "$2" ] && { echo "$w"; return; }
		prev=$w
	done
}

# fp_counter NODE NAME: a fast-path counter ("forwarded", "direct",
# "nat-original", or a fallback reason) from clnetctl fastpath show, whose
# text output pairs each name with its value. (Text rather than python3 on
# -j: this runs dozens of times, and python3 starts slowly on the debug
# kernel.)
fp_counter() {
	word_after "$(ctl -n "$1" fastpath show)" "$2"
}

# fp_grew NODE NAME BEFORE [BY]: the counter grew by at least BY (1).
fp_grew() {
	[ "$(fp_counter "$1" "$2")" -ge $(($3 + ${4:-1})) ]
}

# fp_same NODE NAME BEFORE: the counter did not change.
fp_same() {
	[ "$(fp_counter "$1" "$2")" = "$3" ]
}

# fails_saying REGEX CMD...: CMD fails and its output matches the extended
# REGEX (its output is passed on, for check's report).
fails_saying() {
	local re=$1 out rc
	shift
	out=$("$@" 2>&1)
	rc=$?
	printf '%s\n' "$out"
	[ $rc != 0 ] && grep -Eq -- "$re" <<<"$out"
}

# dev_exists NETNS DEV
dev_exists() {
	ip -n "$1" link show dev "$2" >/dev/null 2>&1
}

# dev_absent NETNS DEV [NETNS DEV]...: none of these devices exists.
dev_absent() {
	while [ $# -ge 2 ]; do
		! dev_exists "$1" "$2" || return 1
		shift 2
	done
}

# netns_absent REGEX: no namespace's name matches the extended REGEX.
netns_absent() {
	! ip netns list | grep -qE "^($1)( |$)"
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

# node_with_everything NODE POD: NODE (a netns) with an uplink veth (up0,
# 10.0.192.11/24), a pair into POD with its route, the fast path,
# masquerade by up0, an announcement and pod announcements on it (no
# GARPs, so that their counters stay put): one of each kind of state.
node_with_everything() {
	local node=$1 pod=$2
	ip -n "$node" link add up0 type veth peer name up1 &&
	ip -n "$node" addr add 10.0.192.11/24 dev up0 &&
	ip -n "$node" link set up0 up && ip -n "$node" link set up1 up &&
	ctl -n "$node" link add lxc1 peer eth0 netns "$pod" &&
	ip -n "$node" link set lxc1 up && ip -n "$pod" link set eth0 up &&
	ctl -n "$node" addroute 10.0.208.10/32 dev lxc1 &&
	ctl -n "$node" fastpath on &&
	ctl -n "$node" masq set dev up0 native-cidr 10.0.208.0/20 &&
	ctl -n "$node" announce add 10.0.193.10 dev up0 garp-count 0 &&
	ctl -n "$node" announce pods dev up0 on garp-count 0
}

# no_output CMD...: CMD succeeds and prints nothing (what it printed is
# passed on, for check's report).
no_output() {
	local out
	out=$("$@" 2>&1) || { printf '%s\n' "$out"; return 1; }
	printf '%s\n' "$out"
	[ -z "$out" ]
}
