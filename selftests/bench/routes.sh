#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Benchmark: installing routes with clnetctl -b (pipelined) vs ip -batch
# (one request at a time), the same routes, each into a fresh netns.
# Kernel and user-space instructions per route (the tool's whole run,
# start-up included), and routes/s from the same runs.
. "$(dirname "$0")/lib.sh"

N=${CLNET_BENCH_ROUTES:-20000}
work=$(mktemp -d)
on_exit rm -rf "$work"
awk -v n="$N" 'BEGIN { for (i = 0; i < n; i++)
	printf "addroute 10.%d.%d.%d/32 via 10.0.192.21\n", 64 + int(i / 65536), int(i / 256) % 256, i % 256 }' >"$work/clnet"
sed 's/^addroute \(.*\)$/route add \1 proto 193/' "$work/clnet" >"$work/ip"
insn_roots || exit 1

# install TOOL: install all routes into a fresh netns in a marked window;
# prints "A:B/N ROUTES_PER_SECOND".
install() {
	local ns=bench-rt t0 t1 a
	netns_add $ns
	ip -n $ns link add dummy0 type dummy
	ip -n $ns link set dummy0 up
	ip -n $ns addr add 10.0.192.11/24 dev dummy0
	a=$("$INSN_REPORT" marks)
	t0=$(date +%s.%N)
	if [ "$1" = clnet ]; then
		"$INSN_MARK" -- "$CLNETCTL" -n $ns -b "$work/clnet"
	else
		"$INSN_MARK" -- ip -n $ns -batch "$work/ip"
	fi || echo "routes bench: $1 failed" >&2
	t1=$(date +%s.%N)
	[ "$(ip -n $ns route show proto 193 | wc -l)" = "$N" ] ||
		echo "routes bench: $1 installed the wrong number of routes" >&2
	ip netns del $ns
	awk -v a="$t0" -v b="$t1" -v n="$N" -v w="$((a + 1)):$((a + 2))/$N" \
		'BEGIN { printf "%s %.0f\n", w, n / (b - a) }'
}

# "again" is clnetctl -b once more in each round: the rates' A/A row.
declare -A win rate
windows=()
for i in $(seq "$RUNS"); do
	for t in clnet ip again; do
		read -r w r < <(install ${t/again/clnet})
		win[$t]+=" $w" rate[$t]+=" $r"
		windows+=("$w")
	done
done
sum=$(insn_summary "" "${windows[@]}") || exit 1
figure() {	# TOOL KEY
	local w
	local -a v=()
	for w in ${win[$1]}; do v+=("$(key "$w" "$2" <<<"$sum")"); done
	med "${v[@]}"
}

echo
echo "# control plane: $N routes into a fresh netns, median of $RUNS runs:"
echo "# instructions per route (the tool's whole run); routes/s from the same runs"
printf '%-30s %12s %12s %12s\n' "" "clnetctl -b" "ip -batch" "clnet/ip"
for k in total user; do
	c=$(figure clnet $k) i=$(figure ip $k)
	[ $k = total ] && label="kernel insns/route" || label="user insns/route"
	printf '%-30s %12s %12s %12s\n' "$label" "$c" "$i" "$(ratio "$c" "$i")"
done
c=$(med ${rate[clnet]}) i=$(med ${rate[ip]})
printf '%-30s %12s %12s %12s\n' "routes/s" "$c" "$i" "$(ratio "$c" "$i")"
# The A/A rows: the same tool on both sides, so whatever the rate's ratio
# is away from 1.00x is the rates' noise in this run; the count's should
# read 1.00x.
g=$(med ${rate[again]})
printf '%-30s %12s   (A/A: %s of clnetctl -b above)\n' "routes/s, clnetctl -b again" "$g" \
	"$(ratio "$g" "$c")"
g=$(figure again total) c=$(figure clnet total)
printf '%-30s %12s   (A/A: %s of clnetctl -b above)\n' "kernel insns/route, again" "$g" \
	"$(ratio "$g" "$c")"
