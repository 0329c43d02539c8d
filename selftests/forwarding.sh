#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Native routing in the tiles-test topology (lib/topology.sh), with the fast
# path off and on: the same expectations hold both ways, but for netfilter
# FORWARD, which the fast path bypasses, as eBPF host routing does. The
# fast path's counters say which way packets went. clnet's route commands
# and the fastpath command's CLI are route-cmds.sh's.
#
# The topology is built once; each scenario runs with the fast path off,
# then on, and leaves the topology as it found it.
#
#   forwarding.sh [-t SCENARIO]...    (or TESTS="a b"; FASTPATH="on")
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib/topology.sh"

# shellcheck disable=SC2034 # read by lib.sh
ALL_TESTS="
	fastpath_show
	icmp_errors
	pod_traffic
	capture_on_pod_device
	capture_on_remote_pod_device
	checksum_offload
	pod_device_hooks
	netfilter_forward
	icmp_redirect
	strict_rp_filter
	route_cache
	policy_rules
	multipath_route
	nfqueue_reinject
	conntrack_new_flows
	conntrack_fragments
	delroute
	br_netfilter_bridged
"
# The settings each scenario runs with, in this order. The debug kernel
# runs each scenario with the fast path on only: that is where clnet's
# code handles the packets (with it off, the kernel's own forwarding
# does, and the pairs' receive path that link.sh runs there); the stock
# kernel checks that both settings give the same results.
if [ "${CLNET_VM_FLAVOUR:-}" = debug ]; then
	FASTPATH=${FASTPATH:-on}
	echo "# debug kernel: fast path on only (both settings run on the stock kernel)"
fi
FASTPATH=${FASTPATH:-off on}

# Deadlines, in seconds, for a helper to start (a capture, a listener) and
# to see all its packets. Passing runs take a fraction of them; the debug
# kernel on a busy machine can take much of the first.
START_DEADLINE=30
DONE_DEADLINE=60

load_module || bail "insmod $CLNET_KO failed"
on_exit unload_module
work=$(mktemp -d)
on_exit rm -rf "$work"

# ip_mib NS FIELD: an Ip: counter of /proc/net/snmp in NS.
ip_mib() {
	in_ns "$1" awk -v k="$2" '/^Ip:/ {
		if (!n) { for (i = 2; i <= NF; i++) col[$i] = i; n = 1 }
		else print $col[k] }' /proc/net/snmp
}

# pod_egress_grows DESC COUNTER ON_DESC: three echo requests from pod
# tt-n1p1 to tt-n2p1 are answered (DESC); with the fast path on, node1's
# COUNTER grows by at least 3 (ON_DESC).
pod_egress_grows() {
	local n0

	n0=$(fp_counter tt-node1 "$2")
	check "[$fp] $1" pings tt-n1p1 3 $TT_N2P1
	if [ $fp = on ]; then
		check "[on] ... $3" fp_grew tt-node1 "$2" "$n0" 3
	fi
}

# capture_start NETNS DEV COUNT FILTER NAME WHERE: tcpdump on DEV until it
# saw COUNT packets (at most $DONE_DEADLINE s), its output in $work/NAME;
# the check that it listens ("on WHERE") is a result of its own. Sets $cap
# to its pid. CAP_OPTS: more tcpdump options.
capture_start() {
	local ns=$1 dev=$2 count=$3 filter=$4 name=$5 where=$6
	# shellcheck disable=SC2086 # options, split on purpose
	in_ns "$ns" timeout $DONE_DEADLINE tcpdump -n -l ${CAP_OPTS:-} -c "$count" -i "$dev" "$filter" \
		>"$work/$name" 2>"$work/$name.err" &
	cap=$!
	check "[$fp] tcpdump is listening on $where" \
		wait_until $START_DEADLINE grep -q "listening on" "$work/$name.err"
}

# udp_source FROM_NS TO_NS TO_ADDR: the source address the receiver sees.
udp_source() {
	local out=$work/udp-src pid
	# One datagram; socat hands its source address to the command.
	in_ns "$2" timeout $DONE_DEADLINE socat -u UDP-RECVFROM:5300 \
		SYSTEM:'echo "$SOCAT_PEERADDR"' >"$out" &
	pid=$!
	wait_until $START_DEADLINE sh -c "$NSRUN '$2' ss -Hlun 'sport = :5300' | grep -q ." ||
		{ kill $pid; return 1; }
	echo hello | in_ns "$1" socat -u - "UDP:$3:5300" || { kill $pid; return 1; }
	wait $pid && cat "$out"
}

