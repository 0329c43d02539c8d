# SPDX-License-Identifier: GPL-2.0
# Measurement helpers for `make bench`: each figure is the median of
# several runs, and rows compare setups measured in the same VM run.
# The primary figures are guest kernel instructions per packet, counted by
# the insn-count plugin (Documentation/insn-count.rst) over a fixed number
# of packets; the rates come from the same runs.

. "$(dirname "${BASH_SOURCE[0]}")/../lib/env.sh"

UDPBENCH=$TOP/build/bench/udpbench
INSN_MARK=$TOP/build/bench/insn-mark
INSN_REPORT=$TOP/selftests/bench/insn-report
RUNS=${CLNET_BENCH_RUNS:-3}
SECS=${CLNET_BENCH_SECS:-2}
PKTS=${CLNET_BENCH_PKTS:-5000}

# Sender and receiver each on a vCPU of their own: left to the guest's
# scheduler they sometimes share one, and the rate halves.
if [ "$(nproc)" -ge 2 ]; then
	ON_TX="taskset -c 0"
	ON_RX="taskset -c 1"
else
	ON_TX= ON_RX=
fi

median() {
	sort -g | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)]; else print 0 }'
}

# udp_receiver TO_NS OUT: udpbench's receiver in TO_NS, its report into
# OUT; returns once it listens, with its PID in RX_PID.
udp_receiver() {
	ip netns exec "$1" $ON_RX "$UDPBENCH" recv 5201 >"$2" &
	RX_PID=$!
	wait_until 10 sh -c "ip netns exec '$1' ss -Hlun 'sport = :5201' | grep -q ." ||
		{ kill "$RX_PID"; return 1; }
}

# udp_rate TO_NS FROM_NS SENDER...: datagrams per second the receiver in
# TO_NS counts while SENDER runs in FROM_NS.
udp_rate() {
	local to=$1 from=$2 out
	shift 2
	out=$(mktemp)
	udp_receiver "$to" "$out" || return 1
	ip netns exec "$from" $ON_TX "$@" || { kill "$RX_PID"; return 1; }
	wait "$RX_PID"
	awk '{ print $3 }' "$out"
	rm -f "$out"
}

# udp_pps FROM_NS TO_NS ADDR: 18-byte datagrams per second, socket to
# socket.
udp_pps() {
	udp_rate "$2" "$1" "$UDPBENCH" send "$3" 5201 "$SECS"
}

# gen_pps FROM_NS TO_NS ADDR DEV SRC [MAC]: the same datagrams from the
# packet generator on DEV (MAC, for an Ethernet DEV, with "-" for ":").
gen_pps() {
	udp_rate "$2" "$1" "$UDPBENCH" gen "$4" "$5" "$3" 5201 "$SECS" ${6:+"${6//-/:}"}
}

# tcp_mbps FROM_NS TO_NS ADDR: one iperf3 stream's received Mbit/s.
tcp_mbps() {
	local from=$1 to=$2 addr=$3 pid
	ip netns exec "$to" $ON_RX iperf3 -s -1 -p 5202 >/dev/null 2>&1 &
	pid=$!
	wait_listen "$to" 5202 || { kill "$pid"; return 1; }
	ip netns exec "$from" $ON_TX iperf3 -c "$addr" -p 5202 -t "$SECS" -J |
		python3 -c 'import json,sys; print(round(json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"] / 1e6, 1))'
	wait "$pid"
}

# interleave FN ARG:ARG...: run FN $RUNS times on each setup, the
# setups taking turns so that drift in the emulated machine's speed
# spreads over all of them; print each setup's median, in order.
interleave() {
	local fn=$1 i s n=0 args
	shift
	local -a results=()
	for i in $(seq "$RUNS"); do
		n=0
		for s in "$@"; do
			IFS=: read -r -a args <<<"$s"
			results[n]="${results[n]:-} $($fn "${args[@]}")"
			n=$((n + 1))
		done
	done
	for ((i = 0; i < n; i++)); do
		echo "${results[i]}" | tr ' ' '\n' | grep . | median
	done
}

# fp_set on|off: the fast path on both nodes of the tiles-test topology.
fp_set() {
	"$CLNETCTL" -n tt-node1 fastpath "$1" && "$CLNETCTL" -n tt-node2 fastpath "$1"
}

# fwd_rules NODE: 1000 FORWARD rules in NODE that match nothing of ours,
# the rule set of a node with a busy firewall.
fwd_rules() {
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

ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2fx", a / b; else print "n/a" }'
}

# pair_setups: pair.sh's two pods, each with a node: bn-pod behind a
# clnet pair (lxcb), bv-pod behind a veth pair (vethb), addressed and
# routed alike (a /32 each side, the pod's default route on the device).
# Sets VETH_MAC, the node end's MAC, for the packet generator.
pair_setups() {
	local p dev
	netns_add bn-node bn-pod bv-node bv-pod || return 1
	"$CLNETCTL" -n bn-node link add lxcb peer eth0 netns bn-pod &&
	ip -n bv-node link add vethb type veth peer name eth0 netns bv-pod || return 1
	for p in bn bv; do
		dev=lxcb
		[ $p = bv ] && dev=vethb
		ip -n $p-node addr add 10.0.208.1/32 dev $dev &&
		ip -n $p-node link set $dev up &&
		ip -n $p-node route add 10.0.208.10/32 dev $dev &&
		ip -n $p-pod addr add 10.0.208.10/32 dev eth0 &&
		ip -n $p-pod link set eth0 up &&
		ip -n $p-pod route add default dev eth0 || return 1
	done
	VETH_MAC=$(ip -n bv-node -br link show dev vethb | awk '{ print $3 }')
	# The veth pod's neighbour permanent: UDP confirms none, so a learned
	# entry goes stale after some 30 s, and the runs made while it is
	# stale paid some 90 instructions a packet more for the unresolved
	# output path (a spread of 1 % between the runs).
	ip -n bv-pod neigh replace 10.0.208.1 dev eth0 nud permanent lladdr "$VETH_MAC"
}

