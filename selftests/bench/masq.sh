#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Benchmark: masquerade. Pod tt-n1p1 -> raconteur in the tiles-test
# topology, raconteur given no route back to the pod CIDRs and node1
# masquerading what leaves by enp3s0: clnet masq with the fast path on and
# off, an nft masquerade rule instead, nft masquerade with a software
# flowtable, and no NAT at all (raconteur routes back: the limit), plus
# clnet masq behind 1000 non-matching FORWARD rules. Kernel instructions
# per packet of an established UDP flow (node1's part and the whole
# path), with the sending rate of the same runs; the same for one TCP
# stream, per KiB, with its throughput; new TCP connections per second
# with instructions per connection.
#
# CLNET_BENCH_MASQ="udp tcp conn" picks the parts (all by default).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../lib/topology.sh"

CONNBENCH=$TOP/build/bench/connbench
CONNS=${CLNET_BENCH_CONNS:-300}
STREAM_BYTES=${CLNET_BENCH_STREAM_BYTES:-16777216}
PARTS=" ${CLNET_BENCH_MASQ:-udp tcp conn} "
# A packet through 1000 rules costs far more: fewer of them (fastpath.sh).
RULES_PKTS=$(((PKTS + 4) / 5))

load_module || exit 1
on_exit unload_module
command -v nft >/dev/null && command -v conntrack >/dev/null ||
	{ echo "masq bench: needs nft and conntrack (apt-get install nftables conntrack)"; exit 1; }
[ -x "$CONNBENCH" ] || { echo "masq bench: $CONNBENCH missing (make)"; exit 1; }
# The flowtable's forwarding function must be in kallsyms for its root.
modprobe nf_flow_table || { echo "masq bench: cannot load nf_flow_table"; exit 1; }
work=$(mktemp -d)
on_exit rm -rf "$work"

# Node1's part, from inclusive counts: every ip_rcv (node1 taking the
# packet from the pair, where conntrack, NAT and clnet's PRE_ROUTING fast
# path all run, up to the LAN veth's transmit; raconteur taking it from
# the LAN) less raconteur's local delivery; plus the flowtable's ingress
# hook on lxc1 (row d: it forwards before ip_rcv) and the fast path's
# egress from the pair's transmit (it skips node1's ip_rcv, only without
# conntrack in node1: row e). Left out alike in every row: the backlog's
# receive before ip_rcv and the LAN bridge. In alike in every row:
# raconteur's ip_rcv before local delivery (header checks, its input
# route), which brings every ratio of node1's figures a little closer to 1.
EGRESS=clnet_fp_pod_egress
FT_HOOK=nf_flow_offload_ip_hook
insn_roots ip_rcv ip_local_deliver $EGRESS $FT_HOOK || exit 1

# What a user would write: iptables' MASQUERADE --random-fully, in nft.
cat >"$work/nft-masq" <<'EOF'
table ip clnetbench {
	chain post {
		type nat hook postrouting priority srcnat;
		oifname "enp3s0" ip saddr 10.0.208.0/20 ip daddr != 10.0.208.0/20 masquerade fully-random
	}
}
EOF
cat >"$work/nft-ft" <<'EOF'
table ip clnetbench {
	flowtable ft {
		hook ingress priority 0
		devices = { enp3s0, lxc1 }
	}
	chain post {
		type nat hook postrouting priority srcnat;
		oifname "enp3s0" ip saddr 10.0.208.0/20 ip daddr != 10.0.208.0/20 masquerade fully-random
	}
	chain fwd_offload {
		type filter hook forward priority filter;
		ip protocol { tcp, udp } flow add @ft
	}
}
EOF