# conntrack_on / conntrack_off: node1 tracks connections (a rule that
# needs conntrack puts its hooks in PRE_ROUTING), from an empty table; or
# no longer does.
conntrack_on() {
	in_ns tt-node1 conntrack -F 2>/dev/null
	in_ns tt-node1 iptables -A INPUT -m conntrack --ctstate INVALID -j DROP
}
conntrack_off() {
	in_ns tt-node1 iptables -F INPUT
}

# A pod behind an L2 pair on node1 (10.0.208.12): its gateway is a
# link-local address of lxc3, which the node answers ARP for.
TT_N1P3=10.0.208.12
l2_pod_up() {
	netns_add tt-n1p3 &&
	ctl -n tt-node1 link add lxc3 peer eth0 netns tt-n1p3 mode l2 &&
	ip -n tt-node1 addr add 169.254.1.1/32 dev lxc3 &&
	ip -n tt-node1 link set lxc3 up &&
	ip -n tt-n1p3 addr add $TT_N1P3/32 dev eth0 &&
	ip -n tt-n1p3 link set eth0 up &&
	ip -n tt-n1p3 route add 169.254.1.1 dev eth0 &&
	ip -n tt-n1p3 route add default via 169.254.1.1 dev eth0 &&
	ctl -n tt-node1 addroute $TT_N1P3/32 dev lxc3
}

# Scenarios. Each runs with $fp set to off or on, the nodes' fast path set
# so. Deltas of the counters, not their values, say what a run did: the
# other setting's run came before it.

# Before any traffic: the command reports the setting and every counter,
# all zero. (First in ALL_TESTS for that reason.)
fastpath_show() {
	local enabled=false

	[ $fp = on ] && enabled=true
	check_output "[$fp] fastpath show says $fp" 0 "^fastpath $fp$" \
		ctl -n tt-node1 fastpath show
	check_output "[$fp] fastpath show -j has every counter" 0 \
		'^\{"enabled":'$enabled',"forwarded":0,"direct":0,"nat_original":0,"nat_reply":0,"fallback":\{"ttl":0,"mtu":0,"neigh":0,"conntrack":0,"route":0,"source":0,"redirect":0,"options":0,"other":0\}\}$' \
		ctl -n tt-node1 -j fastpath show
}

# The node sends the ICMP errors the kernel sends (and the fast path
# leaves those packets to it). The pod must not know a smaller path MTU
# yet: one a TCP flow or the other run taught it, flushed first.
icmp_errors() {
	local ttl0 mtu0

	in_ns tt-n1p1 sysctl -qw net.ipv4.route.flush=1
	ttl0=$(fp_counter tt-node1 ttl)
	check_output "[$fp] TTL 1 gets ICMP time exceeded from the node" 1 \
		"From $TT_NODE1 .*Time to live exceeded" in_ns tt-n1p1 ping -c 1 -W 5 -t 1 $TT_N2P1
	mtu0=$(fp_counter tt-node1 mtu)
	check_output "[$fp] DF packet over the uplink MTU gets fragmentation needed" 1 \
		"Frag needed and DF set \(mtu = 1400\)" \
		in_ns tt-n1p1 ping -c 1 -W 5 -M do -s 1450 $TT_N2P1
	check "[$fp] a packet that fits still passes" pings tt-n1p1 1 $TT_N2P1 -M do -s 1300
	if [ $fp = on ]; then
		check "[on] TTL expiry fell back to the kernel" fp_grew tt-node1 ttl "$ttl0"
		check "[on] the oversized packet fell back to the kernel" \
			fp_grew tt-node1 mtu "$mtu0"
	fi
}

