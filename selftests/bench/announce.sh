#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Benchmark: answering ARP for a service address. Raconteur asks node1 for
# an address on the LAN of the tiles-test topology, one request at a time
# (selftests/lib/arp.py rate): clnet's announcement with 10 entries and
# with 10 000, the kernel's proxy ARP for the same address (ip neigh add
# proxy, with the default proxy_delay and with 0), and the kernel
# answering for node1's own address as the reference. Kernel instructions
# per request in arp_rcv and below (node1 answering or not, node2 seeing
# the broadcast, raconteur taking the reply: the same in every row but
# for node1's decision and reply), with replies/s and the median latency
# from the same runs; then the failover time, node2's add to raconteur's
# first GARP from node2, beside the modelled cluster's lease arithmetic.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../lib/topology.sh"

ARP_PY=$TOP/selftests/lib/arp.py
REQS=${CLNET_BENCH_ARPS:-300}
# The default proxy_delay makes a reply wait up to 0.8 s: that row is
# timed (rates only), not counted.
DELAY_SECS=${CLNET_BENCH_DELAY_SECS:-6}
FAILOVERS=5
SVC=10.0.193.10
FAIL_SVC=10.0.193.20

load_module || exit 1
on_exit unload_module
work=$(mktemp -d)
on_exit rm -rf "$work"
insn_roots arp_rcv clnet_ann_arp_in || exit 1

tiles_up || { echo "announce bench: cannot build the topology"; exit 1; }
ip -n tt-rac route add 10.0.193.0/24 dev eth0 &&
# Proxy ARP answers only for an address node1 routes elsewhere than the
# asking device: to a pod, as a LoadBalancer address would be.
ip -n tt-node1 route add $SVC/32 dev lxc1 ||
	{ echo "announce bench: cannot route $SVC"; exit 1; }
N2_MAC=$(ip -n tt-node2 -br link show dev enp3s0 | awk '{ print $3 }')
# 9 990 more entries, on the same device, for row b.
for ((i = 0; i < 9990; i++)); do
	echo "announce add 10.0.$((128 + i / 256)).$((i % 256)) dev enp3s0 garp-count 0"
done >"$work/many-add"
sed 's/^announce add \([0-9.]*\) .*/announce del \1 dev enp3s0/' "$work/many-add" >"$work/many-del"
for ((i = 0; i < 9; i++)); do
	echo "announce add 10.0.193.$((100 + i)) dev enp3s0 garp-count 0"
done >"$work/nine-add"

# use SETUP: node1 answering for $SVC as SETUP says, from any other.
# clnet: an announcement (among the others on enp3s0: 10 or 10 000);
# proxy0, proxy: ip neigh add proxy, proxy_delay 0 or the default;
# local: nothing for $SVC (row e asks for node1's own address).
use() {
	local n=tt-node1
	"$CLNETCTL" -n $n announce del $SVC dev enp3s0 2>/dev/null
	ip -n $n neigh del proxy $SVC dev enp3s0 2>/dev/null
	in_ns $n sysctl -qw net.ipv4.neigh.enp3s0.proxy_delay="$PROXY_DELAY_DEFAULT"
	case $1 in
	clnet)
		"$CLNETCTL" -n $n announce add $SVC dev enp3s0 garp-count 0 ;;
	proxy0)
		ip -n $n neigh add proxy $SVC dev enp3s0 &&
		in_ns $n sysctl -qw net.ipv4.neigh.enp3s0.proxy_delay=0 ;;
	proxy)
		ip -n $n neigh add proxy $SVC dev enp3s0 ;;
	esac
}
PROXY_DELAY_DEFAULT=$(in_ns tt-node1 sysctl -n net.ipv4.neigh.enp3s0.proxy_delay)
"$CLNETCTL" -n tt-node1 -b "$work/nine-add" || { echo "announce bench: cannot add 9 entries"; exit 1; }

# counted_rate ADDR: a window of $REQS requests; prints "A:B/N RATE MEDIAN_US".
counted_rate() {
	local a out
	a=$("$INSN_REPORT" marks) || return 1
	out=$("$INSN_MARK" -- "$NSRUN" tt-rac python3 -I -S "$ARP_PY" rate eth0 "$1" --count "$REQS") ||
		return 1
	set -- $out
	[ "$4" = "$REQS" ] || echo "announce bench: $4 of $REQS requests answered" >&2
	echo "$((a + 1)):$((a + 2))/$REQS $6 $8"
}

