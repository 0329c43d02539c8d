#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# clnet's route commands (addroute, delroute, route ...) over rtnetlink: its
# own protocol, visible to ip route, tables and metrics, batches of 10 000
# lines, a bad line reported by its number, and bad input; then the
# fastpath command's CLI and permissions. (What the fast path does with
# packets is forwarding.sh's.)
#
# The scenarios share one namespace, rt: each starts from what the one
# before left there (3 routes of clnet's, then none).
#
#   route-cmds.sh [-t SCENARIO]...    (or TESTS="a b")
. "$(dirname "$0")/lib.sh"

# shellcheck disable=SC2034 # read by lib.sh
ALL_TESTS="
	add_and_show
	bad_routes
	batches
	flush
	fastpath_cli
"

load_module || bail "insmod $CLNET_KO failed"
on_exit unload_module
work=$(mktemp -d)
on_exit rm -rf "$work"

# clnet_routes [all]: how many routes clnetctl route show lists.
clnet_routes() {
	ctl -n rt route show "$@" | wc -l
}

# rt_has_route PREFIX: ip route (any protocol) shows a route to PREFIX.
rt_has_route() {
	ip -n rt route show | grep -q "^$1 "
}

# gateway_replaced: route replace changed 10.0.211.0/24's gateway.
gateway_replaced() {
	ctl -n rt route replace 10.0.211.0/24 via 10.0.192.22 metric 10 &&
	ctl -n rt route show | grep -q '^10.0.211.0/24 via 10.0.192.22 '
}

# Routes: only clnet's, over rtnetlink, visible to ip route.
add_and_show() {
	check "addroute dev" ctl -n rt addroute 10.0.210.0/24 dev dummy0
	check "addroute via, metric" ctl -n rt addroute 10.0.211.0/24 via 10.0.192.21 metric 10
	check "route add in table 100" ctl -n rt route add 10.0.212.0/24 via 10.0.192.21 table 100
	check_output "ip route shows clnet's routes with protocol 193" 0 \
		'^10.0.211.0/24 via 10.0.192.21 dev dummy0 proto 193 metric 10' ip -n rt route show
	check "route show lists only clnet's routes, in main" test "$(ctl -n rt route show)" = \
		"$(printf '10.0.210.0/24 dev dummy0\n10.0.211.0/24 via 10.0.192.21 dev dummy0 metric 10')"
	check "route show all includes table 100" test "$(clnet_routes all)" = 3
	check_output "route show -j" 0 '"gateway":"10.0.192.21"' ctl -n rt -j route show
	check_output "route get resolves through clnet's route" 0 \
		'^10.0.211.7 via 10.0.192.21 dev dummy0 src 10.0.192.11' ctl -n rt route get 10.0.211.7
	check_output "adding an existing route: EEXIST" 1 '^Error: File exists' \
		ctl -n rt addroute 10.0.210.0/24 dev dummy0
	check "route replace changes the gateway" gateway_replaced
	check_output "delroute does not touch a route clnet did not add" 1 \
		'^Error: No such process' ctl -n rt delroute 10.0.250.0/24
	check "that route is still there" rt_has_route 10.0.250.0/24
}

# Bad input: a usage error or the kernel's reason, and nothing added.
bad_routes() {
	check_output "bad prefix: host bits set" 2 'not an IPv4 prefix without host bits' \
		ctl -n rt addroute 10.0.213.1/24 dev dummy0
	check_output "bad prefix: length 33" 2 'not an IPv4 prefix' \
		ctl -n rt addroute 10.0.213.0/33 dev dummy0
	check_output "bad gateway" 2 'gateway "10.0.192.300" is not an IPv4 address' \
		ctl -n rt addroute 10.0.213.0/24 via 10.0.192.300
	check_output "unreachable gateway: the kernel's reason" 1 \
		'^Error: Nexthop has invalid gateway' ctl -n rt addroute 10.0.213.0/24 via 10.9.9.9
	check_output "unknown device" 1 'cannot find device "nope"' \
		ctl -n rt addroute 10.0.213.0/24 dev nope
	check_output "neither dev nor via" 2 'needs "dev DEV" or "via GW"' \
		ctl -n rt addroute 10.0.213.0/24
	check "rejected requests added nothing" test "$(clnet_routes all)" = 3
}