# Every path a pod's traffic takes: within a node, across nodes, to and
# from the nodes, to a LAN host, TCP, and an L2-mode pod. The nodes'
# neighbour entries are flushed first, so that the first packets go to
# new next hops.
pod_traffic() {
	local f1 f2 d1 d2 dl n0

	ip -n tt-node1 neigh flush all
	ip -n tt-node2 neigh flush all
	f1=$(fp_counter tt-node1 forwarded)
	f2=$(fp_counter tt-node2 forwarded)
	d1=$(fp_counter tt-node1 direct)
	d2=$(fp_counter tt-node2 direct)
	n0=$(fp_counter tt-node1 neigh)
	check "[$fp] pod -> pod on one node" pings tt-n1p1 2 $TT_N1P2
	check "[$fp] pod -> pod across nodes" pings tt-n1p1 2 $TT_N2P1
	check "[$fp] pod <- pod across nodes" pings tt-n2p1 2 $TT_N1P1
	check_output "[$fp] the remote pod sees the pod's own source address" 0 \
		"^$TT_N1P1$" udp_source tt-n1p1 tt-n2p1 $TT_N2P1
	check "[$fp] node -> own pod" pings tt-node1 2 $TT_N1P1
	check "[$fp] node -> remote pod" pings tt-node1 2 $TT_N2P1
	check "[$fp] pod -> node" pings tt-n2p1 2 $TT_NODE1
	check "[$fp] pod -> raconteur (routed back, no masquerade)" pings tt-n1p1 2 $TT_RAC
	check_output "[$fp] raconteur sees the pod's address" 0 "^$TT_N1P1$" \
		udp_source tt-n1p1 tt-rac $TT_RAC
	check "[$fp] TCP pod -> remote pod arrives intact" \
		tcp_transfer tt-n1p1 tt-n2p1 $TT_N2P1 300000
	dl=$(fp_counter tt-node1 direct)
	check "[$fp] L2-mode pod -> remote pod" pings tt-n1p3 2 $TT_N2P1
	check "[$fp] remote pod -> L2-mode pod" pings tt-n2p1 2 $TT_N1P3
	if [ $fp = on ]; then
		check "[on] packets were fast-pathed on node1" fp_grew tt-node1 forwarded "$f1"
		check "[on] packets were fast-pathed on node2" fp_grew tt-node2 forwarded "$f2"
		check "[on] pod egress was forwarded from the pair's transmit (node1)" \
			fp_grew tt-node1 direct "$d1"
		check "[on] pod egress was forwarded from the pair's transmit (node2)" \
			fp_grew tt-node2 direct "$d2"
		check "[on] ... from an L2 pair too" fp_grew tt-node1 direct "$dl"
		check "[on] the first packet to a new next hop fell back (neighbour)" \
			fp_grew tt-node1 neigh "$n0"
	else
		check "[off] nothing fast-pathed" fp_same tt-node1 forwarded "$f1"
	fi
}

# A capture on the pod's device must see what the pod sends: while one
# runs, pod egress is really received on lxc1 (then fast-pathed by the
# hook, not from the pair's transmit).
capture_on_pod_device() {
	local d0 f0

	d0=$(fp_counter tt-node1 direct)
	f0=$(fp_counter tt-node1 forwarded)
	capture_start tt-node1 lxc1 2 "icmp and src $TT_N1P1" cap1 lxc1
	check "[$fp] pod -> remote pod with a capture on its device" pings tt-n1p1 2 $TT_N2P1
	check "[$fp] the capture saw the pod's packets" wait $cap
	check_output "[$fp] ... the echo requests" 0 "$TT_N1P1 > $TT_N2P1: ICMP echo request" \
		cat "$work/cap1"
	if [ $fp = on ]; then
		check "[on] meanwhile nothing skipped the receive path" \
			fp_same tt-node1 direct "$d0"
		check "[on] ... and the hook fast-pathed requests and replies" \
			fp_grew tt-node1 forwarded "$f0" 4
	fi
}

# A capture on the remote pod's device sees what is delivered to it.
capture_on_remote_pod_device() {
	capture_start tt-node2 lxc1 2 "icmp and src $TT_N1P1" cap2 "node2's lxc1"
	check "[$fp] pod -> remote pod with a capture on the remote pod's device" \
		pings tt-n1p1 2 $TT_N2P1
	check "[$fp] the capture saw the packets delivered to the pod" wait $cap
	check_output "[$fp] ... the echo requests" 0 "$TT_N1P1 > $TT_N2P1: ICMP echo request" \
		cat "$work/cap2"
}