# timed_rate ADDR: $DELAY_SECS s of requests; prints "RATE MEDIAN_US".
timed_rate() {
	local out
	out=$("$NSRUN" tt-rac python3 -I -S "$ARP_PY" rate eth0 "$1" --for "$DELAY_SECS") || return 1
	set -- $out
	echo "$6 $8"
}

rows=(clnet proxy0 local clnet)
names=(a c e a2)
declare -A win rate lat
windows=()
# Round 0 warms up and is not counted.
for i in $(seq 0 "$RUNS"); do
	for j in "${!rows[@]}"; do
		s=${rows[j]} name=${names[j]} addr=$SVC
		[ "$s" = local ] && addr=$TT_NODE1
		use "$s" || { echo "announce bench: cannot set up $s"; exit 1; }
		read -r w r l < <(counted_rate $addr)
		[ -n "${l:-}" ] || { echo "announce bench: $name ($s) failed"; exit 1; }
		windows+=("$w")
		[ "$i" = 0 ] && continue
		win[$name]+=" $w" rate[$name]+=" $r" lat[$name]+=" $l"
	done
	[ "$i" = 0 ] && continue
	use proxy || { echo "announce bench: cannot set up proxy"; exit 1; }
	read -r r l < <(timed_rate $SVC)
	rate[d]+=" ${r:-0}" lat[d]+=" ${l:-0}"
done
# Row b after the rounds: adding and removing 10 000 entries in each
# round would cost more than the rest. Its counts are as comparable as
# the others'; its rates drifted apart from the rounds' by as much as the
# A/A row says.
"$CLNETCTL" -n tt-node1 -b "$work/many-add" || { echo "announce bench: cannot add 9 990 entries"; exit 1; }
use clnet || exit 1
for i in $(seq 0 "$RUNS"); do
	read -r w r l < <(counted_rate $SVC)
	[ -n "${l:-}" ] || { echo "announce bench: b failed"; exit 1; }
	windows+=("$w")
	[ "$i" = 0 ] && continue
	win[b]+=" $w" rate[b]+=" $r" lat[b]+=" $l"
done
"$CLNETCTL" -n tt-node1 -b "$work/many-del"
use none
sum=$(insn_summary "" "${windows[@]}") || exit 1

# figure NAME arp|hook|rate|lat|spread
figure() {
	local w
	local -a v=()
	case $2 in
	rate) med ${rate[$1]}; return ;;
	lat) med ${lat[$1]}; return ;;
	esac
	[ -n "${win[$1]:-}" ] || { echo "-"; return; }
	for w in ${win[$1]}; do
		case $2 in
		hook) v+=("$(key "$w" root:clnet_ann_arp_in <<<"$sum")") ;;
		*) v+=("$(key "$w" root:arp_rcv <<<"$sum")") ;;
		esac
	done
	if [ "$2" = spread ]; then
		spread "${v[@]}"
	else
		med "${v[@]}"
	fi
}

declare -A label=(
	[a]="a. clnet, 10 entries"
	[b]="b. clnet, 10 000 entries"
	[c]="c. proxy ARP, delay 0"
	[d]="d. proxy ARP, default delay"
	[e]="e. node1's own address"
	[a2]="a again (A/A)"
)
echo
echo "# ARP: raconteur asks node1 for $SVC over the LAN, one request at a time,"
echo "# $REQS a run (d: ${DELAY_SECS} s, rates only); median of $RUNS runs: kernel instructions"
echo "# per request in arp_rcv and below (every netns), in clnet's ARP hook and"
echo "# below (its lookup, and when it answers, its reply's build and transmit; in"
echo "# c and e it is the lookup that misses: 9 other entries keep the hook on),"
echo "# replies/s and median latency (us) seen by raconteur's arp.py (python:"
echo "# the rates say more about it than about the kernel; compare them only as ratios)"
printf '%-30s %10s %8s %9s %9s %8s\n' "" "arp_rcv" "hook" "replies/s" "lat_us" "spread"
for name in a b c d e a2; do
	printf '%-30s %10s %8s %9s %9s %8s\n' "${label[$name]}" "$(figure $name arp)" \
		"$(figure $name hook)" "$(figure $name rate)" "$(figure $name lat)" \
		"$(figure $name spread)"
