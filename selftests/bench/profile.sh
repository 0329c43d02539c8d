#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Where a benchmark's time goes, sampled with perf on the sender's vCPU
# (which also runs, in softirq, every hop up to the receiving socket).
# Prints the share of that vCPU's samples spent in (and under) a few
# functions that mark each stage. Not part of `make bench` (whose
# instruction counts come with a deterministic profile, see
# Documentation/insn-count.rst): run it in a two-vCPU guest with
#   [CLNET_PROFILE=fastpath|fastpath-gen|pair-gen] selftests/vm/run -- selftests/bench/profile.sh
# and compare shares within one run only.
#   fastpath      the pod -> remote-pod stream of fastpath.sh, fast path
#                 off, then on (the default)
#   fastpath-gen  the same, sent by the packet generator (udpbench gen)
#   pair-gen      pod -> node with the generator, through a clnet pair,
#                 then through a veth pair (pair.sh's setups)
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../lib/topology.sh"

what=${CLNET_PROFILE:-fastpath}
case $what in fastpath|fastpath-gen|pair-gen) ;;
*) echo "profile: unknown profile '$what'"; exit 2 ;;
esac
command -v perf >/dev/null ||
	{ echo "profile: perf not found (apt-get install linux-perf)"; exit 1; }
[ -n "$ON_TX" ] || { echo "profile: needs 2 vCPUs (CLNET_VM_SMP)"; exit 1; }
load_module || exit 1
on_exit unload_module

stages='udp_sendmsg|packet_sendmsg|__dev_queue_xmit|__local_bh_enable_ip|process_backlog'
stages+='|clnet_link_xmit|clnet_fp_pod_egress|clnet_fp_hook|clnet_fp_forward'
stages+='|clnet_link_xmit_direct|ip_rcv|ip_route_input_noref|ip_forward'
stages+='|ip_local_deliver_finish|br_handle_frame|veth_xmit|nf_hook_slow|__netif_rx'

# sample NAME TO_NS FROM_NS SENDER...: profile SENDER's stream to the
# receiver in TO_NS and print the stages' shares.
sample() {
	local name=$1 to=$2 from=$3 rx tx
	shift 3
	udp_receiver "$to" /dev/null || return 1
	rx=$RX_PID
	# perf takes seconds to start in an emulated guest: the sender runs
	# well past the sampling window, then both are stopped.
	ip netns exec "$from" $ON_TX "$@" &
	tx=$!
	perf record -q -g -e cpu-clock -C 0 -o "/tmp/perf.$name" -- sleep 3 2>/dev/null
	kill $tx $rx
	wait $tx $rx 2>/dev/null
	echo
	echo "# $name: % of vCPU 0's samples in and under each function"
	perf report -i "/tmp/perf.$name" --children -g none --sort sym 2>/dev/null |
		grep -E " ($stages)\$" | awk '{ printf "%8s  %s\n", $1, $4 }'
}

if [ "$what" = pair-gen ]; then
	pair_setups || { echo "profile: cannot set up the pairs"; exit 1; }
	sample "clnet pair" bn-node bn-pod "$UDPBENCH" gen eth0 10.0.208.10 10.0.208.1 5201 30
	sample "veth pair" bv-node bv-pod "$UDPBENCH" gen eth0 10.0.208.10 10.0.208.1 5201 30 "$VETH_MAC"
	exit 0
fi

tiles_up || { echo "profile: cannot build the topology"; exit 1; }
ip netns exec tt-n1p1 ping -c 2 -W 5 $TT_N2P1 >/dev/null
for mode in off on; do
	fp_set $mode || exit 1
	if [ "$what" = fastpath ]; then
		sample "fast path $mode" tt-n2p1 tt-n1p1 "$UDPBENCH" send $TT_N2P1 5201 30
	else
		sample "fast path $mode, generator" tt-n2p1 tt-n1p1 \
			"$UDPBENCH" gen eth0 $TT_N1P1 $TT_N2P1 5201 30
	fi || exit 1
done
fp_set off