# The remote pod's UDP checksums are left to the devices (the pairs offload
# them): the pod gets them unfilled, which a capture in it reports as bad,
# unless node2's end does not offload them ("ethtool -K lxc1 tx off"):
# then the packet must be checksummed on its way into the pod, also when
# the fast path hands it to the pair directly.
checksum_offload() {
	local i

	for i in on off; do
		in_ns tt-node2 ethtool -K lxc1 tx $i >/dev/null
		CAP_OPTS=-vv capture_start tt-n2p1 eth0 2 "udp and src $TT_N1P1 and dst port 5301" \
			csum-$i "tt-n2p1's eth0"
		check "[$fp] tx checksumming $i on node2's lxc1: pod -> remote pod, UDP" sh -c \
			"echo a | $NSRUN tt-n1p1 socat -u - UDP:$TT_N2P1:5301 &&
			 echo b | $NSRUN tt-n1p1 socat -u - UDP:$TT_N2P1:5301"
		check "[$fp] ... the capture in the pod saw both" wait $cap
		if [ $i = on ]; then
			check "[$fp] ... with their checksums left to fill in" \
				test "$(grep -c 'bad udp cksum' "$work/csum-on")" = 2
		else
			check "[$fp] ... with their checksums filled in" \
				test "$(grep -c 'udp sum ok' "$work/csum-off")" = 2
		fi
	done
	in_ns tt-node2 ethtool -K lxc1 tx on >/dev/null
}

# hook_removed_passes NODE DEL-CMD: DEL-CMD on NODE, then pod -> remote pod.
hook_removed_passes() {
	in_ns "$1" sh -c "$2" && pings tt-n1p1 1 $TT_N2P1
}

# Whatever is attached to a pod's device still sees (here: drops) its
# traffic, fast path or not: a qdisc, tc and netfilter egress on the way
# into the pod (node2), tc and netfilter ingress on the way out of it
# (node1). So does IPsec: a default policy of "block" for forwarded
# traffic on node1.
pod_device_hooks() {
	local h node add del

	for h in \
		"tt-node2|tc qdisc add dev lxc1 root pfifo limit 0|tc qdisc del dev lxc1 root" \
		"tt-node2|tc qdisc add dev lxc1 clsact && tc filter add dev lxc1 egress matchall action drop|tc qdisc del dev lxc1 clsact" \
		"tt-node2|nft 'table netdev t { chain c { type filter hook egress device lxc1 priority 0; policy drop; }; }'|nft delete table netdev t" \
		"tt-node1|tc qdisc add dev lxc1 clsact && tc filter add dev lxc1 ingress matchall action drop|tc qdisc del dev lxc1 clsact" \
		"tt-node1|nft 'table netdev t { chain c { type filter hook ingress device lxc1 priority 0; policy drop; }; }'|nft delete table netdev t" \
		"tt-node1|ip xfrm policy setdefault fwd block|ip xfrm policy setdefault fwd accept"
	do
		IFS='|' read -r node add del <<<"$h"
		check "[$fp] ${node#tt-}: $add" in_ns "$node" sh -c "$add"
		check "[$fp] ... stops pod -> remote pod" no_reply tt-n1p1 1 $TT_N2P1
		check "[$fp] ... and once removed, it passes again" \
			hook_removed_passes "$node" "$del"
	done
}

# netfilter FORWARD: the documented difference. (Without conntrack in use:
# with it, a new flow's first packets take the kernel's path, FORWARD
# rules included.)
netfilter_forward() {
	in_ns tt-node1 iptables -A FORWARD -s $TT_N1P1 -j DROP
	if [ $fp = off ]; then
		check "[off] a FORWARD drop rule stops pod traffic" no_reply tt-n1p1 2 $TT_N2P1
	else
		check "[on] a FORWARD drop rule is bypassed, as with eBPF host routing" \
			pings tt-n1p1 2 $TT_N2P1
	fi
	in_ns tt-node1 iptables -F FORWARD
}