done
echo "# ratios X/Y (instructions: below 1.00x X is cheaper; replies/s: above 1.00x X is faster)"
printf '%-30s %10s %8s %9s\n' "" "arp_rcv" "hook" "replies/s"
ratio_row() {	# LABEL X Y
	printf '%-30s %10s %8s %9s\n' "$1" \
		"$(ratio "$(figure "$2" arp)" "$(figure "$3" arp)")" \
		"$(ratio "$(figure "$2" hook)" "$(figure "$3" hook)")" \
		"$(ratio "$(figure "$2" rate)" "$(figure "$3" rate)")"
}
ratio_row "b/a (10 000 vs 10 entries)" b a
ratio_row "a/c (clnet vs proxy, delay 0)" a c
ratio_row "a/e (clnet vs own address)" a e
printf '%-30s %10s %8s %9s\n' "a/d (clnet vs default delay)" "-" "-" \
	"$(ratio "$(figure a rate)" "$(figure d rate)")"
ratio_row "a again/a (A/A)" a2 a

# One failover: node1 holds $FAIL_SVC and lets its lease lapse, raconteur
# has node1's MAC for it; node2 adds it with the default burst. Prints the
# milliseconds from just before node2's add to raconteur receiving node2's
# first GARP, and whether raconteur's entry then has node2's MAC.
failover_once() {
	local t0 t1 cap=$work/failover.cap pid moved=no line
	ip -n tt-rac neigh flush dev eth0 to $FAIL_SVC
	"$CLNETCTL" -n tt-node1 announce add $FAIL_SVC dev enp3s0 lease 1m garp-count 0 &&
	in_ns tt-rac ping -c 1 -W 1 $FAIL_SVC >/dev/null 2>&1
	"$CLNETCTL" -n tt-node1 announce renew $FAIL_SVC dev enp3s0 lease 100ms
	wait_until 10 sh -c "'$CLNETCTL' -n tt-node1 announce show $FAIL_SVC dev enp3s0 | grep -q ' expired '" ||
		return 1
	"$NSRUN" tt-rac python3 -I -S "$ARP_PY" capture eth0 --for 10 --addr $FAIL_SVC \
		--count 1 --realtime >"$cap" &
	pid=$!
	wait_until 30 grep -qx listening "$cap" || { kill $pid; return 1; }
	t0=$(date +%s%N)
	"$CLNETCTL" -n tt-node2 announce add $FAIL_SVC dev enp3s0
	wait $pid
	line=$(grep '^t ' "$cap")
	set -- $line
	[ "${11:-}" = "$N2_MAC" ] || return 1
	t1=${2/./}
	wait_until 5 sh -c "ip -n tt-rac neigh show $FAIL_SVC dev eth0 | grep -q '$N2_MAC'" && moved=yes
	"$CLNETCTL" -n tt-node1 announce del $FAIL_SVC dev enp3s0
	"$CLNETCTL" -n tt-node2 announce del $FAIL_SVC dev enp3s0
	echo "$(((10#$t1 * 1000 - t0) / 1000000)) $moved"
}

times=() moved=0
for i in $(seq "$FAILOVERS"); do
	read -r ms m < <(failover_once)
	[ -n "${ms:-}" ] || { echo "announce bench: failover $i failed"; continue; }
	times+=("$ms")
	[ "$m" = yes ] && moved=$((moved + 1))
done
echo
echo "# failover: node1's lease lapses, node2 adds the address (default burst:"
echo "# 4 GARPs 500 ms apart); from just before node2's clnetctl to raconteur"
echo "# receiving its first GARP, median of ${#times[@]} (raconteur's entry moved in $moved)"
printf '%-44s %10s\n' "" "ms"
printf '%-44s %10s\n' "node2's add to the first GARP at raconteur" "$(med "${times[@]}")"
echo "# beside the modelled cluster's leader election (leaseDuration 10 s,"
echo "# renewDeadline 7 s, retryPeriod 1 s): the new holder adds the address"
echo "# 3 to 17 s after the old one stopped renewing; the GARP's part is the row above"
printf '%-44s %10s\n' "lease arithmetic, best (10 - 7 s)" "3000"
printf '%-44s %10s\n' "lease arithmetic, worst (10 + 7 s)" "17000"
echo "(announce bench: $SECONDS s)"
