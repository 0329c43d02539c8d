#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Benchmark: the clnet pair against a veth pair and against loopback (no
# device crossing at all), in one VM run. Pod -> node direction, as pod
# traffic leaves through the pair.
. "$(dirname "$0")/lib.sh"

load_module || exit 1
on_exit unload_module
netns_add bn-node bn-pod bv-node bv-pod b-lo

"$CLNETCTL" -n bn-node link add lxcb peer eth0 netns bn-pod
ip -n bn-node addr add 10.0.208.1/32 dev lxcb
ip -n bn-node link set lxcb up
ip -n bn-node route add 10.0.208.10/32 dev lxcb
ip -n bn-pod addr add 10.0.208.10/32 dev eth0
ip -n bn-pod link set eth0 up
ip -n bn-pod route add default dev eth0

ip -n bv-node link add vethb type veth peer name eth0 netns bv-pod
ip -n bv-node addr add 10.0.208.1/24 dev vethb
ip -n bv-node link set vethb up
ip -n bv-pod addr add 10.0.208.10/24 dev eth0
ip -n bv-pod link set eth0 up

echo
echo "# pair: median of $RUNS interleaved runs of ${SECS}s each, pod -> node"
printf '%-26s %12s %12s %12s %12s %12s\n' "" "clnet" "veth" "loopback" "clnet/veth" "clnet/lo"
for kind in udp tcp; do
	fn=udp_pps; unit="UDP 18-byte pps"
	[ $kind = tcp ] && { fn=tcp_mbps; unit="TCP Mbit/s (1 stream)"; }
	read -r c v l < <(interleave $fn bn-pod:bn-node:10.0.208.1 \
		bv-pod:bv-node:10.0.208.1 b-lo:b-lo:127.0.0.1 | xargs)
	printf '%-26s %12s %12s %12s %12s %12s\n' "$unit" "$c" "$v" "$l" \
		"$(ratio "$c" "$v")" "$(ratio "$c" "$l")"
done
