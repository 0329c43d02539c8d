#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The generic netlink fuzzer (selftests/stress/genl_fuzz.py), short: as
# root, without CAP_NET_ADMIN and as the root of a user namespace; then
# the module must still work and unload cleanly. On the debug kernel the
# sanitizers judge what the fuzzer provoked (vm/run fails on any report).
#
#   fuzz.sh [-t SCENARIO]...    (or TESTS="a b")
#
# CLNET_FUZZ_SEED (default 1, so that every run sends the same messages)
# and CLNET_FUZZ_MESSAGES (default 5000 as root; the unprivileged modes
# get a fifth each) set the run; make stress runs it with 100000. On the
# debug kernel the counts are divided by CLNET_FUZZ_DEBUG_DIV (default 2)
# unless CLNET_FUZZ_MESSAGES is given. A failure prints the command that
# replays it.
#
# CLNET_FUZZ_SPARE: attributes the fuzzer sends only with their right type
# and length (genl_fuzz.py --spare), to steer around a known defect until
# it is fixed; the scenario named after the defect replays it. Default:
# none (policy_dump_warn's defect is fixed).
. "$(dirname "$0")/lib.sh"

# shellcheck disable=SC2034 # read by lib.sh
ALL_TESTS="
	root
	unprivileged
	userns
	still_works
	policy_dump_warn
"

[ -f "$CLNET_KO" ] || bail "$CLNET_KO not built: run make"
[ -x "$CLNETCTL" ] || bail "$CLNETCTL not built: run make"

FUZZ=$TOP/selftests/stress/genl_fuzz.py
SEED=${CLNET_FUZZ_SEED:-1}
SPARE=${CLNET_FUZZ_SPARE-}
if [ -n "${CLNET_FUZZ_MESSAGES:-}" ]; then
	MESSAGES=$CLNET_FUZZ_MESSAGES
elif [ "$CLNET_VM_FLAVOUR" = debug ]; then
	MESSAGES=$((5000 / ${CLNET_FUZZ_DEBUG_DIV:-2}))
	echo "# debug kernel: $MESSAGES messages as root (5000 on the stock kernel; CLNET_FUZZ_MESSAGES sets it)"
else
	MESSAGES=5000
fi
UNPRIV_MESSAGES=$((MESSAGES / 5))
echo "# fuzz: seed $SEED, $MESSAGES messages as root, $UNPRIV_MESSAGES in each unprivileged mode${SPARE:+, sparing $SPARE}"

# fd 3: the script's own output, for what a check should show even when
# it passes.
exec 3>&1

NODE=fz-node
POD=fz-pod

# fuzz SCENARIO MESSAGES [PREFIX...] -- [FUZZER-OPTION...]: run the fuzzer
# in $NODE through PREFIX; its summary line is shown, the replay command
# (in and outside this script) on a failure.
fuzz() {
	local scenario=$1 n=$2 prefix=() out rc
	shift 2
	while [ "$1" != -- ]; do prefix+=("$1"); shift; done
	shift
	out=$(mktemp)
	in_ns "$NODE" "${prefix[@]}" python3 "$FUZZ" --seed "$SEED" --messages "$n" \
		${SPARE:+--spare "$SPARE"} "$@" >"$out" 2>&1
	rc=$?
	# The summary into the TAP stream, past check's capture.
	grep '^fuzz: sent ' "$out" | sed 's/^/# /' >&3
	if [ $rc != 0 ]; then
		cat "$out"
		echo "replay: CLNET_FUZZ_SEED=$SEED CLNET_FUZZ_MESSAGES=$MESSAGES${SPARE:+ CLNET_FUZZ_SPARE=$SPARE} selftests/fuzz.sh -t $scenario"
	fi
	rm -f "$out"
	return $rc
}

# The state the unprivileged modes fuzz against, built with clnetctl: a
# pair with its peer in $POD, its route, the fast path, masquerade and
# announcements (without GARPs, so that their counters stay put).
setup_state() {
	node_with_everything "$NODE" "$POD"
}

# fresh NETNS...: the namespaces, new (removed first if there).
fresh() {
	local ns
	for ns in "$@"; do
		ip netns del "$ns" 2>/dev/null
	done
	netns_add "$@"
}

# snapshot: what the module holds in $NODE, counters included.
snapshot() {
	local what
	for what in "link show" "route show" "fastpath show" "masq show" "announce show"; do
		echo "== $what"
		# shellcheck disable=SC2086 # the words of the command
		ctl -n "$NODE" -j $what
	done
}

