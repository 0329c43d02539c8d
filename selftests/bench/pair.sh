#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Benchmark: the clnet pair against a veth pair and against loopback (no
# device crossing at all), in one VM run. Pod -> node direction, as pod
# traffic leaves through the pair. Kernel instructions per packet for the
# whole path (sender to the receiving socket's queue), for the device's
# own code (the clnet or veth module, loopback_xmit) and for its transmit
# function and below; the sending rate of the same runs as a second figure.
. "$(dirname "$0")/lib.sh"

load_module || exit 1
on_exit unload_module
pair_setups || { echo "pair bench: cannot set up the pairs"; exit 1; }
netns_add b-lo
insn_roots clnet_link_xmit veth_xmit loopback_xmit || exit 1

vmac=$(echo "$VETH_MAC" | tr : -)
declare -A setup=(
	[clnet]=bn-pod:bn-node:10.0.208.1:eth0:10.0.208.10
	[veth]=bv-pod:bv-node:10.0.208.1:eth0:10.0.208.10:$vmac
	[lo]=b-lo:b-lo:127.0.0.1
)
declare -A devkey=([clnet]=module:clnet [veth]=module:veth [lo]=func:loopback_xmit)
# The device's transmit and all it calls: what the pair costs, whichever
# side of the module boundary the work is done on (veth hands its
# scrubbing and eth_type_trans() to the core).
declare -A devroot=([clnet]=root:clnet_link_xmit [veth]=root:veth_xmit [lo]=root:loopback_xmit)
declare -A win pps
windows=()

# measure KIND SETUP: one window; appends it to WIN[KIND.SETUP] and
# its rate to PPS[KIND.SETUP].
measure() {
	local a b p
	local -a args
	IFS=: read -r -a args <<<"${setup[$2]}"
	read -r a b p < <(counted_$1 "${args[@]}") && [ -n "$p" ] ||
		{ echo "pair bench: $1 through $2 failed"; exit 1; }
	win[$1.$2]+=" $a:$b" pps[$1.$2]+=" $p"
	windows+=("$a:$b")
}

# The generator sends from the pod's device itself (no UDP/IP output on
# the sender's side), with the node's MAC for veth. It has no loopback
# figure: what makes loopback the limit is the route the sender's packet
# keeps, and a generated one has none. Run 0 warms every setup up (first
# packets resolve neighbours and fill caches) and is not counted.
for kind in udp gen; do
	setups=(clnet veth lo)
	[ $kind = gen ] && setups=(clnet veth)
	for i in $(seq 0 "$RUNS"); do
		for s in "${setups[@]}"; do
			measure $kind $s
			[ "$i" = 0 ] && win[$kind.$s]= pps[$kind.$s]=
		done
	done
done
# The repeat row: the first setup once more, at the end of the run.
measure udp clnet
again=${win[udp.clnet]##* } again_pps=${pps[udp.clnet]##* }
win[udp.clnet]=${win[udp.clnet]% *} pps[udp.clnet]=${pps[udp.clnet]% *}

sum=$(insn_summary loopback_xmit "${windows[@]}") || exit 1
# figure KIND.SETUP KEY: the median of KEY over the setup's windows.
figure() {
	local w
	local -a v=()
	[ -n "${win[$1]:-}" ] || { echo -; return; }
	for w in ${win[$1]}; do v+=("$(key "$w" "$2" <<<"$sum")"); done
	med "${v[@]}"
}
# runs_spread KIND.SETUP: the spread of the whole-path counts.
runs_spread() {
	local w
	local -a v=()
	[ -n "${win[$1]:-}" ] || { echo -; return; }
	for w in ${win[$1]}; do v+=("$(key "$w" total <<<"$sum")"); done
	spread "${v[@]}"
}

row() {	# LABEL CLNET VETH LO
	printf '%-32s %10s %10s %10s %11s %9s\n' "$1" "$2" "$3" "$4" \
		"$(ratio "$2" "$3")" "$(ratio "$2" "$4")"
}

echo
echo "# pair: pod -> node, $PKTS 18-byte UDP datagrams a run, median of $RUNS runs:"
echo "# kernel instructions per packet; pps is the sending rate of the same runs"
printf '%-32s %10s %10s %10s %11s %9s\n' "" "clnet" "veth" "loopback" "clnet/veth" "clnet/lo"
for kind in udp gen; do
	[ $kind = udp ] && what="UDP socket" || what="generator"
	row "$what: whole path" "$(figure $kind.clnet total)" "$(figure $kind.veth total)" \
		"$(figure $kind.lo total)"
	row "$what: the device's own code" "$(figure $kind.clnet "${devkey[clnet]}")" \
		"$(figure $kind.veth "${devkey[veth]}")" "$(figure $kind.lo "${devkey[lo]}")"
	row "$what: xmit and below" "$(figure $kind.clnet "${devroot[clnet]}")" \
		"$(figure $kind.veth "${devroot[veth]}")" "$(figure $kind.lo "${devroot[lo]}")"
	p_c=$(med ${pps[$kind.clnet]}) p_v=$(med ${pps[$kind.veth]}) p_l=-
	[ -n "${pps[$kind.lo]:-}" ] && p_l=$(med ${pps[$kind.lo]})
	row "$what: pps" "$p_c" "$p_v" "$p_l"
	printf '%-32s %10s %10s %10s\n' "$what: spread of the runs" "$(runs_spread $kind.clnet)" \
		"$(runs_spread $kind.veth)" "$(runs_spread $kind.lo)"
done
t=$(key "$again" total <<<"$sum")
first=$(figure udp.clnet total)
printf '%-32s %10s   (%s off the median above; must be within 1 %%)\n' \
	"UDP socket: clnet, again at end" "$t" \
	"$(awk -v a="$t" -v b="$first" 'BEGIN { printf "%+.2f%%", 100 * (a - b) / b }')"
# The A/A row for the rates: the same setup a moment apart, so whatever
# its ratio is away from 1.00x is the rates' noise in this run.
printf '%-32s %10s   (A/A: %s of the median above)\n' \
	"UDP socket: clnet pps, again" "$again_pps" \
	"$(ratio "$again_pps" "$(med ${pps[udp.clnet]})")"
