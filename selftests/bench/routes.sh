#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Benchmark: installing 100 000 routes with clnetctl -b (pipelined) vs
# ip -batch (one request at a time), the same routes, each into a fresh
# netns.
. "$(dirname "$0")/lib.sh"

N=${CLNET_BENCH_ROUTES:-100000}
work=$(mktemp -d)
on_exit rm -rf "$work"
awk -v n="$N" 'BEGIN { for (i = 0; i < n; i++)
	printf "addroute 10.%d.%d.%d/32 via 10.0.192.21\n", 64 + int(i / 65536), int(i / 256) % 256, i % 256 }' >"$work/clnet"
sed 's/^addroute \(.*\)$/route add \1 proto 193/' "$work/clnet" >"$work/ip"

# routes_per_sec TOOL: seconds to install all routes into a fresh netns.
routes_per_sec() {
	local ns=bench-rt t0 t1
	netns_add $ns
	ip -n $ns link add dummy0 type dummy
	ip -n $ns link set dummy0 up
	ip -n $ns addr add 10.0.192.11/24 dev dummy0
	t0=$(date +%s.%N)
	if [ "$1" = clnet ]; then
		"$CLNETCTL" -n $ns -b "$work/clnet"
	else
		ip -n $ns -batch "$work/ip"
	fi || echo "routes bench: $1 failed" >&2
	t1=$(date +%s.%N)
	[ "$(ip -n $ns route show proto 193 | wc -l)" = "$N" ] ||
		echo "routes bench: $1 installed the wrong number of routes" >&2
	ip netns del $ns
	awk -v n="$N" -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f\n", n / (b - a) }'
}
rps() { routes_per_sec "$1"; }

echo
echo "# control plane: $N routes, routes/s, median of $RUNS interleaved runs"
printf '%-26s %12s %12s %12s\n' "" "clnetctl -b" "ip -batch" "clnet/ip"
read -r c i < <(interleave rps clnet:: ip:: | xargs)
printf '%-26s %12s %12s %12s\n' "install $N routes" "$c" "$i" "$(ratio "$c" "$i")"