# A next-hop exception: with raconteur as node1's gateway to node2's
# pods, raconteur redirects node1's own traffic to node2, and the kernel's
# input route applies the redirect to forwarded traffic too. (Turning
# forwarding on turned accepting redirects off: back on.)
icmp_redirect() {
	local d0 f0

	in_ns tt-rac sysctl -qw net.ipv4.ip_forward=1
	in_ns tt-node1 sysctl -qw net.ipv4.conf.all.accept_redirects=1
	check "[$fp] node1 routes node2's pods via raconteur" \
		ctl -n tt-node1 route replace 10.0.209.0/24 via $TT_RAC
	check "[$fp] ... node1 -> remote pod" pings tt-node1 2 $TT_N2P1
	check_output "[$fp] ... raconteur redirected node1 to node2" 0 \
		"via $TT_NODE2 .*cache <redirected>" ip -o -n tt-node1 route get $TT_N2P1
	d0=$(fp_counter tt-node1 direct)
	f0=$(ip_mib tt-rac ForwDatagrams)
	check "[$fp] pod -> remote pod after the redirect" pings tt-n1p1 3 $TT_N2P1
	check "[$fp] ... goes to node2 directly (raconteur forwarded none)" \
		test "$(ip_mib tt-rac ForwDatagrams)" = "$f0"
	if [ $fp = on ]; then
		check "[on] ... fast-pathed to the redirected next hop" \
			fp_grew tt-node1 direct "$d0" 3
	fi
	check "[$fp] node1 routes node2's pods via node2 again" \
		ctl -n tt-node1 route replace 10.0.209.0/24 via $TT_NODE2
	in_ns tt-node1 sysctl -qw net.ipv4.conf.all.accept_redirects=0
	in_ns tt-rac sysctl -qw net.ipv4.ip_forward=0
}

# The kernel's input route decides for the fast path too, with all it
# takes. Strict reverse-path filtering: pod traffic still takes the fast
# path, and a pod's spoofed source is refused either way.
strict_rp_filter() {
	local s0 p0

	in_ns tt-node1 sysctl -qw net.ipv4.conf.all.rp_filter=1
	pod_egress_grows "strict rp_filter on node1: pod -> remote pod" direct \
		"forwarded from the pair's transmit"
	ip -n tt-n1p1 addr add 10.0.209.99/32 dev eth0
	s0=$(fp_counter tt-node1 source)
	p0=$(dev_stat tt-n2p1 eth0 rx_packets)
	in_ns tt-n1p1 ping -c 3 -i 0.2 -W 1 -I 10.0.209.99 $TT_N2P1 >/dev/null
	check "[$fp] ... a source from node2's pod CIDR is refused (none arrived)" \
		test "$(dev_stat tt-n2p1 eth0 rx_packets)" = "$p0"
	if [ $fp = on ]; then
		check "[on] ... counted as source" fp_grew tt-node1 source "$s0" 3
	fi
	ip -n tt-n1p1 addr del 10.0.209.99/32 dev eth0
	in_ns tt-node1 sysctl -qw net.ipv4.conf.all.rp_filter=0
}

# udp_to_n2p1 COUNT [SRC]: COUNT datagrams from pod tt-n1p1 (from SRC) to
# a port of tt-n2p1 nobody listens on.
udp_to_n2p1() {
	local i

	for i in $(seq "$1"); do
		echo x | in_ns tt-n1p1 socat -u - "UDP:$TT_N2P1:5399${2:+,bind=$2}" || return 1
	done
}

# arrived_at_n2p1 BEFORE COUNT: tt-n2p1 received at least COUNT packets
# since its rx_packets read BEFORE.
arrived_at_n2p1() {
	[ "$(dev_stat tt-n2p1 eth0 rx_packets)" -ge $(($1 + $2)) ]
}

# flow_through_rac yes|no DESC: three datagrams of the cached UDP flow to
# tt-n2p1; raconteur forwarded them (yes) or none (no), and they arrived.
flow_through_rac() {
	local f0 p0

	f0=$(ip_mib tt-rac ForwDatagrams)
	p0=$(dev_stat tt-n2p1 eth0 rx_packets)
	udp_to_n2p1 3
	if [ "$1" = yes ]; then
		check "[$fp] ... $2" test "$(ip_mib tt-rac ForwDatagrams)" -ge $((f0 + 3))
	else
		check "[$fp] ... $2" test "$(ip_mib tt-rac ForwDatagrams)" = "$f0"
	fi
	check "[$fp] ... and arrives" arrived_at_n2p1 "$p0" 3
}