# fresh: the topology rebuilt, so that node1 has no conntrack (clnet masq
# keeps its hooks once set, as an nft table would keep its chains);
# neighbours warmed. Each round of UDP, TCP and connection setups starts
# with one, and with row e, the limit: nothing of NAT in node1 at all.
fresh() {
	tiles_down
	tiles_up || { echo "masq bench: cannot build the topology"; return 1; }
	ip netns exec tt-n1p1 ping -c 2 -W 5 $TT_RAC >/dev/null ||
		{ echo "masq bench: no ping to raconteur"; return 1; }
	# Both LAN neighbours permanent: forwarded UDP confirms none, so a
	# learned entry goes stale after some 30 s and then costs every packet
	# the unresolved output path, in whichever runs it happens to.
	ip -n tt-node1 neigh replace $TT_RAC dev enp3s0 nud permanent lladdr \
		"$(ip -n tt-rac -br link show dev eth0 | awk '{ print $3 }')" &&
	ip -n tt-rac neigh replace $TT_NODE1 dev eth0 nud permanent lladdr \
		"$(ip -n tt-node1 -br link show dev enp3s0 | awk '{ print $3 }')"
}

# use SETUP: node1 (and raconteur's routes) as SETUP needs, from any
# other. SETUP is NAT-FASTPATH[-rules]: NAT one of clnet, nft (a
# masquerade rule), nftft (with the flowtable), none (raconteur routes
# back, nothing translated).
use() {
	local nat=${1%%-*} rest=${1#*-} fp rules=
	fp=${rest%%-*}
	[ "$rest" != "$fp" ] && rules=${rest#*-}
	ip netns exec tt-node1 nft delete table ip clnetbench 2>/dev/null
	ip netns exec tt-node1 iptables -F FORWARD 2>/dev/null
	if [ "$nat" = clnet ]; then
		"$CLNETCTL" -n tt-node1 masq set dev enp3s0 native-cidr $TT_NATIVE_CIDR
	else
		"$CLNETCTL" -n tt-node1 masq off
	fi || return 1
	case $nat in
	nft) ip netns exec tt-node1 nft -f "$work/nft-masq" ;;
	nftft) ip netns exec tt-node1 nft -f "$work/nft-ft" ;;
	esac || return 1
	if [ "$nat" = none ]; then
		ip -n tt-rac route replace 10.0.208.0/24 via $TT_NODE1
	else
		ip -n tt-rac route del 10.0.208.0/24 2>/dev/null || true
	fi || return 1
	[ "$rules" = rules ] && { fwd_rules tt-node1 || return 1; }
	"$CLNETCTL" -n tt-node1 fastpath "$fp"
}

# counted_conn FROM_NS TO_NS ADDR: a window of $CONNS connections; prints
# "A:B/N CPS".
counted_conn() {
	local from=$1 to=$2 addr=$3 pid a n secs cps
	a=$("$INSN_REPORT" marks) || return 1
	sysctl -qw kernel.sched_rt_runtime_us=-1 || return 1
	ip netns exec "$to" chrt -f 60 "$CONNBENCH" serve 5203 &
	pid=$!
	wait_listen "$to" 5203 || { kill "$pid"; return 1; }
	read -r n secs cps < <(ip netns exec "$from" chrt -f 50 "$CONNBENCH" connect "$addr" 5203 -n "$CONNS")
	kill "$pid"
	wait "$pid" 2>/dev/null
	[ "${n:-}" = "$CONNS" ] || return 1
	echo "$((a + 1)):$((a + 2))/$CONNS $cps"
}

# counted_stream FROM_NS TO_NS ADDR: one TCP stream of $STREAM_BYTES
# bytes; prints "A:B/KIB MBIT/S".
counted_stream() {
	local from=$1 to=$2 addr=$3 pid a n secs mbit
	a=$("$INSN_REPORT" marks) || return 1
	ip netns exec "$to" "$CONNBENCH" sink 5204 &
	pid=$!
	wait_listen "$to" 5204 || { kill "$pid"; return 1; }
	read -r n secs mbit < <(ip netns exec "$from" "$CONNBENCH" stream "$addr" 5204 -n "$STREAM_BYTES")
	wait "$pid" || return 1
	[ "${n:-}" = "$STREAM_BYTES" ] || return 1
	echo "$((a + 1)):$((a + 2))/$((STREAM_BYTES / 1024)) $mbit"
}

