#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Benchmark: pod -> remote-pod forwarding in the tiles-test topology (two
# forwarding nodes on the way), fast path off vs on, then both again with
# 1000 non-matching iptables FORWARD rules loaded on each node.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../lib/topology.sh"

load_module || exit 1
on_exit unload_module
tiles_up || { echo "fastpath bench: cannot build the topology"; exit 1; }

fp_set() {	# on|off on both nodes
	"$CLNETCTL" -n tt-node1 fastpath "$1" && "$CLNETCTL" -n tt-node2 fastpath "$1"
}

# udp_pps_fp MODE: the pps with the fast path in MODE (interleave passes
# MODE where it would pass a netns).
udp_pps_fp() {
	fp_set "$1" && udp_pps tt-n1p1 tt-n2p1 $TT_N2P1
}

fwd_rules() {
	local i
	{
		echo "*filter"
		for i in $(seq 1000); do
			echo "-A FORWARD -s 192.0.2.$((i % 250)) -d 198.51.100.$((i / 250)) -j DROP"
		done
		echo "COMMIT"
	} | ip netns exec "$1" iptables-restore
}

# Warm the neighbours so that no run pays for ARP.
ip netns exec tt-n1p1 ping -c 2 -W 5 $TT_N2P1 >/dev/null

echo
echo "# fast path: pod -> remote pod, UDP 18-byte pps, median of $RUNS interleaved runs of ${SECS}s"
printf '%-26s %12s %12s %12s\n' "" "off" "on" "on/off"
run_pair() {	# LABEL
	local a
	a=$(interleave udp_pps_fp off:: on:: | xargs)
	read -r off on <<<"$a"
	printf '%-26s %12s %12s %12s\n' "$1" "$off" "$on" "$(ratio "$on" "$off")"
}
run_pair "no FORWARD rules"
read -r base_off base_on <<<"$off $on"
fwd_rules tt-node1 && fwd_rules tt-node2 || { echo "cannot load rules"; exit 1; }
run_pair "1000 FORWARD rules"
printf '%-26s %12s %12s\n' "rules/no rules" "$(ratio "$off" "$base_off")" "$(ratio "$on" "$base_on")"
fp_set off
