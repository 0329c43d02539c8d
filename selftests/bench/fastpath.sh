#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Benchmark: pod -> remote-pod forwarding in the tiles-test topology (two
# forwarding nodes on the way), fast path off vs on, without and with 1000
# non-matching iptables FORWARD rules loaded on each node. Kernel
# instructions per packet for the whole path and for the nodes' own
# forwarding part; the sending rate of the same runs as a second figure.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../lib/topology.sh"

load_module || exit 1
on_exit unload_module
tiles_up || { echo "fastpath bench: cannot build the topology"; exit 1; }

# The nodes' forwarding part, from inclusive counts: every ip_rcv (node1
# taking the packet from the pair, node2 from the LAN, and the receiving
# pod) less the pod's local delivery, plus the fast path's forwarding from
# the pair's transmit (it skips node1's ip_rcv), less what remains of the
# receiving pod's ip_rcv (header checks, its input route): that is the
# pod's, not a node's. The plugin counts by function, not by namespace,
# so that remainder is measured on its own, in windows where node2 sends
# to its pod and the pod's is the only ip_rcv (the same for every row:
# the pod's receive does not depend on how the packet was forwarded).
EGRESS="clnet_fp_pod_egress"
insn_roots ip_rcv ip_local_deliver $EGRESS || exit 1

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

# Warm the neighbours so that no run pays for ARP, and make node1's entry
# for node2 permanent: UDP confirms none, so a learnt entry goes stale
# after some 30 s, and a run made while it is stale pays about 100
# instructions a packet more on the slow path (neigh_resolve_output).
ip netns exec tt-n1p1 ping -c 2 -W 5 $TT_N2P1 >/dev/null
ip -n tt-node1 neigh replace $TT_NODE2 dev enp3s0 nud permanent \
	lladdr "$(ip -n tt-node2 -br link show dev enp3s0 | awk '{ print $3 }')" || exit 1

# A packet through 1000 rules costs some 20 times more: fewer of them.
RULES_PKTS=$(((PKTS + 4) / 5))
declare -A win pps
windows=() podwin=()
declare -A per
setups=(off:without on:without off:with on:with)
for kind in udp gen; do
	# Run 0 warms each setup up and is not counted.
	for i in $(seq 0 "$RUNS"); do
		for s in "${setups[@]}"; do
			fp_set "${s%:*}" && rules_set "${s#*:}" || exit 1
			n=$PKTS
			[ "${s#*:}" = with ] && n=$RULES_PKTS
			if [ $kind = udp ]; then
				read -r a b p < <(PKTS=$n counted_udp tt-n1p1 tt-n2p1 $TT_N2P1)
			else
				read -r a b p < <(PKTS=$n counted_gen tt-n1p1 tt-n2p1 $TT_N2P1 eth0 $TT_N1P1)
			fi
			[ -n "${p:-}" ] || { echo "fastpath bench: $kind $s failed"; exit 1; }
			windows+=("$a:$b/$n")
			[ "$i" = 0 ] && continue
			win[$kind.$s]+=" $a:$b/$n" pps[$kind.$s]+=" $p"
		done
		if [ "$kind" = udp ] && [ "$i" != 0 ]; then
			read -r a b p < <(counted_udp tt-node2 tt-n2p1 $TT_N2P1)
			[ -n "${p:-}" ] || { echo "fastpath bench: node2 -> pod failed"; exit 1; }
			windows+=("$a:$b/$PKTS") podwin+=("$a:$b/$PKTS")
		fi
	done
done
direct=$("$CLNETCTL" -n tt-node1 -j fastpath show |
	python3 -c 'import json, sys; d = json.load(sys.stdin); print(d["direct"], "of", d["forwarded"])')
rules_set without
fp_set off