# The rows. "a2" is row a once more in the same round: the A/A row.
udp_rows=(none-on none-off clnet-on clnet-off nft-off nftft-off clnet-on clnet-on-rules clnet-off-rules)
udp_names=(e-on e-off a b c d a2 f-on f-off)
tcp_rows=(none-on clnet-on clnet-off nft-off nftft-off clnet-on)
tcp_names=(e a b c d a2)
conn_rows=(none-on clnet-on nft-off clnet-on)
conn_names=(e a c a2)
declare -A win pps mbps twin cwin cps
windows=()
offload=0 offload_udp=0
# Round 0 warms everything up and is not counted.
for i in $(seq 0 "$RUNS"); do
	fresh || exit 1
	case $PARTS in *" udp "*) ;; *) udp_rows=() ;; esac
	case $PARTS in *" tcp "*) ;; *) tcp_rows=() ;; esac
	case $PARTS in *" conn "*) ;; *) conn_rows=() ;; esac
	for j in "${!udp_rows[@]}"; do
		s=${udp_rows[j]} name=${udp_names[j]}
		use "$s" || { echo "masq bench: cannot set up $s"; exit 1; }
		n=$PKTS
		[ "${s%-rules}" != "$s" ] && n=$RULES_PKTS
		read -r a b p < <(PKTS=$n counted_udp_est tt-n1p1 tt-rac $TT_RAC)
		[ -n "${p:-}" ] || { echo "masq bench: UDP $name ($s) failed"; exit 1; }
		windows+=("$a:$b/$n")
		if [ "$name" = d ]; then
			c=$(ip netns exec tt-node1 conntrack -L 2>/dev/null | grep -c '\[OFFLOAD\]')
			[ "$c" -gt 0 ] && offload_udp=$((offload_udp + 1))
		fi
		[ "$i" = 0 ] && continue
		win[$name]+=" $a:$b/$n" pps[$name]+=" $p"
	done
	fp_udp=$("$CLNETCTL" -n tt-node1 -j fastpath show)
	fresh || exit 1
	for j in "${!tcp_rows[@]}"; do
		s=${tcp_rows[j]} name=${tcp_names[j]}
		use "$s" || { echo "masq bench: cannot set up $s"; exit 1; }
		if [ "$name" = d ]; then
			# conntrack -L while the stream runs: is it offloaded?
			( sleep 0.5; ip netns exec tt-node1 conntrack -L -p tcp 2>/dev/null |
				grep -c 'dport=5204.*\[OFFLOAD\]' >"$work/offload" ) &
			op=$!
		fi
		read -r w m < <(counted_stream tt-n1p1 tt-rac $TT_RAC)
		if [ "$name" = d ]; then
			wait $op
			[ "$(cat "$work/offload")" -gt 0 ] && offload=$((offload + 1))
		fi
		[ -n "${m:-}" ] || { echo "masq bench: TCP $name ($s) failed"; exit 1; }
		windows+=("$w")
		[ "$i" = 0 ] && continue
		mbps[$name]+=" $m" twin[$name]+=" $w"
	done
	fresh || exit 1
	for j in "${!conn_rows[@]}"; do
		s=${conn_rows[j]} name=${conn_names[j]}
		use "$s" || { echo "masq bench: cannot set up $s"; exit 1; }
		read -r w c < <(counted_conn tt-n1p1 tt-rac $TT_RAC)
		[ -n "${c:-}" ] || { echo "masq bench: connections $name ($s) failed"; exit 1; }
		windows+=("$w")
		[ "$i" = 0 ] && continue
		cwin[$name]+=" $w" cps[$name]+=" $c"
	done
