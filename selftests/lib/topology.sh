# SPDX-License-Identifier: GPL-2.0
# The tiles-test cluster (see Documentation/cilium-mapping.rst), built in
# network namespaces inside the VM (never on a real network: the VM has
# none). One box per namespace:
#
#     tt-n1p1            tt-n1p2                  tt-n2p1
#     eth0               eth0                     eth0
#     10.0.208.10/32     10.0.208.11/32           10.0.209.10/32
#     default dev eth0   default dev eth0         default dev eth0
#        |                  |                        |
#        | clnet pair (L3)  | clnet pair (L3)        | clnet pair (L3)
#   +----lxc1---------------lxc2----+          +-----lxc1-----------------+
#   | tt-node1        ip_forward=1  |          | tt-node2    ip_forward=1 |
#   |  10.0.208.10/32 dev lxc1      |          |  10.0.209.10/32 dev lxc1 |
#   |  10.0.208.11/32 dev lxc2      |          |  10.0.208.0/24 via node1 |
#   |  10.0.209.0/24 via node2      |          |                          |
#   +----enp3s0 10.0.192.11/24------+          +-----enp3s0 10.0.192.21/24+
#        |                                           |
#        | veth (p-node1)                            | veth (p-node2)
#   +----+-------------------------------------------+---------------------+
#   | tt-lan: bridge br0, the LAN 10.0.192.0/24                            |
#   +----+-----------------------------------------------------------------+
#        | veth (p-rac)
#   +----eth0 10.0.192.5/24------------------------------------------------+
#   | tt-rac ("raconteur"): a LAN host outside the native-routing CIDR     |
#   |  10.0.208.0/24 via node1, 10.0.209.0/24 via node2                    |
#   +----------------------------------------------------------------------+
#
# The pods (pod side eth0, host side lxcN) are in the native-routing CIDR
# 10.0.208.0/20: 10.0.208.0/24 is node1's pod CIDR, 10.0.209.0/24 node2's.
# Each node routes its own pods with a /32 to the pair's primary end and
# the other node's pod CIDR over the LAN, both with "clnetctl addroute", as
# native routing does. tiles_up UPLINK_MTU sets both nodes' enp3s0 MTU.
# Source this after lib/env.sh (or lib.sh); tiles_up builds it, tiles_down
# removes it.

TT_NODE1=10.0.192.11
TT_NODE2=10.0.192.21
TT_RAC=10.0.192.5
TT_N1P1=10.0.208.10
TT_N1P2=10.0.208.11
TT_N2P1=10.0.209.10
TT_NATIVE_CIDR=10.0.208.0/20

# tt_lan_port NETNS IFNAME ADDR/LEN: a LAN port for a host.
tt_lan_port() {
	local ns=$1 ifname=$2 addr=$3 port
	port=p-${ns#tt-}
	ip -n tt-lan link add "$port" type veth peer name "$ifname" netns "$ns" &&
	ip -n tt-lan link set "$port" master br0 up &&
	ip -n "$ns" addr add "$addr" dev "$ifname" &&
	ip -n "$ns" link set "$ifname" up
}

# tt_pod NODE_NS POD_NS LXC ADDR: a pod behind a clnet pair, routed by the
# node with a /32 to its primary end.
tt_pod() {
	local node=$1 pod=$2 lxc=$3 addr=$4
	netns_add "$pod" &&
	"$CLNETCTL" -n "$node" link add "$lxc" peer eth0 netns "$pod" &&
	ip -n "$node" link set "$lxc" up &&
	ip -n "$pod" addr add "$addr/32" dev eth0 &&
	ip -n "$pod" link set eth0 up &&
	ip -n "$pod" route add default dev eth0 &&
	"$CLNETCTL" -n "$node" addroute "$addr/32" dev "$lxc"
}

# tiles_up [UPLINK_MTU]
tiles_up() {
	local mtu=${1:-1500} n
	netns_add tt-lan tt-node1 tt-node2 tt-rac || return 1
	ip -n tt-lan link add br0 type bridge &&
	ip -n tt-lan link set br0 up || return 1
	tt_lan_port tt-node1 enp3s0 $TT_NODE1/24 &&
	tt_lan_port tt-node2 enp3s0 $TT_NODE2/24 &&
	tt_lan_port tt-rac eth0 $TT_RAC/24 || return 1
	for n in tt-node1 tt-node2; do
		ip -n $n link set enp3s0 mtu "$mtu" &&
		$NSRUN $n sysctl -qw net.ipv4.ip_forward=1 || return 1
	done
	tt_pod tt-node1 tt-n1p1 lxc1 $TT_N1P1 &&
	tt_pod tt-node1 tt-n1p2 lxc2 $TT_N1P2 &&
	tt_pod tt-node2 tt-n2p1 lxc1 $TT_N2P1 || return 1
	# Native routing: each node reaches the other's pod CIDR over the LAN.
	"$CLNETCTL" -n tt-node1 addroute 10.0.209.0/24 via $TT_NODE2 &&
	"$CLNETCTL" -n tt-node2 addroute 10.0.208.0/24 via $TT_NODE1 || return 1
	# raconteur knows where the pod CIDRs are (no masquerade yet).
	ip -n tt-rac route add 10.0.208.0/24 via $TT_NODE1 &&
	ip -n tt-rac route add 10.0.209.0/24 via $TT_NODE2
}

tiles_down() {
	local ns
	for ns in tt-n1p1 tt-n1p2 tt-n2p1 tt-rac tt-node1 tt-node2 tt-lan; do
		ip netns del $ns 2>/dev/null
	done
	wait_until 10 netns_absent 'tt-.*'
}

# tiles_node1_bare_up: the tiles-test LAN, raconteur and node2, and a
# node1 with its uplink and nothing else: no pods, no routes, forwarding
# off, for a script that configures node1 itself as an operator would,
# module loading included (guide.sh). So node2 needs no clnet: its pod
# tt-n2p1 is behind a veth pair (proxy ARP on node2's end), and its
# routes are the kernel's (the pod's /32, node1's pod CIDR via node1).
# raconteur has no route to the pod CIDRs (only masquerade brings replies
# back) and reaches the LoadBalancer range 10.0.193.0/24 on-link.
# tiles_down removes it.
tiles_node1_bare_up() {
	netns_add tt-lan tt-node1 tt-node2 tt-rac tt-n2p1 || return 1
	ip -n tt-lan link add br0 type bridge &&
	ip -n tt-lan link set br0 up || return 1
	tt_lan_port tt-node1 enp3s0 $TT_NODE1/24 &&
	tt_lan_port tt-node2 enp3s0 $TT_NODE2/24 &&
	tt_lan_port tt-rac eth0 $TT_RAC/24 || return 1
	$NSRUN tt-node2 sysctl -qw net.ipv4.ip_forward=1 &&
	ip -n tt-node2 link add lxc1 type veth peer name eth0 netns tt-n2p1 &&
	$NSRUN tt-node2 sysctl -qw net.ipv4.conf.lxc1.proxy_arp=1 &&
	ip -n tt-node2 link set lxc1 up &&
	ip -n tt-n2p1 addr add $TT_N2P1/32 dev eth0 &&
	ip -n tt-n2p1 link set eth0 up &&
	ip -n tt-n2p1 route add default dev eth0 &&
	ip -n tt-node2 route add $TT_N2P1/32 dev lxc1 &&
	ip -n tt-node2 route add 10.0.208.0/24 via $TT_NODE1 &&
	ip -n tt-rac route add 10.0.193.0/24 dev eth0
}
