#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Benchmark: the clnet pair against a veth pair and against loopback (no
# device crossing at all), in one VM run. Pod -> node direction, as pod
# traffic leaves through the pair.
. "$(dirname "$0")/lib.sh"

load_module || exit 1
on_exit unload_module
pair_setups || { echo "pair bench: cannot set up the pairs"; exit 1; }
netns_add b-lo

echo
echo "# pair: median of $RUNS interleaved runs of ${SECS}s each, pod -> node"
printf '%-26s %12s %12s %12s %12s %12s\n' "" "clnet" "veth" "loopback" "clnet/veth" "clnet/lo"
vmac=$(echo "$VETH_MAC" | tr : -)
for kind in udp gen tcp; do
	case $kind in
	udp) fn=udp_pps; unit="UDP 18-byte pps" ;;
	gen) fn=gen_pps; unit="UDP pps, generator" ;;
	tcp) fn=tcp_mbps; unit="TCP Mbit/s (1 stream)" ;;
	esac
	# The generator sends from the pod's device itself (no UDP/IP
	# output on the sender's side), with the node's MAC for veth. It
	# has no loopback figure: what makes loopback the limit is the
	# route the sender's packet keeps, and a generated one has none.
	lo=b-lo:b-lo:127.0.0.1
	[ $kind = gen ] && lo=
	read -r c v l < <(interleave $fn \
		bn-pod:bn-node:10.0.208.1:eth0:10.0.208.10 \
		bv-pod:bv-node:10.0.208.1:eth0:10.0.208.10:"$vmac" $lo | xargs)
	[ -n "$lo" ] || l=-
	printf '%-26s %12s %12s %12s %12s %12s\n' "$unit" "$c" "$v" "$l" \
		"$(ratio "$c" "$v")" "$(ratio "$c" "$l")"
done