# The fast path's route cache (kmod/routecache.c) keeps a flow's input
# route between packets; ICMP never uses it, so the scenarios above,
# which ping, do not reach it. Here a UDP flow's route is cached first and
# then each change is made that the kernel's own forwarding would follow
# at once: a more specific route added (the cached route itself stays
# valid), a next-hop exception learnt from a redirect, strict rp_filter
# switched on (which flushes nothing in the kernel).
route_cache() {
	local p0 f0 s0 d0

	in_ns tt-rac sysctl -qw net.ipv4.ip_forward=1
	in_ns tt-node1 sysctl -qw net.ipv4.conf.all.accept_redirects=0
	check "[$fp] route cache: node1 knows its next hop to node2" pings tt-n1p1 1 $TT_N2P1
	p0=$(dev_stat tt-n2p1 eth0 rx_packets)
	d0=$(fp_counter tt-node1 direct)
	check "[$fp] route cache: UDP pod -> remote pod" udp_to_n2p1 3
	check "[$fp] ... arrived" arrived_at_n2p1 "$p0" 3
	if [ $fp = on ]; then
		check "[on] ... forwarded from the pair's transmit" fp_grew tt-node1 direct "$d0" 3
	fi

	check "[$fp] ... node1 routes that pod via raconteur (a /32 beside the /24)" \
		ip -n tt-node1 route add $TT_N2P1/32 via $TT_RAC
	flow_through_rac yes "the same flow follows the new route (through raconteur)"
	check "[$fp] ... the /32 removed" ip -n tt-node1 route del $TT_N2P1/32 via $TT_RAC
	flow_through_rac no "the flow goes to node2 directly again (raconteur forwarded none)"

	check "[$fp] ... node1 routes node2's pods via raconteur" \
		ctl -n tt-node1 route replace 10.0.209.0/24 via $TT_RAC
	f0=$(ip_mib tt-rac ForwDatagrams)
	udp_to_n2p1 3
	check "[$fp] ... the flow goes through raconteur" \
		test "$(ip_mib tt-rac ForwDatagrams)" -ge $((f0 + 3))

	# raconteur redirects node1's own traffic to node2; the exception
	# applies to the cached flow too.
	in_ns tt-node1 sysctl -qw net.ipv4.conf.all.accept_redirects=1
	check "[$fp] ... node1 -> remote pod" pings tt-node1 2 $TT_N2P1
	check_output "[$fp] ... raconteur redirected node1 to node2" 0 \
		"via $TT_NODE2 .*cache <redirected>" ip -o -n tt-node1 route get $TT_N2P1
	flow_through_rac no "the flow takes the redirect (raconteur forwarded none)"
	check "[$fp] ... node1 routes node2's pods via node2 again" \
		ctl -n tt-node1 route replace 10.0.209.0/24 via $TT_NODE2
	in_ns tt-node1 sysctl -qw net.ipv4.conf.all.accept_redirects=0
	in_ns tt-rac sysctl -qw net.ipv4.ip_forward=0

	# A source from node2's pod CIDR passes loose checking...
	ip -n tt-n1p1 addr add 10.0.209.99/32 dev eth0
	p0=$(dev_stat tt-n2p1 eth0 rx_packets)
	udp_to_n2p1 3 10.0.209.99
	check "[$fp] ... with rp_filter off, a datagram from 10.0.209.99 arrives" \
		arrived_at_n2p1 "$p0" 3
	# ... and strict checking refuses the same flow at once.
	in_ns tt-node1 sysctl -qw net.ipv4.conf.all.rp_filter=1
	s0=$(fp_counter tt-node1 source)
	p0=$(dev_stat tt-n2p1 eth0 rx_packets)
	udp_to_n2p1 3 10.0.209.99
	check "[$fp] ... with strict rp_filter switched on, none arrives" \
		test "$(dev_stat tt-n2p1 eth0 rx_packets)" = "$p0"
	if [ $fp = on ]; then
		check "[on] ... counted as source" fp_grew tt-node1 source "$s0" 3
	fi
	in_ns tt-node1 sysctl -qw net.ipv4.conf.all.rp_filter=0
	ip -n tt-n1p1 addr del 10.0.209.99/32 dev eth0
}

