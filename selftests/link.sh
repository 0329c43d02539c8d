#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The clnet device pair: traffic in L3 and L2 mode, offloads, exact
# counters, policies, every deletion path, 1000 pairs, and bad input.
#
#   link.sh [-t SCENARIO]...    (or TESTS="a b")
. "$(dirname "$0")/lib.sh"

# shellcheck disable=SC2034 # read by lib.sh
ALL_TESTS="
	pair_l3
	pair_l2
	counters
	policies
	mtu_and_show_json
	deletion_paths
	rmmod_with_traffic
	thousand_pairs
	bad_input
"

[ -f "$CLNET_KO" ] || bail "$CLNET_KO not built: run make"
load_module || bail "insmod $CLNET_KO failed"
on_exit unload_module

work=$(mktemp -d)
on_exit rm -rf "$work"

# pair_up MODE: node netns n1 with lxc1, pod netns p1 with eth0, addressed
# and routed the way a CNI plugin would do it.
pair_up() {
	netns_add n1 p1 || return 1
	ctl -n n1 link add lxc1 peer eth0 netns p1 mode "$1" || return 1
	if [ "$1" = l3 ]; then
		ip -n n1 addr add 10.0.208.1/32 dev lxc1 &&
		ip -n p1 addr add 10.0.208.10/32 dev eth0 &&
		ip -n n1 link set lxc1 up && ip -n p1 link set eth0 up &&
		ip -n n1 route add 10.0.208.10/32 dev lxc1 &&
		ip -n p1 route add default dev eth0
	else
		ip -n n1 addr add 10.0.208.1/24 dev lxc1 &&
		ip -n p1 addr add 10.0.208.10/24 dev eth0 &&
		ip -n n1 link set lxc1 up && ip -n p1 link set eth0 up
	fi
}

pair_down() {
	ip netns del p1 2>/dev/null
	ip netns del n1 2>/dev/null
	wait_until 10 netns_absent 'n1|p1'
}

# carrier_up NETNS DEV: the device has its carrier (LOWER_UP).
carrier_up() {
	ip -n "$1" link show dev "$2" | grep -q LOWER_UP
}

# pkts_bytes NETNS DEV DIR: "PACKETS BYTES" the device counted in DIR (rx
# or tx).
pkts_bytes() {
	echo "$(dev_stat "$1" "$2" "$3_packets") $(dev_stat "$1" "$2" "$3_bytes")"
}

# counted_since NETNS DEV DIR BEFORE WANT: since pkts_bytes said BEFORE,
# the device counted WANT ("PACKETS/BYTES") in DIR.
counted_since() {
	local p0 b0 now got
	read -r p0 b0 <<<"$4"
	now=$(pkts_bytes "$1" "$2" "$3")
	got="$((${now% *} - p0))/$((${now#* } - b0))"
	echo "counted $got, wanted $5"
	[ "$got" = "$5" ]
}