done
masq_show=$("$CLNETCTL" -n tt-node1 masq show)

sum=$(insn_summary "" "${windows[@]}") || exit 1
# node WINDOW: node1's part of WINDOW
node() {
	local r=0 k
	for k in ip_rcv $EGRESS $FT_HOOK; do
		r=$((r + $(key "$1" root:$k <<<"$sum")))
	done
	echo $((r - $(key "$1" root:ip_local_deliver <<<"$sum")))
}
# figure NAME node|total|pps|spread|mbps|tnode|ttotal|conn|cps
figure() {
	local w
	local -a v=()
	case $2 in
	tnode) for w in ${twin[$1]}; do v+=("$(node "$w")"); done
	       med "${v[@]}"; return ;;
	ttotal) for w in ${twin[$1]}; do v+=("$(key "$w" total <<<"$sum")"); done
		med "${v[@]}"; return ;;
	pps) med ${pps[$1]}; return ;;
	mbps) med ${mbps[$1]}; return ;;
	cps) med ${cps[$1]}; return ;;
	conn) for w in ${cwin[$1]}; do v+=("$(key "$w" total <<<"$sum")"); done
	      med "${v[@]}"; return ;;
	esac
	for w in ${win[$1]}; do
		if [ "$2" = node ]; then
			v+=("$(node "$w")")
		else
			v+=("$(key "$w" total <<<"$sum")")
		fi
	done
	if [ "$2" = spread ]; then
		spread "${v[@]}"
	else
		med "${v[@]}"
	fi
}

declare -A label=(
	[a]="a. clnet masq, fast path on"
	[b]="b. clnet masq, fast path off"
	[c]="c. nft masquerade"
	[d]="d. nft masq + flowtable"
	[e-on]="e. no NAT, fast path on"
	[e-off]="e. no NAT, fast path off"
	[e]="e. no NAT, fast path on"
	[f-on]="f. 1000 rules, a (fp on)"
	[f-off]="f. 1000 rules, b (fp off)"
	[a2]="a again (A/A)"
)
report_udp() {
echo
echo "# masquerade: pod -> raconteur (no route back), node1 masquerading by enp3s0;"
echo "# $PKTS 18-byte UDP datagrams a run of an established flow ($RULES_PKTS through the"
echo "# 1000 rules), socket to socket; c and d with clnet's fast path off;"
echo "# median of $RUNS runs: kernel instructions per packet (node1: node1's part),"
echo "# pps the sending rate of the same runs, spread of the whole-path counts"
printf '%-30s %10s %10s %9s %8s\n' "" "node1" "whole" "pps" "spread"
for name in a b c d e-on e-off f-on f-off a2; do
	printf '%-30s %10s %10s %9s %8s\n' "${label[$name]}" "$(figure $name node)" \
		"$(figure $name total)" "$(figure $name pps)" "$(figure $name spread)"
done
echo "# ratios X/Y (instructions: below 1.00x X is cheaper; pps: above 1.00x X is faster)"
printf '%-30s %10s %10s %9s\n' "" "node1" "whole" "pps"
ratio_row() {	# LABEL X Y
	printf '%-30s %10s %10s %9s\n' "$1" \
		"$(ratio "$(figure "$2" node)" "$(figure "$3" node)")" \
		"$(ratio "$(figure "$2" total)" "$(figure "$3" total)")" \
		"$(ratio "$(figure "$2" pps)" "$(figure "$3" pps)")"
}
ratio_row "a/b (fast path, masq)" a b
ratio_row "e on/off (fast path, no NAT)" e-on e-off
ratio_row "b/c (clnet vs nft, fp off)" b c
ratio_row "a/d (vs nft + flowtable)" a d
ratio_row "a/e (masq vs no NAT, fp on)" a e-on
ratio_row "f on/off (1000 rules)" f-on f-off
ratio_row "f(on)/a (rules, fp on)" f-on a
ratio_row "a again/a (A/A)" a2 a
echo "(d: conntrack -L showed [OFFLOAD] flows after $offload_udp of $((RUNS + 1)) UDP runs)"
echo "(node1's fast path, last round's UDP runs: $(echo "$fp_udp" |
	python3 -c 'import json, sys; d = json.load(sys.stdin)
print("%d forwarded, nat_original %d, nat_reply %d, conntrack fallbacks %d" % (d["forwarded"], d["nat_original"], d["nat_reply"], d["fallback"]["conntrack"]))'))"
}