# Policy rules: the pod's traffic routed by a table of its own, then
# refused by a prohibit rule (ICMP "packet filtered" from node1).
policy_rules() {
	local r0

	ip -n tt-node1 route add 10.0.209.0/24 via $TT_NODE2 table 100
	ip -n tt-node1 rule add from $TT_N1P1 lookup 100 pref 100
	pod_egress_grows "a policy rule: pod -> remote pod by table 100" forwarded \
		"fast-pathed"
	ip -n tt-node1 rule add from $TT_N1P1 to $TT_N2P1 prohibit pref 50
	r0=$(fp_counter tt-node1 route)
	check_output "[$fp] ... a prohibit rule refuses it" 1 "From .* Packet filtered" \
		in_ns tt-n1p1 ping -c 1 -W 2 $TT_N2P1
	if [ $fp = on ]; then
		check "[on] ... which fell back (route)" fp_grew tt-node1 route "$r0"
	fi
	ip -n tt-node1 rule del pref 50
	ip -n tt-node1 rule del pref 100
	ip -n tt-node1 route flush table 100
}

# A multipath route (both next hops node2 here): the kernel's input route
# picks one, and the fast path sends by it.
multipath_route() {
	check "[$fp] node1 routes node2's pods over two next hops" \
		ip -n tt-node1 route replace 10.0.209.0/24 proto 193 \
			nexthop via $TT_NODE2 nexthop via $TT_NODE2
	pod_egress_grows "... pod -> remote pod" direct "forwarded from the pair's transmit"
	check "[$fp] ... and over one again" \
		ctl -n tt-node1 route replace 10.0.209.0/24 via $TT_NODE2
}

# NFQUEUE gives packets back from process context (nf_reinject()), which
# runs the rest of PRE_ROUTING, the fast path's hook included, there: on
# node2, whose fast path then delivers into the pod.
nfqueue_reinject() {
	local nfq f0

	check "[$fp] node2: echo requests to the pod go to NFQUEUE 3" in_ns tt-node2 \
		nft "table ip q { chain c { type filter hook prerouting priority -150; ip daddr $TT_N2P1 icmp type echo-request queue num 3; }; }"
	in_ns tt-node2 timeout $DONE_DEADLINE "$TOP/build/selftests/nfq_accept" 3 2 >"$work/nfq" &
	nfq=$!
	check "[$fp] ... a listener is bound to it" wait_until $START_DEADLINE grep -q bound "$work/nfq"
	f0=$(fp_counter tt-node2 forwarded)
	check "[$fp] ... pod -> remote pod through the queue" pings tt-n1p1 2 $TT_N2P1
	check "[$fp] ... the listener gave both requests back" wait $nfq
	if [ $fp = on ]; then
		check "[on] ... and the fast path forwarded them and the replies" \
			fp_grew tt-node2 forwarded "$f0" 4
	fi
	in_ns tt-node2 nft delete table ip q
}

# Conntrack in use: new connections go through the kernel, which confirms
# them; later packets of the flow may take the fast path.
conntrack_new_flows() {
	local ct0 d0

	conntrack_on
	ct0=$(fp_counter tt-node1 conntrack)
	d0=$(fp_counter tt-node1 direct)
	check "[$fp] with conntrack active, pod -> remote pod" pings tt-n1p1 3 $TT_N2P1
	check_output "[$fp] conntrack saw the flow" 0 "src=$TT_N1P1 dst=$TT_N2P1" \
		in_ns tt-node1 conntrack -L -p icmp
	if [ $fp = on ]; then
		check "[on] the new connection fell back to conntrack" \
			fp_grew tt-node1 conntrack "$ct0"
		check "[on] with conntrack's PRE_ROUTING hooks, nothing skipped them" \
			fp_same tt-node1 direct "$d0"
	fi
	conntrack_off
}