# pair_traffic MODE: a pair in MODE carries traffic both ways, TCP as GSO
# super-packets with checksum offload, has the link layer of its mode,
# and its carrier follows both ends.
pair_traffic() {
	local mode=$1 tx0 txb0 tx1 txb1

	pair_up $mode || bail "cannot build the $mode topology"
	check_output "$mode: link kind is clnet (ip -d link)" 0 '^ +clnet ' \
		ip -n n1 -d link show lxc1
	check_output "$mode: the peer is in the pod netns" 0 'eth0@if' ip -n p1 link show eth0
	check "$mode: carrier up with both ends up" carrier_up n1 lxc1
	check "$mode: node pings pod" pings n1 2 10.0.208.10
	check "$mode: pod pings node" pings p1 2 10.0.208.1

	# Each direction's data is counted on its own: lxc1's tx carries the
	# node->pod data, its rx the pod->node data, and the ACKs of each go the
	# other way.  Without GSO no packet is larger than the 1500-byte MTU,
	# so an average above 1600 bytes can only come from super-packets.
	tx0=$(dev_stat n1 lxc1 tx_packets); txb0=$(dev_stat n1 lxc1 tx_bytes)
	check "$mode: 1 MiB TCP node->pod arrives intact" \
		tcp_transfer n1 p1 10.0.208.10 1048576
	tx1=$(dev_stat n1 lxc1 tx_packets); txb1=$(dev_stat n1 lxc1 tx_bytes)
	check "$mode: node->pod TCP crosses as GSO super-packets ($((tx1 - tx0)) pkts, $((txb1 - txb0)) bytes)" \
		test $(( (txb1 - txb0) / (tx1 - tx0) )) -gt 1600
	tx0=$(dev_stat n1 lxc1 rx_packets); txb0=$(dev_stat n1 lxc1 rx_bytes)
	check "$mode: 1 MiB TCP pod->node arrives intact" \
		tcp_transfer p1 n1 10.0.208.1 1048576
	tx1=$(dev_stat n1 lxc1 rx_packets); txb1=$(dev_stat n1 lxc1 rx_bytes)
	check "$mode: pod->node TCP crosses as GSO super-packets ($((tx1 - tx0)) pkts, $((txb1 - txb0)) bytes)" \
		test $(( (txb1 - txb0) / (tx1 - tx0) )) -gt 1600
	check_output "$mode: checksum offload stays on" 0 'tx-checksumming: on' \
		$NSRUN n1 ethtool -k lxc1

	if [ $mode = l3 ]; then
		check_output "l3: no link-layer header" 0 'link/none' ip -n n1 link show lxc1
		check_output "l3: no ARP" 0 '<[A-Z,_]*NOARP' ip -n n1 link show lxc1
		check_fail "l3: MAC address change refused" \
			ip -n n1 link set lxc1 address 02:00:00:00:00:01
	else
		check_output "l2: Ethernet with a random MAC" 0 'link/ether' ip -n p1 link show eth0
		check_output "l2: ARP resolved the node's MAC" 0 \
			"10.0.208.1 dev eth0 lladdr $(ip -n n1 -br link show lxc1 | awk '{print $3}')" \
			ip -n p1 neigh show 10.0.208.1
		check "l2: MAC address change allowed" \
			ip -n n1 link set lxc1 address 02:00:00:00:00:01
	fi

	# Carrier follows both ends.
	ip -n p1 link set eth0 down
	check_fail "$mode: carrier down when the peer is down" carrier_up n1 lxc1
	ip -n p1 link set eth0 up
	check "$mode: carrier back when the peer is up again" carrier_up n1 lxc1
	pair_down
}

pair_l3() { pair_traffic l3; }
pair_l2() { pair_traffic l2; }

# Exact counters: 5 echo requests and replies of 128 IP bytes each.
counters() {
	local n_tx n_rx p_tx p_rx

	pair_up l3 || bail "cannot build the l3 topology"
	n_tx=$(pkts_bytes n1 lxc1 tx); n_rx=$(pkts_bytes n1 lxc1 rx)
	p_tx=$(pkts_bytes p1 eth0 tx); p_rx=$(pkts_bytes p1 eth0 rx)
	$NSRUN n1 ping -q -c 5 -i 0.2 -s 100 -W 5 10.0.208.10 >/dev/null
	check "counters: node tx 5 packets / 640 bytes" counted_since n1 lxc1 tx "$n_tx" 5/640
	check "counters: pod rx 5 packets / 640 bytes" counted_since p1 eth0 rx "$p_rx" 5/640
	check "counters: pod tx 5 packets / 640 bytes" counted_since p1 eth0 tx "$p_tx" 5/640
	check "counters: node rx 5 packets / 640 bytes" counted_since n1 lxc1 rx "$n_rx" 5/640
	pair_down
}