sum=$(insn_summary "" "${windows[@]}") || exit 1
# recv WINDOW: ip_rcv less the local delivery in WINDOW
recv() {
	echo $(($(key "$1" root:ip_rcv <<<"$sum") - $(key "$1" root:ip_local_deliver <<<"$sum")))
}
podrx=()
for w in "${podwin[@]}"; do podrx+=("$(recv "$w")"); done
pod_rx=$(med "${podrx[@]}")
# node WINDOW: the nodes' forwarding part of WINDOW
node() {
	echo $(($(recv "$1") + $(key "$1" root:$EGRESS <<<"$sum") - pod_rx))
}
# figure KIND.SETUP total|node|pps [spread]: the median of the runs, or
# their spread
figure() {
	local w
	local -a v=()
	if [ "$2" = pps ]; then
		med ${pps[$1]}
		return
	fi
	for w in ${win[$1]}; do
		if [ "$2" = node ]; then
			v+=("$(node "$w")")
		else
			v+=("$(key "$w" total <<<"$sum")")
		fi
	done
	if [ "${3:-}" = spread ]; then
		spread "${v[@]}"
	else
		med "${v[@]}"
	fi
}

for kind in udp gen; do
	echo
	if [ $kind = udp ]; then
		echo "# fast path: pod -> remote pod, $PKTS 18-byte UDP datagrams a run ($RULES_PKTS with the"
		echo "# rules), socket to socket,"
	else
		echo "# fast path: the same, sent by the packet generator on the pod's eth0,"
	fi
	echo "# median of $RUNS runs: kernel instructions per packet (the nodes' part: both"
	echo "# nodes' forwarding), pps the sending rate of the same runs"
	printf '%-30s %10s %10s %8s %8s\n' "" "off" "on" "on/off" "spread"
	for m in total node pps; do
		case $m in
		total) what="whole path" ;;
		node) what="nodes' part" ;;
		pps) what="pps" ;;
		esac
		for r in without with; do
			off=$(figure $kind.off:$r $m) on=$(figure $kind.on:$r $m)
			sp=
			[ $m = pps ] || sp="$(figure $kind.off:$r $m spread)/$(figure $kind.on:$r $m spread)"
			[ $r = without ] && label="$what, no rules" || label="$what, 1000 rules"
			printf '%-30s %10s %10s %8s %8s\n' "$label" "$off" "$on" "$(ratio "$on" "$off")" "$sp"
			eval "v_${m}_${r}_off=\$off v_${m}_${r}_on=\$on"
		done
	done
	# The A/A rows: with the fast path on, the rules are never consulted,
	# so the counts must agree; the rates show what noise rates carry.
	printf '%-30s %10s %10s\n' "rules/no rules, whole path" \
		"$(ratio "$v_total_with_off" "$v_total_without_off")" \
		"$(ratio "$v_total_with_on" "$v_total_without_on")"
	printf '%-30s %10s %10s\n' "rules/no rules, nodes' part" \
		"$(ratio "$v_node_with_off" "$v_node_without_off")" \
		"$(ratio "$v_node_with_on" "$v_node_without_on")"
	printf '%-30s %10s %10s\n' "rules/no rules, pps" \
		"$(ratio "$v_pps_with_off" "$v_pps_without_off")" \
		"$(ratio "$v_pps_with_on" "$v_pps_without_on")"
done
echo "(node1: forwarded from the pair's transmit: $direct packets)"
echo "(the receiving pod's own IP receive, left out of the nodes' part: $pod_rx a packet,"
echo " median of node2 -> pod windows, spread $(spread "${podrx[@]}"))"

# Where the instructions go: the last counted UDP runs without rules,
# fast path off against on, by module and by function.
echo
echo "# where a packet's kernel instructions go, fast path off (first) vs on (second),"
echo "# UDP socket to socket, no rules; flat counts (a function's own instructions)"
"$INSN_REPORT" diff "${win[udp.off:without]##* }" "${win[udp.on:without]##* }" --top "${CLNET_BENCH_TOP:-40}"
