#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Where the fast-path benchmark's time goes: the pod -> remote-pod UDP
# stream of fastpath.sh, with the fast path off and then on, sampled with
# perf on the sender's vCPU (which also runs, in softirq, every hop up to
# the receiving pod's socket). Prints the share of that vCPU's samples
# spent in (and under) a few functions that mark each stage. Not part of
# `make bench`: run it with
#   selftests/bench/run profile.sh
# and compare shares within one run only.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../lib/topology.sh"

command -v perf >/dev/null ||
	{ echo "profile: perf not found (apt-get install linux-perf)"; exit 1; }
[ -n "$ON_TX" ] || { echo "profile: needs 2 vCPUs (CLNET_VM_SMP)"; exit 1; }
load_module || exit 1
on_exit unload_module
tiles_up || { echo "profile: cannot build the topology"; exit 1; }
ip netns exec tt-n1p1 ping -c 2 -W 5 $TT_N2P1 >/dev/null

stages='udp_sendmsg|__dev_queue_xmit|__local_bh_enable_ip|process_backlog'
stages+='|clnet_xmit|clnet_fastpath_pod_egress|clnet_fp_hook|clnet_fp_forward'
stages+='|clnet_link_xmit_direct|ip_rcv|ip_route_input_noref|ip_forward'
stages+='|ip_local_deliver_finish|br_handle_frame|veth_xmit|nf_hook_slow'

for mode in off on; do
	fp_set $mode || exit 1
	ip netns exec tt-n2p1 $ON_RX "$UDPBENCH" recv 5201 >/dev/null &
	rx=$!
	wait_until 10 sh -c "ip netns exec tt-n2p1 ss -Hlun 'sport = :5201' | grep -q ." ||
		{ kill $rx; exit 1; }
	# perf takes seconds to start in an emulated guest: the sender runs
	# well past the sampling window, then both are stopped.
	ip netns exec tt-n1p1 $ON_TX "$UDPBENCH" send $TT_N2P1 5201 30 &
	tx=$!
	perf record -q -g -e cpu-clock -C 0 -o /tmp/perf.$mode -- sleep 3 2>/dev/null
	kill $tx $rx
	wait $tx $rx 2>/dev/null
	echo
	echo "# fast path $mode: % of vCPU 0's samples in and under each function"
	perf report -i /tmp/perf.$mode --children -g none --sort sym 2>/dev/null |
		grep -E " ($stages)\$" | awk '{ printf "%8s  %s\n", $1, $4 }'
done
fp_set off