# Policies: blackhole drops what that end sends, and counts it; only the
# primary end changes them; the mode is fixed at creation.
policies() {
	local d0 trace=/sys/kernel/debug/tracing

	pair_up l3 || bail "cannot build the l3 topology"
	check "policy: primary set to blackhole" ctl -n n1 link set lxc1 policy blackhole
	check_output "policy: show reports it" 0 'policy blackhole peer-policy forward' \
		ctl -n n1 link show lxc1
	d0=$(dev_stat n1 lxc1 tx_dropped)
	check "policy: node->pod blocked" no_reply n1 3 10.0.208.10 1
	check "policy: 3 node tx drops counted" test $(($(dev_stat n1 lxc1 tx_dropped) - d0)) = 3
	if [ -d $trace/events/skb/kfree_skb ]; then
		echo >$trace/trace
		echo 1 >$trace/events/skb/kfree_skb/enable
		$NSRUN n1 ping -c 2 -i 0.2 -W 1 10.0.208.10 >/dev/null
		echo 0 >$trace/events/skb/kfree_skb/enable
		check_output "policy: blackhole drops carry a kernel drop reason" 0 \
			'reason: TC_EGRESS' cat $trace/trace
	else
		skip "policy: blackhole drops carry a kernel drop reason" \
			"this kernel has no skb:kfree_skb tracepoint (enable CONFIG_FTRACE and CONFIG_NET_DROP_MONITOR)"
	fi
	check "policy: primary back to forward" ctl -n n1 link set lxc1 policy forward
	check "policy: node->pod flows again" pings n1 1 10.0.208.10
	check "policy: peer set to blackhole (by the primary)" ctl -n n1 link set lxc1 peer-policy blackhole
	d0=$(dev_stat p1 eth0 tx_dropped)
	check "policy: pod->node blocked" no_reply p1 2 10.0.208.1 1
	check "policy: 2 pod tx drops counted" test $(($(dev_stat p1 eth0 tx_dropped) - d0)) = 2
	check_output "policy: the peer cannot change policies (EACCES)" 1 \
		'^Error: only the primary end of a pair may change policies \(attribute PEER_POLICY\)$' \
		ctl -n p1 link set eth0 peer-policy forward
	check_output "policy: refused change changed nothing" 0 'peer-policy blackhole' \
		ctl -n n1 link show lxc1
	ctl -n n1 link set lxc1 peer-policy forward
	check_output "mode cannot change after creation" 1 \
		'^Error: fixed at creation: delete and re-create the pair to change it \(attribute MODE\)$' \
		ctl -n n1 link set lxc1 mode l2
	pair_down
}

# The MTU is the pair's: both ends follow. show -j has the pair's fields.
mtu_and_show_json() {
	pair_up l3 || bail "cannot build the l3 topology"
	check "mtu: set on the pair" ctl -n n1 link set lxc1 mtu 9000
	check_output "mtu: both ends follow" 0 '^9000$' \
		sh -c "ip -n p1 -j link show eth0 | '$JSON_GET' 0.mtu"
	check_output "show -j is JSON with the pair's fields" 0 '^eth0 l3 9000 True$' \
		sh -c "'$CLNETCTL' -n n1 -j link show | '$JSON_GET' 0.peer 0.mode 0.mtu 0.primary"
	pair_down
}

# del_case DESC CMD...: CMD deletes a pair created just before; both ends
# must be gone.
del_case() {
	local desc=$1
	shift
	ctl -n n1 link add lxc1 peer eth0 netns p1 || { check "$desc: create" false; return; }
	"$@" >/dev/null 2>&1
	check "$desc: both ends gone" wait_until 10 dev_absent n1 lxc1 p1 eth0
}

# Deletion paths: each removes both ends.
deletion_paths() {
	netns_add n1 p1
	del_case "clnetctl link del primary" ctl -n n1 link del lxc1
	del_case "clnetctl link del peer" ctl -n p1 link del eth0
	del_case "ip link del primary" ip -n n1 link del lxc1
	del_case "ip link del peer" ip -n p1 link del eth0
	del_case "pod netns deleted" ip netns del p1
	netns_add p1
	del_case "node netns deleted" ip netns del n1
	pair_down
}