# insn_roots NAME...: count these kernel functions inclusively ("NAME and
# below") from the next window on, with the timer interrupt left out of
# every count (its share of a window follows the window's duration in real
# time, not the work). Names not in kallsyms are left out.
insn_roots() {
	[ -n "${CLNET_INSN_CTL:-}" ] || { echo "bench: not in an insn-count guest" >&2; return 1; }
	# The tick's own work and the softirqs it raises, which may run
	# later, at a local_bh_enable() in the measured path.
	awk -v names=" $* " -v tick=" sysvec_apic_timer_interrupt run_timer_softirq rcu_core_si run_rebalance_domains " '
		index(tick, " " $3 " ") { print $3, $1, "exclude"; next }
		index(names, " " $3 " ") { print $3, $1 }
	' /proc/kallsyms >"$CLNET_INSN_CTL.tmp" &&
	mv "$CLNET_INSN_CTL.tmp" "$CLNET_INSN_CTL" &&
	"$INSN_MARK" 0
}

# counted TO_NS FROM_NS SENDER...: one window of $PKTS datagrams, SENDER
# (udpbench send/gen, given "-n $PKTS" here) in FROM_NS, the sink in
# TO_NS (SINK_OPTS: its options). Prints "A B PPS": the window's marks and
# the sending rate.
# Both run real-time, the sink above the sender, with no throttling
# (a throw-away guest): no other task runs inside the window, and the end
# datagram's wake-up ends it at once, whatever the time. Softirq work that
# the kernel defers to ksoftirqd (it does once a tick passes during it)
# must still run at once: ksoftirqd goes above both.
counted() {
	local to=$1 from=$2 out sent a pid got n secs pps p
	shift 2
	out=$(mktemp)
	a=$("$INSN_REPORT" marks) || return 1
	sysctl -qw kernel.sched_rt_runtime_us=-1 || return 1
	for p in $(pgrep -x 'ksoftirqd/[0-9]*'); do chrt -f -p 70 "$p" || return 1; done
	ip netns exec "$to" chrt -f 60 "$UDPBENCH" sink 5201 ${SINK_OPTS:-} >"$out" &
	pid=$!
	wait_until 10 sh -c "ip netns exec '$to' ss -Hlun 'sport = :5202' | grep -q ." ||
		{ kill "$pid"; return 1; }
	sent=$(ip netns exec "$from" chrt -f 50 "$@") || { kill "$pid"; return 1; }
	wait "$pid"
	got=$(cat "$out")
	rm -f "$out"
	read -r n secs pps <<<"$sent"
	[ "$got" = "$n" ] || echo "bench: $got of $n datagrams arrived" >&2
	echo "$((a + 1)) $((a + 2)) $pps"
}

# counted_udp FROM_NS TO_NS ADDR: socket to socket.
counted_udp() {
	counted "$2" "$1" "$UDPBENCH" send "$3" 5201 -n "$PKTS"
}

# counted_udp_est FROM_NS TO_NS ADDR: the same, after one datagram the sink
# answers, so that conntrack on the way sees the flow established.
counted_udp_est() {
	SINK_OPTS=-e counted "$2" "$1" "$UDPBENCH" send "$3" 5201 -n "$PKTS" -e
}

# counted_gen FROM_NS TO_NS ADDR DEV SRC [MAC]: from the packet generator
# on DEV (MAC, for an Ethernet DEV, with "-" for ":").
counted_gen() {
	counted "$2" "$1" "$UDPBENCH" gen "$4" "$5" "$3" 5201 -n "$PKTS" ${6:+"${6//-/:}"}
}

# insn_summary FUNCS A:B...: every window's per-packet figures as
# "A:B KEY VALUE" lines (insn-report summary; FUNCS: space-separated
# functions to count flat). One call for all windows: reading the log and
# kallsyms is the slow part in an emulated guest.
insn_summary() {
	local f
	local -a funcs=()
	for f in $1; do funcs+=(--func "$f"); done
	shift
	"$INSN_REPORT" summary "$@" --per "$PKTS" "${funcs[@]}"
}

# key WINDOW KEY: KEY's value for WINDOW in insn_summary's output on
# stdin (0 if absent).
key() {
	awk -v w="$1" -v k="$2" '$1 == w && $2 == k { v = $3 } END { print v + 0 }'
}

# med V...: the median.
med() {
	printf '%s\n' "$@" | median
}

# spread V...: (max - min) / median in %, as "0.12%".
spread() {
	printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 }
		END { m = v[int((NR + 1) / 2)]; if (m > 0) printf "%.2f%%", 100 * (v[NR] - v[1]) / m; else print "n/a" }'
}

# pct A B: A as a share of B, "12.3%".
pct() {
	awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1f%%", 100 * a / b; else print "n/a" }'
}