report_tcp() {
echo
echo "# TCP: one stream pod -> raconteur, $((STREAM_BYTES >> 20)) MiB a run (from the first write to the"
echo "# sink's close), median of $RUNS runs: kernel instructions per KiB (node1's part, whole"
echo "# path), Mbit/s of the same runs"
printf '%-30s %10s %10s %9s\n' "" "node1" "whole" "Mbit/s"
for name in a b c d e a2; do
	printf '%-30s %10s %10s %9s\n' "${label[$name]}" "$(figure $name tnode)" \
		"$(figure $name ttotal)" "$(figure $name mbps)"
done
for r in a:b b:c a:d a:e a2:a; do
	x=${r%:*} y=${r#*:}
	printf '%-30s %10s %10s %9s\n' "$x/$y" "$(ratio "$(figure $x tnode)" "$(figure $y tnode)")" \
		"$(ratio "$(figure $x ttotal)" "$(figure $y ttotal)")" \
		"$(ratio "$(figure $x mbps)" "$(figure $y mbps)")"
done
echo "(d: conntrack -L showed the stream [OFFLOAD] in $offload of $((RUNS + 1)) runs)"
}

report_conn() {
echo
echo "# new TCP connections pod -> raconteur, $CONNS a run one after the other (handshake,"
echo "# server's close, client's close), median of $RUNS runs: kernel instructions per"
echo "# connection (whole path, both ends), connections/s of the same runs"
printf '%-30s %12s %10s\n' "" "insns/conn" "conn/s"
for name in a c e a2; do
	printf '%-30s %12s %10s\n' "${label[$name]}" "$(figure $name conn)" "$(figure $name cps)"
done
for r in a:c a:e a2:a; do
	x=${r%:*} y=${r#*:}
	printf '%-30s %12s %10s\n' "$x/$y" "$(ratio "$(figure $x conn)" "$(figure $y conn)")" \
		"$(ratio "$(figure $x cps)" "$(figure $y cps)")"
done
}

case $PARTS in *" udp "*) report_udp ;; esac
case $PARTS in *" tcp "*) report_tcp ;; esac
case $PARTS in *" conn "*) report_conn ;; esac
echo "(node1 at the end: $(echo "$masq_show" | grep -E '^(masq|flows)' | tr '\n' ' '))"

# Where node1's instructions go: the last counted UDP runs of a and d.
case $PARTS in *" udp "*) ;; *) echo "(masq bench: $SECONDS s)"; exit 0 ;; esac
echo
echo "# where a packet's kernel instructions go, clnet masq with the fast path (first)"
echo "# vs nft masquerade + flowtable (second), UDP; flat counts"
"$INSN_REPORT" diff "${win[a]##* }" "${win[d]##* }" --top "${CLNET_BENCH_TOP:-30}"
echo
echo "# the same, clnet masq fast path off (first) vs nft masquerade (second)"
"$INSN_REPORT" diff "${win[b]##* }" "${win[c]##* }" --top "${CLNET_BENCH_TOP:-30}"
echo
echo "# the same, clnet masq (first) vs no NAT (second), both with the fast path: what"
echo "# masquerade adds to a fast-pathed packet"
"$INSN_REPORT" diff "${win[a]##* }" "${win[e-on]##* }" --top "${CLNET_BENCH_TOP:-30}"
echo "(masq bench: $SECONDS s)"