# rmmod with pairs present and traffic flowing.
rmmod_with_traffic() {
	local ping_pid

	pair_up l3 || bail "cannot build the l3 topology"
	$NSRUN p1 ping -q -i 0.002 10.0.208.1 >/dev/null 2>&1 &
	ping_pid=$!
	check "rmmod with a pair and traffic present" rmmod clnet
	kill "$ping_pid" 2>/dev/null; wait "$ping_pid" 2>/dev/null
	check "rmmod removed both ends" dev_absent n1 lxc1 p1 eth0
	check "insmod again" insmod "$CLNET_KO"
	pair_down
}

# 1000 pairs in one batch, then deleted, leaving nothing behind.
thousand_pairs() {
	local base_links i

	netns_add n1 p1
	base_links=$(ip -n p1 -o link | wc -l)
	for i in $(seq 1000); do echo "link add c$i peer p$i netns p1"; done >"$work/add"
	for i in $(seq 1000); do echo "link del c$i"; done >"$work/del"
	check "1000 pairs created in one batch" ctl -n n1 -b "$work/add"
	check "clnetctl link show lists 1000" test "$(ctl -n n1 link show | wc -l)" = 1000
	check "1000 peers in the pod netns" test "$(ip -n p1 -o link | wc -l)" = $((base_links + 1000))
	check "1000 pairs deleted in one batch" ctl -n n1 -b "$work/del"
	check "nothing left in either netns" \
		test "$(ctl -n n1 link show | wc -l)/$(ip -n p1 -o link | wc -l)" = "0/$base_links"
	check "module refcount back to 0" test "$(cat /sys/module/clnet/refcnt)" = 0
	pair_down
}

# unprivileged CMD...: CMD as nobody, in netns n1.
unprivileged() {
	$NSRUN n1 setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"
}

