#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Benchmark: pod -> remote-pod forwarding in the tiles-test topology (two
# forwarding nodes on the way), fast path off vs on, without and with 1000
# non-matching iptables FORWARD rules loaded on each node.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../lib/topology.sh"

load_module || exit 1
on_exit unload_module
tiles_up || { echo "fastpath bench: cannot build the topology"; exit 1; }

fwd_rules() {	# NODE: 1000 FORWARD rules that match nothing of ours
	local i
	{
		echo "*filter"
		echo ":FORWARD ACCEPT [0:0]"
		for i in $(seq 1000); do
			echo "-A FORWARD -s 192.0.2.$((i % 250)) -d 198.51.100.$((i / 250)) -j DROP"
		done
		echo "COMMIT"
	} | ip netns exec "$1" iptables-restore
}

rules_set() {	# with|without, on both nodes
	local n
	for n in tt-node1 tt-node2; do
		if [ "$1" = with ]; then
			fwd_rules $n || return 1
		else
			ip netns exec $n iptables -F FORWARD || return 1
		fi
	done
}

# udp_pps_fp MODE RULES: the pps with the fast path in MODE and the rules
# loaded or not (interleave passes them where it would pass netns names).
# All four setups take turns, so that the emulated machine's drift over
# the run spreads over all of them.
udp_pps_fp() {
	fp_set "$1" && rules_set "$2" && udp_pps tt-n1p1 tt-n2p1 $TT_N2P1
}

# gen_pps_fp MODE RULES: the same with the packet generator on the pod's
# eth0 instead of a UDP socket.
gen_pps_fp() {
	fp_set "$1" && rules_set "$2" &&
		gen_pps tt-n1p1 tt-n2p1 $TT_N2P1 eth0 $TT_N1P1
}

# Warm the neighbours so that no run pays for ARP.
ip netns exec tt-n1p1 ping -c 2 -W 5 $TT_N2P1 >/dev/null

for fn in udp_pps_fp gen_pps_fp; do
	echo
	if [ $fn = udp_pps_fp ]; then
		echo "# fast path: pod -> remote pod, UDP 18-byte pps, socket to socket,"
	else
		echo "# fast path: the same, sent by the packet generator on the pod's eth0,"
	fi
	echo "# median of $RUNS interleaved runs of ${SECS}s"
	printf '%-26s %12s %12s %12s\n' "" "off" "on" "on/off"
	read -r off on off_r on_r <<<"$(interleave $fn off:without: on:without: \
		off:with: on:with: | xargs)"
	printf '%-26s %12s %12s %12s\n' "no FORWARD rules" "$off" "$on" "$(ratio "$on" "$off")"
	printf '%-26s %12s %12s %12s\n' "1000 FORWARD rules" "$off_r" "$on_r" "$(ratio "$on_r" "$off_r")"
	printf '%-26s %12s %12s\n' "rules/no rules" "$(ratio "$off_r" "$off")" "$(ratio "$on_r" "$on")"
done
direct=$("$CLNETCTL" -n tt-node1 -j fastpath show |
	python3 -c 'import json, sys; d = json.load(sys.stdin); print(d["direct"], "of", d["forwarded"])')
echo "(node1: forwarded from the pair's transmit: $direct packets)"
rules_set without
fp_set off