# A packet conntrack reassembled leaves as fragments again, as the kernel
# sends it: the pod sends 1200-byte echo requests over a 1000-byte MTU;
# all but the flow's first are fast-path candidates.
conntrack_fragments() {
	conntrack_on
	check "[$fp] pair MTU 1000" ctl -n tt-node1 link set lxc1 mtu 1000
	capture_start tt-node2 enp3s0 6 "src $TT_N1P1 and ip[6:2] & 0x3fff != 0" frag \
		"node2's uplink"
	check "[$fp] fragmented pings through node1's conntrack" \
		pings tt-n1p1 3 $TT_N2P1 -M dont -s 1200
	check "[$fp] ... leave node1 as fragments again (6 seen)" wait $cap
	ctl -n tt-node1 link set lxc1 mtu 1500
	conntrack_off
}

# addroute_delivers: node1 routes node2's pods again, and a pod reaches one.
addroute_delivers() {
	ctl -n tt-node1 addroute 10.0.209.0/24 via $TT_NODE2 && pings tt-n1p1 1 $TT_N2P1
}

# Without clnet's route to node2's pod CIDR, the kernel answers "net
# unreachable"; with it back, delivery resumes.
delroute() {
	local r0

	r0=$(fp_counter tt-node1 route)
	check "[$fp] delroute" ctl -n tt-node1 delroute 10.0.209.0/24 via $TT_NODE2
	check_output "[$fp] without the route, delivery stops (net unreachable)" 1 \
		"Destination Net Unreachable|Network is unreachable" \
		in_ns tt-n1p1 ping -c 1 -W 2 $TT_N2P1
	if [ $fp = on ]; then
		check "[on] the missing route fell back to the kernel" \
			fp_grew tt-node1 route "$r0"
	fi
	check "[$fp] addroute again restores delivery" addroute_delivers
}

# br_netfilter hands frames a bridge forwards to the IPv4 hooks, as if
# addressed to the host: one bridged between two hosts on node1's bridge
# stays bridged, though its destination is a pod of node1. (Last: a bridge
# puts br_netfilter's own hooks in node1's PRE_ROUTING for good.)
br_netfilter_bridged() {
	local h b0 p0

	modprobe -q br_netfilter 2>/dev/null	# built in on the debug kernel
	netns_add tt-bra tt-brb
	ip -n tt-node1 link add brx type bridge && ip -n tt-node1 link set brx up
	for h in a b; do
		ip -n tt-node1 link add px$h type veth peer name eth0 netns tt-br$h &&
		ip -n tt-node1 link set px$h master brx up &&
		ip -n tt-br$h link set eth0 up
	done
	ip -n tt-bra addr add 192.168.77.1/24 dev eth0
	ip -n tt-brb addr add 192.168.77.2/24 dev eth0
	ip -n tt-bra route add $TT_N1P1 via 192.168.77.2
	check "[$fp] node1's bridge calls iptables (br_netfilter)" \
		in_ns tt-node1 sysctl -qw net.bridge.bridge-nf-call-iptables=1
	b0=$(dev_stat tt-brb eth0 rx_packets)
	p0=$(dev_stat tt-n1p1 eth0 rx_packets)
	in_ns tt-bra ping -c 3 -i 0.2 -W 1 $TT_N1P1 >/dev/null
	check "[$fp] frames to a pod's address, bridged to another host, reach it" \
		test "$(dev_stat tt-brb eth0 rx_packets)" -ge $((b0 + 3))
	check "[$fp] ... and not the pod" test "$(dev_stat tt-n1p1 eth0 rx_packets)" = "$p0"
	in_ns tt-node1 sysctl -qw net.bridge.bridge-nf-call-iptables=0
	ip netns del tt-bra
	ip netns del tt-brb
	ip -n tt-node1 link del brx
}

scenarios=$(tests_selected "$@") || { echo "$scenarios"; exit 1; }
tiles_up 1400 && l2_pod_up || bail "cannot build the tiles-test topology"
for t in $scenarios; do
	for fp in $FASTPATH; do
		echo "# scenario $t, fast path $fp"
		start=$SECONDS
		for n in tt-node1 tt-node2; do
			ctl -n $n fastpath $fp || bail "fastpath $fp failed on $n"
		done
		$t
		echo "# scenario $t, fast path $fp, took $((SECONDS - start))s"
	done
done
ip netns del tt-n1p3
tiles_down
tap_done