root() {
	load_module || bail "insmod $CLNET_KO failed"
	fresh "$NODE"
	check "fuzzer as root: no unexpected answer (seed $SEED)" \
		fuzz root "$MESSAGES" -- --mode root
	check "... and it left no pair behind" test -z "$(ctl -n "$NODE" link show)"
	check "... no announcement" test -z "$(ctl -n "$NODE" announce show)"
}

unprivileged() {
	local before
	load_module || bail "insmod $CLNET_KO failed"
	fresh "$NODE" "$POD"
	setup_state || bail "could not set up the state to fuzz against"
	before=$(snapshot)
	check "fuzzer without CAP_NET_ADMIN: every mutating request EPERM (seed $SEED)" \
		fuzz unprivileged "$UNPRIV_MESSAGES" \
		setpriv --reuid=65534 --regid=65534 --clear-groups -- --mode unpriv
	check "... and nothing changed" test "$before" = "$(snapshot)"
}

userns() {
	local before
	load_module || bail "insmod $CLNET_KO failed"
	fresh "$NODE" "$POD"
	setup_state || bail "could not set up the state to fuzz against"
	before=$(snapshot)
	check "fuzzer as a user namespace's root: own netns fuzzed, $NODE refused (seed $SEED)" \
		fuzz userns "$UNPRIV_MESSAGES" unshare --user --map-root-user -- --mode userns
	check "... and nothing changed in $NODE" test "$before" = "$(snapshot)"
}

# After all that, a valid sequence still works, and rmmod is clean.
still_works() {
	load_module || bail "insmod $CLNET_KO failed"
	fresh "$NODE" "$POD"
	check "link add, route, fast path, masq, announce, pods" setup_state
	check "announce with a lease and refresh" \
		ctl -n "$NODE" announce add 10.0.193.11 dev up0 lease 10s refresh 1s garp-interval 10ms
	check_output "link show" 0 '^[0-9]+: lxc1: peer eth0' ctl -n "$NODE" link show
	check_output "route show" 0 '10\.0\.208\.10' ctl -n "$NODE" route show
	check_output "fastpath show" 0 'enabled|on' ctl -n "$NODE" fastpath show
	check_output "masq show" 0 'up0' ctl -n "$NODE" masq show
	check_output "announce show" 0 '10\.0\.193\.11' ctl -n "$NODE" announce show
	check "link del" ctl -n "$NODE" link del lxc1
	ip netns del "$NODE"
	ip netns del "$POD"
	check "no clnet device left: module refcount 0" \
		wait_until 20 test "$(cat /sys/module/clnet/refcnt)" = 0
	check "rmmod clnet" rmmod clnet
	check_fail "the module is gone" module_loaded
}

# Fixed defect: an integer attribute with a validation function
# (NLA_POLICY_VALIDATE_FN: announce's lease-ms, garp-count,
# garp-interval-ms, refresh-ms, then) sent with the wrong length made the
# core put the attribute's policy into the extended ACK, and dumping it
# read the function pointer as a range: WARNING in
# nla_get_range_unsigned (lib/nlattr.c), a panic with panic_on_warn. The
# controller's policy dump of the family, open to anyone, did the same.
# The fuzzer found it with --seed 1 at about message 20.
policy_dump_warn() {
	load_module || bail "insmod $CLNET_KO failed"
	fresh "$NODE"
	ip -n "$NODE" link add up0 type veth peer name up1
	check_output "lease-ms of 1 byte: EINVAL, no kernel warning" 1 '^errno EINVAL: ' \
		in_ns "$NODE" "$GENL_RAW" ANNOUNCE_ADD ADDR:u32:180420618 IFNAME:str:up0 \
		LEASE_MS:u8:1
	check_output "... refresh-ms of 1 byte: the same" 1 '^errno EINVAL: ' \
		in_ns "$NODE" "$GENL_RAW" ANNOUNCE_ADD ADDR:u32:180420618 IFNAME:str:up0 \
		REFRESH_MS:u8:1
	check_output "the controller's dump of the family's policies, as nobody: no kernel warning" \
		0 '^ok [1-9]' setpriv --reuid=65534 --regid=65534 --clear-groups \
		python3 "$TOP/selftests/lib/genl.py" policy
}

tests_run "$@"