# Bad input: errno, a message naming the problem, and nothing changed.
bad_input() {
	netns_add n1 p1
	ctl -n n1 link add lxc1 peer eth0 netns p1
	check_output "duplicate primary name: EEXIST" 1 \
		'^Error: a device with this name already exists \(attribute IFNAME\)$' \
		ctl -n n1 link add lxc1 peer eth9 netns p1
	check "failed create left no peer behind" dev_absent p1 eth9
	check_output "duplicate peer name: EEXIST" 1 \
		'^Error: a device with this name already exists \(attribute PEER_IFNAME\)$' \
		ctl -n n1 link add lxc9 peer eth0 netns p1
	check "failed create left no primary behind" dev_absent n1 lxc9
	check_output "same name for both ends in one netns" 1 \
		'^Error: both ends would have the same name \(attribute PEER_IFNAME\)$' \
		ctl -n n1 link add same peer same
	check_output "kernel rejects a name with %" 1 '^errno EINVAL: invalid interface name$' \
		$NSRUN n1 "$GENL_RAW" LINK_NEW IFNAME:str:a%d PEER_IFNAME:str:b
	check_output "kernel rejects a name of 16 characters" 1 '^errno EINVAL: ' \
		$NSRUN n1 "$GENL_RAW" LINK_NEW IFNAME:str:0123456789abcdef PEER_IFNAME:str:b
	check_output "missing peer name: EINVAL naming the attribute" 1 \
		'^errno EINVAL: missing attribute PEER_IFNAME$' \
		$NSRUN n1 "$GENL_RAW" LINK_NEW IFNAME:str:x1
	check_output "kernel rejects MTU 67" 1 '^errno ERANGE: ' \
		$NSRUN n1 "$GENL_RAW" LINK_NEW IFNAME:str:x1 PEER_IFNAME:str:y1 MTU:u32:67
	check_output "kernel rejects MTU 65536" 1 '^errno ERANGE: ' \
		$NSRUN n1 "$GENL_RAW" LINK_NEW IFNAME:str:x1 PEER_IFNAME:str:y1 MTU:u32:65536
	check_output "kernel rejects mode 2" 1 '^errno ERANGE: ' \
		$NSRUN n1 "$GENL_RAW" LINK_NEW IFNAME:str:x1 PEER_IFNAME:str:y1 MODE:u32:2
	check_output "kernel rejects policy 7" 1 '^errno ERANGE: ' \
		$NSRUN n1 "$GENL_RAW" LINK_SET IFNAME:str:lxc1 POLICY:u32:7
	check_output "kernel rejects an attribute the command does not take" 1 '^errno EINVAL: ' \
		$NSRUN n1 "$GENL_RAW" LINK_NEW IFNAME:str:x1 PEER_IFNAME:str:y1 IFINDEX:u32:1
	check_output "kernel rejects both netns fd and pid" 1 \
		'^errno EINVAL: PEER_NETNS_FD and PEER_NETNS_PID are exclusive$' \
		$NSRUN n1 "$GENL_RAW" LINK_NEW IFNAME:str:x1 PEER_IFNAME:str:y1 \
		PEER_NETNS_FD:u32:0 PEER_NETNS_PID:u32:1
	check "rejected requests created nothing" dev_absent n1 x1 n1 y1
	check_output "unknown netns pid" 1 \
		'^Error: peer network namespace not found \(attribute PEER_NETNS_PID\)$' \
		ctl -n n1 link add x2 peer y2 netns 999999
	check_output "unknown netns name" 1 'cannot open network namespace "nope"' \
		ctl -n n1 link add x2 peer y2 netns nope
	check_output "not a clnet device" 1 '^Error: not a clnet device \(attribute IFNAME\)$' \
		ctl -n n1 link del lo
	check_output "no such device" 1 '^Error: no such device \(attribute IFNAME\)$' \
		ctl -n n1 link set nope mtu 1400
	check_output "CLI: invalid name is a usage error" 2 'not a valid interface name' \
		ctl -n n1 link add bad/name peer x
	check_output "CLI: MTU out of range is a usage error" 2 'not a number from 68 to 65535' \
		ctl -n n1 link add x3 peer y3 mtu 20
	check_output "CLI: unknown mode is a usage error" 2 'mode "l4" is unknown' \
		ctl -n n1 link add x3 peer y3 mode l4
	check_output "CLI: missing peer is a usage error" 2 'needs "peer PEER"' ctl -n n1 link add x3
	check_output "unprivileged create: EPERM" 1 '^Error: Operation not permitted$' \
		unprivileged "$CLNETCTL" link add x4 peer y4
	check_output "unprivileged show works" 0 '^[0-9]+: lxc1: peer eth0' \
		unprivileged "$CLNETCTL" link show
	# A user namespace's root owns the netns created along with it and may
	# add pairs there, but may not put an end into a netns it has no
	# rights over (the initial user namespace's p1).
	check "a user namespace's root adds a pair in its own netns" \
		unshare --user --map-root-user --net "$CLNETCTL" link add ux0 peer ux1
	check_output "... but not with the peer in p1: EPERM naming the attribute" 1 \
		'^Error: no CAP_NET_ADMIN over the peer network namespace \(attribute PEER_NETNS_FD\)$' \
		unshare --user --map-root-user --net "$CLNETCTL" link add ux0 peer ux1 netns p1
	check_output "ip link add type clnet is refused with a pointer to clnetctl" 2 \
		"clnet pairs are created with 'clnetctl link add'" ip -n n1 link add foo type clnet
	check_output "abbreviations: clnetctl l sh" 0 '^[0-9]*: lxc1:' ctl -n n1 l sh
	check_output "link help" 0 '^Usage: clnetctl link add' ctl link help
	pair_down
}

tests_run "$@"