# Batches: 10 000 routes in one go, a bad line reported by its number.
batches() {
	local i j

	for i in $(seq 0 39); do for j in $(seq 0 249); do
		echo "addroute 10.$((100 + i)).$j.0/24 via 10.0.192.21"
	done; done >"$work/add"
	check "batch of 10 000 addroute lines" ctl -n rt -b "$work/add"
	check "route show lists them all" test "$(clnet_routes)" = 10002
	check "ip route agrees" test "$(ip -n rt route show proto 193 | wc -l)" = 10002
	printf '%s\n' 'addroute 10.0.230.0/24 via 10.0.192.21' \
		'addroute 10.0.231.0/33 via 10.0.192.21' \
		'addroute 10.0.232.0/24 via 10.9.9.9' \
		'addroute 10.0.233.0/24 via 10.0.192.21' >"$work/bad"
	check_output "a bad line is reported by its line number" 1 "command failed $work/bad:2" \
		ctl -n rt -b "$work/bad"
	check_fail "without -force the batch stops there" rt_has_route 10.0.233.0/24
	check_output "with -force every failure is reported" 1 \
		"command failed $work/bad:3" ctl -n rt -force -b "$work/bad"
	check "with -force the good lines are applied" rt_has_route 10.0.233.0/24
	printf 'addroute 10.0.240.0/24 via 10.9.9.9\nroute show\n' >"$work/bad2"
	check_output "a failed pipelined change is reported by line" 1 \
		"command failed $work/bad2:1$" ctl -n rt -b "$work/bad2"
	check "a later line does not run once a pipelined change failed" \
		test "$(ctl -n rt -b "$work/bad2" 2>/dev/null | grep -c via)" = 0
}

flush() {
	check "route flush" ctl -n rt route flush
	check "flush removed clnet's main-table routes only" \
		test "$(clnet_routes)/$(clnet_routes all)" = 0/1
	check "flush left other routes alone" rt_has_route 10.0.250.0/24
	check "route flush table 100" ctl -n rt route flush table 100
	check "nothing of clnet's is left" test "$(clnet_routes all)" = 0
}

# fastpath_released: the fast path on in rt, then rt deleted.
fastpath_released() {
	ctl -n rt fastpath on && ip netns del rt
}

# Fast path CLI and permissions.
fastpath_cli() {
	check_output "fastpath is off by default" 0 '^fastpath off$' ctl -n rt fastpath show
	check_output "fastpath takes on, off or show" 2 'fastpath: "maybe" is unknown' \
		ctl -n rt fastpath maybe
	check_output "fastpath on needs CAP_NET_ADMIN" 1 '^Error: Operation not permitted$' \
		in_ns rt setpriv --reuid=nobody --regid=nogroup --clear-groups "$CLNETCTL" fastpath on
	check_output "kernel rejects ENABLED 2" 1 '^errno ERANGE: ' \
		in_ns rt "$GENL_RAW" FASTPATH_SET ENABLED:u8:2
	check_output "kernel requires ENABLED" 1 '^errno EINVAL: missing attribute ENABLED$' \
		in_ns rt "$GENL_RAW" FASTPATH_SET
	check "fastpath on, then netns deleted, releases it" fastpath_released
}

netns_add rt || bail "cannot create netns rt"
ip -n rt link add dummy0 type dummy &&
ip -n rt link set dummy0 up &&
ip -n rt addr add 10.0.192.11/24 dev dummy0 &&
ip -n rt route add 10.0.250.0/24 dev dummy0 || bail "cannot set up netns rt"
tests_run "$@"
