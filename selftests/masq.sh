#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Masquerade of pod traffic (clnetctl masq) in the tiles-test topology
# (lib/topology.sh), with the fast path off and on: the same expectations
# hold both ways; with it on, the fast path's counters also say that
# established NATed flows took it.
#
# raconteur's routes back to the pod CIDRs are removed, so that a reply
# can only reach a pod through the translation: whatever a pod gets back
# from raconteur proves it was masqueraded, and raconteur's servers say
# which address they saw. Both nodes masquerade out of enp3s0 with
# native-cidr 10.0.208.0/20 (masq_default).
#
# The topology and the servers are set up once; each scenario runs with the
# fast path off, then on, and leaves the configuration as it found it. The
# script ends by unloading the module while masqueraded flows are still in
# conntrack.
#
#   masq.sh [-t SCENARIO]...    (or TESTS="a b"; FASTPATH="on")
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib/topology.sh"

# shellcheck disable=SC2034 # read by lib.sh
ALL_TESTS="
	masq_show
	pod_to_lan
	pod_to_pod
	excluded_cidr
	node_traffic
	same_source_port
	icmp_port_unreachable
	dns
	src_override
	addr_removal_flushes
	fastpath_nat
	prerouting_once
	fragments
	bad_config
	masq_off
	counters
"
# The debug kernel runs every scenario once, with the fast path on: that
# executes all of clnet's masquerade code (a flow's first packets take the
# kernel's path, through the lookup function and the counting hook; the
# rest the fast path's NAT), at a fifth of the stock kernel's speed. The
# stock kernel checks that both settings give the same results.
if [ "${CLNET_VM_FLAVOUR:-}" = debug ]; then
	FASTPATH=${FASTPATH:-on}
	echo "# debug kernel: fast path on only (both settings run on the stock kernel)"
fi
FASTPATH=${FASTPATH:-off on}

# Deadlines, in seconds, for a helper to start and to see its answer.
# Passing runs take a fraction of them; python3 alone can take several
# seconds to start on the debug kernel.
START_DEADLINE=60
DONE_DEADLINE=30

# A second address of node1 on enp3s0 (src override), one that is no
# node's, and a link-local resolver address on node1's lo.
TT_NODE1_B=10.0.192.12
NOT_LOCAL=10.0.192.99
LL_DNS=169.254.116.108
# The largest established timeout of conntrack (the kernel's default,
# read at setup) and how far below it "refreshed" may be.
CT_SLACK=120

[ -x "$CLNETCTL" ] || bail "$CLNETCTL not built: run make"
load_module || bail "insmod $CLNET_KO failed"
on_exit unload_module
work=$(mktemp -d)
on_exit rm -rf "$work"

# Every command a check runs costs: under TCG, with the root over 9p, an
# exec takes a good fraction of a second. So the helpers below parse in
# bash rather than with awk, sed or grep where that is easy.

# masq_val LINE KEY: from node1's "masq show", the value after KEY on the
# line whose first word is LINE ("flows packets", "drop no-addr",
# "conntrack insert-failed").
masq_val() {
	local l
	while read -r l; do
		[ "${l%% *}" = "$1" ] && word_after "$l" "$2"
	done <<<"$(ctl -n tt-node1 masq show)"
}
# masq_default [NODE...]: the configuration every scenario starts from.
masq_default() {
	local n
	for n in "${@:-tt-node1}"; do
		ctl -n "$n" masq set dev enp3s0 native-cidr $TT_NATIVE_CIDR || return 1
	done
}

# matches_all FILE REGEX...: every extended REGEX matches a line of FILE
# (read once: it may be a pipe); prints FILE and those that do not.
matches_all() {
	local text re bad=0
	text=$(cat "$1")
	shift
	for re in "$@"; do
		grep -Eq -- "$re" <<<"$text" || { echo "no match for /$re/"; bad=1; }
	done
	[ $bad = 0 ] || printf '%s\n' "$text"
	return $bad
}

# The servers. Every one answers with the source address and port it saw:
# UDP on port 5300 in raconteur, node2 and each pod, a 32-byte answer
# "ADDR/PORT" (so that the client, with readbytes=32, ends as soon as it
# has it; neither a space nor a colon in it: socat's address parser drops
# quotes and splits at colons); TCP
# on port 5001 in raconteur and node2's pod, the peer and the MD5 of what
# it received; a TCP echo server on port 5002 in raconteur.
servers_up() {
	local ns

	for ns in tt-rac tt-node2 tt-n1p1 tt-n1p2 tt-n2p1; do
		in_ns $ns socat UDP-RECVFROM:5300,fork \
			SYSTEM:'printf %-32s $SOCAT_PEERADDR/$SOCAT_PEERPORT' >/dev/null 2>>"$work/servers.err" &
		on_exit kill $!
	done
	for ns in tt-rac tt-n2p1; do
		in_ns $ns socat TCP-LISTEN:5001,reuseaddr,fork \
			SYSTEM:'echo $SOCAT_PEERADDR $SOCAT_PEERPORT; md5sum' >/dev/null 2>>"$work/servers.err" &
		on_exit kill $!
	done
	in_ns tt-rac socat TCP-LISTEN:5002,reuseaddr,fork PIPE >/dev/null 2>>"$work/servers.err" &
	on_exit kill $!
	for ns in tt-rac tt-node2 tt-n1p1 tt-n1p2 tt-n2p1; do
		wait_until $START_DEADLINE sh -c "$NSRUN $ns ss -Hlun 'sport = :5300' | grep -q ." ||
			return 1
	done
	wait_listen tt-rac 5001 && wait_listen tt-n2p1 5001 && wait_listen tt-rac 5002
}

# procs_kill NETNS...: end the processes left in these namespaces (the
# servers' children serving a connection whose pod is gone), which would
# otherwise outlive the script, and hold its output open.
procs_kill() {
	local ns pids
	for ns in "$@"; do
		pids=$(ip netns pids "$ns" 2>/dev/null)
		[ -z "$pids" ] || kill $pids 2>/dev/null
	done
}

# raconteur counts, in nft rule counters, the echo requests it gets from
# node1's address and every packet it gets from a pod's. (Anonymous
# counters named by a comment: named counter objects need nft_objref,
# which the debug kernel does not have.)
rac_counters_up() {
	in_ns tt-rac nft -f - <<-EOF
	table ip rac {
		chain input {
			type filter hook input priority 0; policy accept;
			ip saddr $TT_NODE1 icmp type echo-request counter comment "echo_from_node1"
			ip saddr $TT_NATIVE_CIDR counter comment "from_pods"
		}
	}
	EOF
}

# rac_count NAME: packets of one of raconteur's counters.
rac_count() {
	in_ns tt-rac nft list chain ip rac input |
		awk -v c="\"$1\"" '$NF == c { for (i = 1; i < NF; i++) if ($i == "packets") print $(i + 1) }'
}

# rac_count_grew NAME BEFORE BY
rac_count_grew() {
	[ "$(rac_count "$1")" -ge $(($2 + $3)) ]
}

# udp_peer FROM_NS ADDR [SPORT]: one datagram to the UDP server on
# ADDR:5300, from port SPORT if given; prints the server's answer, the
# source address and port it saw ("A.B.C.D PORT"), or nothing if no answer
# came within 5 s.
udp_peer() {
	local opt='' out
	[ -n "${3:-}" ] && opt=,sourceport=$3,reuseaddr
	out=$(echo hello | in_ns "$1" socat -t 5 - "UDP:$2:5300,readbytes=32$opt")
	out=${out%% *}
	[ -z "$out" ] || echo "${out/\// }"
}
# seen_as "ADDR PORT" WANT_ADDR NOT_PORT: udp_peer's answer is from
# WANT_ADDR and a port other than NOT_PORT.
seen_as() {
	[ "${1% *}" = "$2" ] && [ -n "${1#* }" ] && [ "${1#* }" != "$3" ]
}
# no_answer FROM_NS ADDR [SPORT]: udp_peer gets no answer.
no_answer() {
	local out
	out=$(udp_peer "$@")
	[ -z "$out" ] || { echo "answered: $out"; return 1; }
}

# tcp_peer FROM_NS ADDR: sends $work/payload over TCP to the server on
# ADDR:5001; prints the peer address and port the server saw, and fails
# unless the MD5 it sent back is the payload's.
tcp_peer() {
	local out=$work/tcp.out peer sum
	in_ns "$1" socat -t $DONE_DEADLINE - "TCP:$2:5001" <"$work/payload" >"$out" ||
		return 1
	{ read -r peer; read -r sum _; } <"$out"
	if [ "$sum" != "$payload_md5" ]; then
		echo "the server got MD5 '$sum', the payload's is $payload_md5"
		return 1
	fi
	echo "$peer"
}
# ct NS ARGS...: conntrack -L ARGS in NS, the entries only.
ct() {
	in_ns "$1" conntrack -L "${@:2}" 2>/dev/null
}

# ct_no_snat ARGS...: node1's conntrack has no source-NATed entry
# matching ARGS (prints those it has).
ct_no_snat() {
	! ct tt-node1 --src-nat "$@" | grep .
}

# ct_has REGEX ARGS...: an entry of node1's conntrack -L ARGS matches REGEX.
ct_has() {
	local re=$1
	shift
	ct tt-node1 "$@" | grep -Eq -- "$re"
}

# ct_absent ARGS...: node1's conntrack -L ARGS lists nothing.
ct_absent() {
	! ct tt-node1 "$@" | grep -q .
}

# Long-lived TCP connections to raconteur's echo server (port 5002), to
# check what happens to a flow that already exists. The script writes to
# and reads from the client through two fifos: no command per line.
declare -A stream_wfd stream_rfd stream_pid
stream_n=0

# stream_open NAME FROM_NS ADDR: connect (socat -d -d logs the local port
# to $work/NAME.err).
stream_open() {
	local name=$1 in=$work/$1.in out=$work/$1.out fd
	rm -f "$in" "$out" && mkfifo "$in" "$out" || return 1
	in_ns "$2" socat -d -d - "TCP:$3:5002" <"$in" >"$out" 2>"$work/$name.err" &
	stream_pid[$name]=$!
	# In the order the client opens them, so that neither open waits.
	exec {fd}>"$in"
	stream_wfd[$name]=$fd
	exec {fd}<"$out"
	stream_rfd[$name]=$fd
}

# stream_echo NAME [BYTES]: a line (of BYTES characters, default a short
# one) sent on the connection comes back.
stream_echo() {
	local line got
	stream_n=$((stream_n + 1))
	printf -v line '%s-%*s' $stream_n "${2:-16}" ''
	line=${line// /x}
	echo "$line" >&"${stream_wfd[$1]}" &&
		read -r -t $DONE_DEADLINE got <&"${stream_rfd[$1]}" || return 1
	[ "$got" = "$line" ] || { echo "sent $line, got back $got"; return 1; }
}

# stream_echoes NAME COUNT BYTES: COUNT lines of BYTES characters, one
# after the other, each echoed.
stream_echoes() {
	local i
	for ((i = 0; i < $2; i++)); do
		stream_echo "$1" "$3" || return 1
	done
}

# stream_sport NAME: the connection's local port (from socat -d -d).
stream_sport() {
	sed -n 's/.*connected from local address AF=2 [0-9.]*:\([0-9]*\).*/\1/p' \
		"$work/$1.err" | head -n 1
}

# stream_close NAME
stream_close() {
	local wfd=${stream_wfd[$1]} rfd=${stream_rfd[$1]}
	exec {wfd}>&- {rfd}<&-
	kill "${stream_pid[$1]}" 2>/dev/null
	wait "${stream_pid[$1]}" 2>/dev/null
	unset "stream_wfd[$1]" "stream_rfd[$1]" "stream_pid[$1]"
}
# ct_timeout ARGS...: the timeout of node1's first conntrack entry
# matching ARGS.
ct_timeout() {
	ct tt-node1 "$@" | awk 'NR == 1 { print $3 }'
}

# Scenarios. Each runs with $fp set to off or on, the nodes' fast path set
# so.

# unprivileged CMD...: CMD in node1's netns as nobody.
unprivileged() {
	in_ns tt-node1 setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"
}

# unprivileged_refused: nobody may neither set masquerade nor turn it off.
unprivileged_refused() {
	fails_saying 'Operation not permitted' \
		unprivileged "$CLNETCTL" masq set dev enp3s0 native-cidr 10.0.0.0/8 &&
	fails_saying 'Operation not permitted' unprivileged "$CLNETCTL" masq off
}

# The configuration as masq show reports it, in text and JSON (with the
# fast path on, only the text: nothing here depends on it); show needs no
# privilege, set and off do.
masq_show() {
	check "[$fp] masq show: on, dev enp3s0 with node1's address, the native CIDR, counters" \
		matches_all <(ctl -n tt-node1 masq show) '^masq on$' "^dev enp3s0 addr $TT_NODE1$" \
		"^native-cidr $TT_NATIVE_CIDR$" '^flows [0-9]+ packets [0-9]+ bytes [0-9]+$' \
		'^drop no-addr [0-9]+ nat [0-9]+$' '^conntrack insert-failed [0-9]+ drop [0-9]+$'
	[ $fp = on ] && return
	check "[$fp] masq show -j: the same, no exclude, no src" \
		matches_all <(ctl -n tt-node1 -j masq show) '"enabled":true' \
		'"devs":\[\{"ifindex":[0-9]+,"ifname":"enp3s0","addr":"'$TT_NODE1'"\}\]' \
		'"native_cidr":"'$TT_NATIVE_CIDR'"' '"exclude":\[\]' '"src":null' \
		'"flows":[0-9]+' '"packets":[0-9]+' '"bytes":[0-9]+' \
		'"drop":\{"no_addr":[0-9]+,"nat":[0-9]+\}' \
		'"conntrack":\{"insert_failed":[0-9]+,"drop":[0-9]+\}'
	check_output "[$fp] an unprivileged user may show" 0 '^masq on$' \
		unprivileged "$CLNETCTL" masq show
	check "[$fp] ... but neither set nor turn off (EPERM)" unprivileged_refused
}

# A pod's UDP, TCP and ICMP to raconteur leave with node1's address, and
# the replies come back (raconteur has no route to the pods).
pod_to_lan() {
	local out port e0 f0 o0 r0 c0

	f0=$(fp_counter tt-node1 forwarded)
	o0=$(fp_counter tt-node1 nat-original)
	r0=$(fp_counter tt-node1 nat-reply)
	c0=$(fp_counter tt-node1 conntrack)
	out=$(udp_peer tt-n1p1 $TT_RAC)
	check_output "[$fp] UDP pod -> raconteur: answered, raconteur saw node1's address" 0 \
		"^$TT_NODE1 [0-9]+$" echo "$out"
	port=${out#* }
	check "[$fp] ... conntrack on node1: the flow's reply goes to node1's address" \
		ct_has "src=$TT_N1P1 dst=$TT_RAC sport=[0-9]+ dport=5300 .*src=$TT_RAC dst=$TT_NODE1 sport=5300 dport=$port( |$)" \
		-p udp --orig-src $TT_N1P1 --orig-dst $TT_RAC --reply-port-dst "${port:-0}"

	out=$(tcp_peer tt-n1p1 $TT_RAC)
	check_output "[$fp] TCP pod -> raconteur: 64 KiB intact, raconteur saw node1's address" 0 \
		"^$TT_NODE1 [0-9]+$" echo "$out"
	port=${out#* }
	check "[$fp] ... conntrack on node1: reply to node1's address" \
		ct_has "src=$TT_N1P1 dst=$TT_RAC sport=[0-9]+ dport=5001 .*src=$TT_RAC dst=$TT_NODE1 sport=5001 dport=$port( |$)" \
		-p tcp --orig-src $TT_N1P1 --orig-dst $TT_RAC --reply-port-dst "${port:-0}"

	e0=$(rac_count echo_from_node1)
	check "[$fp] ping pod -> raconteur" pings tt-n1p1 3 $TT_RAC
	check "[$fp] ... raconteur got the echo requests from node1's address" \
		rac_count_grew echo_from_node1 "$e0" 3
	check "[$fp] ... conntrack on node1: the echo's reply goes to node1's address" \
		ct_has "src=$TT_N1P1 dst=$TT_RAC type=8 code=0 id=[0-9]+ .*src=$TT_RAC dst=$TT_NODE1 type=0 code=0" \
		-p icmp --orig-src $TT_N1P1 --orig-dst $TT_RAC
	if [ $fp = on ]; then
		check "[on] new flows fell back (conntrack)" fp_grew tt-node1 conntrack "$c0" 3
		check "[on] established NATed packets were fast-pathed, original direction" \
			fp_grew tt-node1 nat-original "$o0" 2
		check "[on] ... and reply direction" fp_grew tt-node1 nat-reply "$r0" 2
	else
		check "[off] nothing fast-pathed" fp_same tt-node1 forwarded "$f0"
	fi
}

# Pod to pod, on one node and across nodes (both nodes masquerade), keeps
# the pod's address.
pod_to_pod() {
	check_output "[$fp] UDP pod -> pod on one node keeps the pod's address" 0 \
		"^$TT_N1P1 [0-9]+$" udp_peer tt-n1p1 $TT_N1P2
	check_output "[$fp] UDP pod -> pod across nodes keeps the pod's address" 0 \
		"^$TT_N1P1 [0-9]+$" udp_peer tt-n1p1 $TT_N2P1
	check_output "[$fp] ... and the other way" 0 \
		"^$TT_N2P1 [0-9]+$" udp_peer tt-n2p1 $TT_N1P1
	check_output "[$fp] TCP pod -> pod across nodes: intact, the pod's address" 0 \
		"^$TT_N1P1 [0-9]+$" tcp_peer tt-n1p1 $TT_N2P1
	check "[$fp] ... and node1's conntrack has no translated entry to a pod" \
		ct_no_snat --orig-dst $TT_N2P1
}

# A destination in an EXCLUDE keeps the pod's address (raconteur gets a
# route back for it); another one outside the native CIDR is still
# masqueraded.
excluded_cidr() {
	local p0

	check "[$fp] masq set ... exclude $TT_RAC/32" ctl -n tt-node1 masq set dev enp3s0 \
		native-cidr $TT_NATIVE_CIDR exclude 10.0.192.0/30 exclude $TT_RAC/32
	check "[$fp] ... masq show lists the excludes" matches_all <(ctl -n tt-node1 masq show) \
		'^exclude 10.0.192.0/30$' "^exclude $TT_RAC/32$"
	ip -n tt-rac route add 10.0.208.0/24 via $TT_NODE1
	check_output "[$fp] UDP pod -> excluded raconteur keeps the pod's address" 0 \
		"^$TT_N1P1 [0-9]+$" udp_peer tt-n1p1 $TT_RAC
	in_ns tt-node1 conntrack -D -p icmp --orig-dst $TT_RAC >/dev/null 2>&1
	p0=$(rac_count from_pods)
	check "[$fp] ping pod -> excluded raconteur (routed back)" pings tt-n1p1 2 $TT_RAC
	check "[$fp] ... raconteur got the echo requests from the pod's address" \
		rac_count_grew from_pods "$p0" 2
	# (Not conntrack -L --src-nat: it takes any ICMP entry past nf_nat
	# for a translated one, as the reply's type differs from the id.)
	check "[$fp] ... conntrack on node1: the echo's reply goes to the pod" \
		ct_has "src=$TT_N1P1 dst=$TT_RAC type=8 code=0 id=([0-9]+) .*src=$TT_RAC dst=$TT_N1P1 type=0 code=0 id=\\1 " \
		-p icmp --orig-src $TT_N1P1 --orig-dst $TT_RAC
	check_output "[$fp] UDP pod -> node2's address (not excluded) is masqueraded" 0 \
		"^$TT_NODE1 [0-9]+$" udp_peer tt-n1p1 $TT_NODE2
	ip -n tt-rac route del 10.0.208.0/24 via $TT_NODE1
	check "[$fp] back to the default configuration" masq_default
}

# Traffic of node1 itself is not translated: its port is kept, and its
# conntrack entry's reply goes back to the very source.
node_traffic() {
	check_output "[$fp] UDP node1 -> raconteur from port 40001: seen as node1:40001" 0 \
		"^$TT_NODE1 40001$" udp_peer tt-node1 $TT_RAC 40001
	check "[$fp] ... conntrack: reply to node1:40001, untranslated" \
		ct_has "src=$TT_NODE1 dst=$TT_RAC sport=40001 dport=5300 .*src=$TT_RAC dst=$TT_NODE1 sport=5300 dport=40001( |$)" \
		-p udp --orig-src $TT_NODE1 --sport 40001
	check "[$fp] ... and not source-NATed" ct_no_snat -p udp --orig-src $TT_NODE1 --sport 40001
}

# Two pods using the same source port to the same server port: both get
# their answers, from two distinct ports of node1's address.
same_source_port() {
	local a b

	a=$(udp_peer tt-n1p1 $TT_RAC 40000)
	b=$(udp_peer tt-n1p2 $TT_RAC 40000)
	check_output "[$fp] pod 1 -> raconteur from port 40000: answered, as node1" 0 \
		"^$TT_NODE1 [0-9]+$" echo "$a"
	check_output "[$fp] pod 2 -> raconteur from port 40000: answered, as node1" 0 \
		"^$TT_NODE1 [0-9]+$" echo "$b"
	check "[$fp] ... from another port than pod 1's ($a, $b)" test "${a#* }" != "${b#* }"
	check "[$fp] ... both flows in conntrack, translated" sh -c \
		"test \$($NSRUN tt-node1 conntrack -L --src-nat -p udp --orig-dst $TT_RAC --sport 40000 2>/dev/null |
			grep -c 'dst=$TT_NODE1') -ge 2"
}

# UDP to a closed port of raconteur: its ICMP port unreachable, sent to
# node1's address, is translated back to the pod, whose socket gets
# ECONNREFUSED.
icmp_port_unreachable() {
	local c0

	c0=$(fp_counter tt-node1 conntrack)
	check_output "[$fp] UDP pod -> closed port on raconteur: Connection refused" 1 \
		"Connection refused" sh -c "echo hello | $NSRUN tt-n1p1 socat -t 5 - UDP:$TT_RAC:5399"
	if [ $fp = on ]; then
		check "[on] ... the new flow and the ICMP error fell back (conntrack)" \
			fp_grew tt-node1 conntrack "$c0" 2
	fi
}

# dns_ask SERVER NAME: an A question from pod 1 with busybox nslookup.
dns_ask() {
	in_ns tt-n1p1 busybox nslookup -type=a -timeout=5 "$2" "$1"
}

# dns_seen NAME: the responder's line for the question NAME.
dns_seen() {
	grep -m 1 " $1 1$" "$work/dns.log"
}

# DNS from a pod: to a resolver on raconteur (masqueraded), on node1's
# address and on a link-local address of node1's lo (both answered by the
# node, never masqueraded).
dns() {
	local q port

	if [ -z "$dns_pid" ]; then
		skip "[$fp] DNS from a pod" "$dns_missing"
		return
	fi
	q=rac-$fp-$RANDOM.test
	check_output "[$fp] DNS pod -> resolver on raconteur: answered" 0 \
		'^Address: 192\.0\.2\.5$' dns_ask $TT_RAC $q
	check_output "[$fp] ... which saw node1's address" 0 \
		"^$TT_RAC $TT_NODE1 [0-9]+ $q 1$" dns_seen $q
	q=node-$fp-$RANDOM.test
	check_output "[$fp] DNS pod -> resolver on node1's address: answered" 0 \
		'^Address: 192\.0\.2\.11$' dns_ask $TT_NODE1 $q
	check_output "[$fp] ... which saw the pod's address" 0 \
		"^$TT_NODE1 $TT_N1P1 [0-9]+ $q 1$" dns_seen $q
	q=ll-$fp-$RANDOM.test
	check_output "[$fp] DNS pod -> link-local resolver on node1's lo: answered by the node" 0 \
		'^Address: 192\.0\.2\.108$' dns_ask $LL_DNS $q
	check_output "[$fp] ... which saw the pod's address" 0 \
		"^$LL_DNS $TT_N1P1 [0-9]+ $q 1$" dns_seen $q
	port=$(dns_seen $q | cut -d' ' -f3)
	check "[$fp] ... conntrack on node1: the reply goes to the pod, untranslated" \
		ct_has "src=$TT_N1P1 dst=$LL_DNS sport=$port dport=53 .*src=$LL_DNS dst=$TT_N1P1 sport=53 dport=$port( |$)" \
		-p udp --orig-dst $LL_DNS --sport "${port:-0}"
	check "[$fp] ... and no flow to a node's resolver is source-NATed" \
		ct_no_snat -p udp --orig-dst $LL_DNS
	check "[$fp] ... (nor to node1's address)" ct_no_snat -p udp --orig-dst $TT_NODE1
}

# src: a second address of node1 as the masquerade address; one that is
# not the node's is refused and the previous configuration stays.
src_override() {
	local a b

	ip -n tt-node1 addr add $TT_NODE1_B/24 dev enp3s0
	check "[$fp] masq set ... src $TT_NODE1_B (node1's second address)" \
		ctl -n tt-node1 masq set dev enp3s0 native-cidr $TT_NATIVE_CIDR src $TT_NODE1_B
	check "[$fp] ... masq show says so" matches_all <(ctl -n tt-node1 masq show) \
		"^src $TT_NODE1_B$" "^dev enp3s0 addr $TT_NODE1_B$"
	check_output "[$fp] ... raconteur sees $TT_NODE1_B" 0 "^$TT_NODE1_B [0-9]+$" \
		udp_peer tt-n1p1 $TT_RAC
	# With src, nf_nat is given a port range without the pod's port.
	a=$(udp_peer tt-n1p1 $TT_RAC 40003)
	b=$(udp_peer tt-n1p2 $TT_RAC 40003)
	check "[$fp] ... pod 1 from port 40003: seen as $TT_NODE1_B from another ($a)" \
		seen_as "$a" $TT_NODE1_B 40003
	check "[$fp] ... pod 2 from port 40003: seen as $TT_NODE1_B from another ($b)" \
		seen_as "$b" $TT_NODE1_B 40003
	check "[$fp] ... and not pod 1's ($a, $b)" test "${a#* }" != "${b#* }"
	check "[$fp] src $NOT_LOCAL (no address of node1) is refused" \
		fails_saying '^Error: .*src is not an address of this node' \
		ctl -n tt-node1 masq set dev enp3s0 native-cidr $TT_NATIVE_CIDR src $NOT_LOCAL
	check_output "[$fp] ... and raconteur still sees $TT_NODE1_B" 0 "^$TT_NODE1_B [0-9]+$" \
		udp_peer tt-n1p1 $TT_RAC
	check "[$fp] back to the default configuration" masq_default
	check_output "[$fp] ... raconteur sees node1's first address again" 0 \
		"^$TT_NODE1 [0-9]+$" udp_peer tt-n1p1 $TT_RAC
	ip -n tt-node1 addr del $TT_NODE1_B/24 dev enp3s0
}

# Removing the masquerade address flushes the flows translated to it (the
# kernel's masquerade notifier, from a work item: polled), and only those;
# new flows then have no address and are dropped, counted.
addr_removal_flushes() {
	local d0

	ip -n tt-node1 addr add $TT_NODE1_B/24 dev enp3s0
	stream_open first tt-n1p1 $TT_RAC
	check "[$fp] a TCP flow masqueraded to $TT_NODE1" stream_echo first
	check "[$fp] masq set ... src $TT_NODE1_B" \
		ctl -n tt-node1 masq set dev enp3s0 native-cidr $TT_NATIVE_CIDR src $TT_NODE1_B
	stream_open second tt-n1p1 $TT_RAC
	check "[$fp] a TCP flow masqueraded to $TT_NODE1_B" stream_echo second
	check "[$fp] ... in conntrack" ct_has "dst=$TT_NODE1_B " -p tcp --reply-dst $TT_NODE1_B
	check "[$fp] ip addr del $TT_NODE1_B" ip -n tt-node1 addr del $TT_NODE1_B/24 dev enp3s0
	check "[$fp] ... flushes the flow masqueraded to it from conntrack" \
		wait_until $DONE_DEADLINE ct_absent -p tcp --reply-dst $TT_NODE1_B
	check "[$fp] ... but not the one masqueraded to $TT_NODE1" \
		ct_has "dst=$TT_NODE1 " -p tcp --orig-src $TT_N1P1 --reply-dst $TT_NODE1 \
			--sport "$(stream_sport first)"
	check "[$fp] ... which still exchanges data" stream_echo first
	d0=$(masq_val drop no-addr)
	check "[$fp] a new flow while src is no address of node1: no answer" \
		no_answer tt-n1p1 $TT_RAC
	check "[$fp] ... dropped and counted (drop no-addr)" \
		test "$(masq_val drop no-addr)" -gt "$d0"
	stream_close second
	stream_close first
	check "[$fp] back to the default configuration" masq_default
}

# An established masqueraded TCP stream takes the fast path both ways
# (counted as NAT), and its conntrack entry's timeout is refreshed by the
# packets: shortened to 30 s first, it is back near the established
# timeout after traffic.
fastpath_nat() {
	local sport o0 r0 f0 d0 t

	stream_open fpnat tt-n1p1 $TT_RAC
	check "[$fp] a masqueraded TCP stream to raconteur" stream_echo fpnat
	sport=$(stream_sport fpnat)
	check "[$fp] ... its conntrack timeout set to 30 s" in_ns tt-node1 conntrack -U \
		-p tcp --orig-src $TT_N1P1 --sport "${sport:-0}" --timeout 30
	t=$(ct_timeout -p tcp --orig-src $TT_N1P1 --sport "${sport:-0}")
	check "[$fp] ... conntrack -L shows it (${t:-none})" test "${t:-99}" -le 30
	o0=$(fp_counter tt-node1 nat-original)
	r0=$(fp_counter tt-node1 nat-reply)
	f0=$(fp_counter tt-node1 forwarded)
	d0=$(fp_counter tt-node1 direct)
	check "[$fp] ... 5 lines of 1000 bytes echoed" stream_echoes fpnat 5 1000
	t=$(ct_timeout -p tcp --orig-src $TT_N1P1 --sport "${sport:-0}")
	check "[$fp] ... the timeout is refreshed to near $ct_established s (${t:-none})" \
		test "${t:-0}" -ge $((ct_established - CT_SLACK))
	if [ $fp = on ]; then
		check "[on] ... fast-pathed in the original direction (nat-original)" \
			fp_grew tt-node1 nat-original "$o0" 5
		check "[on] ... and in the reply direction (nat-reply)" \
			fp_grew tt-node1 nat-reply "$r0" 5
		check "[on] ... the original direction from the pair's transmit (direct)" \
			fp_grew tt-node1 direct "$d0" 5
	else
		check "[off] ... nothing fast-pathed" fp_same tt-node1 forwarded "$f0"
	fi
	stream_close fpnat
}

# pings_counted: node1's conntrack forgets the pod's ICMP flows to
# raconteur, then the pod pings it 5 times; conntrack's accounting must
# count 5 packets in each direction.
pings_counted() {
	in_ns tt-node1 conntrack -D -p icmp --orig-src $TT_N1P1 --orig-dst $TT_RAC >/dev/null 2>&1
	pings tt-n1p1 5 $TT_RAC >/dev/null || { echo "the pings were not all answered"; return 1; }
	ct_has "type=8 code=0 id=[0-9]+ packets=5 bytes=[0-9]+ .*type=0 code=0 id=[0-9]+ packets=5 " \
		-p icmp --orig-src $TT_N1P1 --orig-dst $TT_RAC ||
		{ ct tt-node1 -p icmp --orig-src $TT_N1P1; return 1; }
}

# A pod's masqueraded packets meet node1's conntrack and PRE_ROUTING rules
# once each. With nothing but the kernel's conntrack (and nf_nat) before
# the fast path, the pair's transmit runs conntrack itself and forwards
# (direct); with an nft prerouting chain as well, the packets are really
# received, and the chain counts each once. The chain counts echo requests
# only, not whatever else the pod may still send raconteur (the end of an
# earlier scenario's TCP stream).
prerouting_once() {
	local d0 o0 n

	in_ns tt-node1 sysctl -qw net.netfilter.nf_conntrack_acct=1
	d0=$(fp_counter tt-node1 direct)
	check "[$fp] 5 pings pod -> raconteur, each counted once by conntrack" pings_counted
	[ $fp = on ] &&
		check "[on] ... all but the first from the pair's transmit, through conntrack" \
			fp_grew tt-node1 direct "$d0" 4
	in_ns tt-node1 nft -f - <<EOF || { check "[$fp] an nft chain on node1" false; return; }
table ip clnetpre {
	chain pre {
		type filter hook prerouting priority filter;
		ip saddr $TT_N1P1 ip daddr $TT_RAC icmp type echo-request counter
	}
}
EOF
	d0=$(fp_counter tt-node1 direct)
	o0=$(fp_counter tt-node1 nat-original)
	check "[$fp] with a prerouting chain: 5 pings, each counted once by conntrack" pings_counted
	n=$(in_ns tt-node1 nft list chain ip clnetpre pre |
		sed -n 's/.*counter packets \([0-9]*\).*/\1/p')
	check "[$fp] ... and once by the chain (${n:-no counter})" test "${n:-0}" = 5
	if [ $fp = on ]; then
		check "[on] ... none from the pair's transmit" fp_same tt-node1 direct "$d0"
		check "[on] ... but fast-pathed by the hook" fp_grew tt-node1 nat-original "$o0" 4
	fi
	in_ns tt-node1 nft delete table ip clnetpre
	in_ns tt-node1 sysctl -qw net.netfilter.nf_conntrack_acct=0
}

# A pod's fragments: node1's conntrack reassembles them, and the packet
# leaves masqueraded and in fragments again, as the kernel sends it (the
# pair's transmit leaves fragments to the kernel): 1200-byte echo
# requests over a 1000-byte pair MTU.
fragments() {
	local cap

	check "[$fp] pair MTU 1000" ctl -n tt-node1 link set lxc1 mtu 1000
	in_ns tt-rac timeout $DONE_DEADLINE tcpdump -n -l -c 6 -i eth0 \
		"src $TT_NODE1 and ip[6:2] & 0x3fff != 0" >"$work/frag" 2>"$work/frag.err" &
	cap=$!
	check "[$fp] tcpdump is listening on raconteur" \
		wait_until $START_DEADLINE grep -q "listening on" "$work/frag.err"
	check "[$fp] fragmented pings pod -> raconteur" pings tt-n1p1 3 $TT_RAC -M dont -s 1200
	check "[$fp] ... reach raconteur as fragments from node1's address (6 seen)" wait $cap
	ctl -n tt-node1 link set lxc1 mtu 1500
}

# masq_config_kept: after a refused set, the default configuration is in
# force: shown, and translating.
masq_config_kept() {
	matches_all <(ctl -n tt-node1 masq show) '^masq on$' "^dev enp3s0 addr $TT_NODE1$" \
		"^native-cidr $TT_NATIVE_CIDR$" || return 1
	! ctl -n tt-node1 masq show | grep -Eq '^(exclude|src) ' &&
		udp_peer tt-n1p1 $TT_RAC | grep -Eq "^$TT_NODE1 [0-9]+$"
}

# Bad configurations are refused with a message, the one in force stays.
bad_config() {
	local c=(ctl -n tt-node1 masq set) many=() i

	check "[$fp] src that is no address of the node is refused" \
		fails_saying '^Error: .*src is not an address of this node' \
		"${c[@]}" dev enp3s0 native-cidr $TT_NATIVE_CIDR src $NOT_LOCAL
	check "[$fp] a clnet pair's end as device is refused" \
		fails_saying '^Error: .*not a masquerade device' \
		"${c[@]}" dev lxc1 native-cidr $TT_NATIVE_CIDR
	check "[$fp] an unknown device is refused" fails_saying '^Error: .*no such device' \
		"${c[@]}" dev nosuch0 native-cidr $TT_NATIVE_CIDR
	# The rest clnetctl refuses itself, whatever the fast path: once.
	if [ $fp = on ]; then
		check "[$fp] after all that, the configuration in force is the default one" \
			masq_config_kept
		return
	fi
	check "[$fp] a CIDR with host bits is refused" fails_saying 'host bits set' \
		"${c[@]}" dev enp3s0 native-cidr 10.0.208.1/20
	check "[$fp] ... in an exclude too" fails_saying 'host bits set' \
		"${c[@]}" dev enp3s0 native-cidr $TT_NATIVE_CIDR exclude 10.0.192.5/24
	check "[$fp] a /33 is refused" fails_saying '"10\.0\.208\.0/33" is not an IPv4 prefix' \
		"${c[@]}" dev enp3s0 native-cidr 10.0.208.0/33
	check "[$fp] no device is refused" fails_saying 'needs at least one "dev DEV"' \
		"${c[@]}" native-cidr $TT_NATIVE_CIDR
	check "[$fp] no native CIDR is refused" fails_saying 'needs "native-cidr CIDR"' \
		"${c[@]}" dev enp3s0
	for i in $(seq 0 64); do
		many+=(exclude 10.0.$((i / 4)).$((i % 4 * 64))/26)
	done
	check "[$fp] 65 excludes are refused (at most 64)" fails_saying 'more than 64 excludes' \
		"${c[@]}" dev enp3s0 native-cidr $TT_NATIVE_CIDR "${many[@]}"
	check "[$fp] after all that, the configuration in force is the default one" \
		masq_config_kept
}

# masq off: new flows keep the pod's address (and, raconteur having no
# route back, get no answer); an established flow keeps its mapping.
masq_off() {
	local p0 o0 r0

	stream_open before tt-n1p1 $TT_RAC
	check "[$fp] a TCP flow masqueraded before masq off" stream_echo before
	check "[$fp] masq off" ctl -n tt-node1 masq off
	check "[$fp] masq off when already off" ctl -n tt-node1 masq off
	check "[$fp] masq show says off, without configuration" matches_all \
		<(ctl -n tt-node1 masq show) '^masq off$' '^flows [0-9]+ packets [0-9]+ bytes [0-9]+$'
	check_fail "[$fp] ... no dev line" sh -c "'$CLNETCTL' -n tt-node1 masq show | grep -q '^dev '"
	check_output "[$fp] masq show -j: enabled false" 0 '"enabled":false' \
		ctl -n tt-node1 -j masq show
	p0=$(rac_count from_pods)
	check "[$fp] a new UDP flow pod -> raconteur gets no answer" \
		no_answer tt-n1p1 $TT_RAC 40002
	check "[$fp] ... raconteur saw the pod's own address" rac_count_grew from_pods "$p0" 1
	check "[$fp] ... conntrack on node1: untranslated" \
		ct_has "src=$TT_N1P1 dst=$TT_RAC sport=40002 dport=5300 .*src=$TT_RAC dst=$TT_N1P1 sport=5300 dport=40002( |$)" \
		-p udp --orig-src $TT_N1P1 --sport 40002
	o0=$(fp_counter tt-node1 nat-original)
	r0=$(fp_counter tt-node1 nat-reply)
	check "[$fp] the flow masqueraded before still exchanges data" stream_echoes before 2 16
	if [ $fp = on ]; then
		check "[on] ... fast-pathed as NAT, original direction" \
			fp_grew tt-node1 nat-original "$o0" 2
		check "[on] ... and reply direction" fp_grew tt-node1 nat-reply "$r0" 2
	fi
	stream_close before
	check "[$fp] masq set again" masq_default
	check_output "[$fp] ... new flows are masqueraded again" 0 "^$TT_NODE1 [0-9]+$" \
		udp_peer tt-n1p1 $TT_RAC
}

# ct_stat_sum FIELD: a conntrack -S counter of node1, summed over CPUs.
ct_stat_sum() {
	in_ns tt-node1 conntrack -S | tr ' \t' '\n\n' |
		awk -F= -v k="$1" '$1 == k { s += $2 } END { print s + 0 }'
}

# masq show's counters: new flows counted; packets and bytes of both
# directions of masqueraded flows, fast path or not; conntrack's own
# counters of the netns.
counters() {
	local f0 p0 b0 a b n

	f0=$(masq_val flows flows)
	p0=$(masq_val flows packets)
	b0=$(masq_val flows bytes)
	stream_open counted tt-n1p1 $TT_RAC
	check "[$fp] a masqueraded TCP flow echoes 2 lines of 2000 bytes" \
		stream_echoes counted 2 2000
	a=$(udp_peer tt-n1p1 $TT_RAC)
	b=$(udp_peer tt-n1p2 $TT_RAC)
	check_output "[$fp] two masqueraded UDP flows" 0 "^$TT_NODE1 [0-9]+ $TT_NODE1 [0-9]+$" \
		echo "$a $b"
	n=$(masq_val flows flows)
	check "[$fp] masq show: flows grew by 3 (from $f0 to $n)" test "${n:-0}" -ge $((f0 + 3))
	n=$(masq_val flows packets)
	check "[$fp] ... packets by at least 8: 4 data, 2 UDP each way ($p0 to $n)" \
		test "${n:-0}" -ge $((p0 + 8))
	n=$(masq_val flows bytes)
	check "[$fp] ... bytes by at least 8000 ($b0 to $n)" test "${n:-0}" -ge $((b0 + 8000))
	stream_close counted
	check_output "[$fp] conntrack insert-failed and drop are node1's conntrack -S sums" 0 \
		"^conntrack insert-failed $(ct_stat_sum insert_failed) drop $(ct_stat_sum drop)$" \
		ctl -n tt-node1 masq show
}

# The end: unload the module while masqueraded flows, one of them an open
# TCP connection, are in node1's conntrack.
rmmod_with_flows() {
	stream_open last tt-n1p1 $TT_RAC
	check "[end] an open masqueraded TCP flow" stream_echo last
	check_output "[end] and a UDP one" 0 "^$TT_NODE1 [0-9]+$" udp_peer tt-n1p1 $TT_RAC
	check "[end] node1's conntrack lists masqueraded flows" \
		sh -c "$NSRUN tt-node1 conntrack -L --src-nat 2>/dev/null | grep -q 'dst=$TT_NODE1 '"
	check "[end] rmmod clnet with them in conntrack" unload_module
	check_fail "[end] clnet is unloaded" module_loaded
	stream_close last
}

scenarios=$(tests_selected "$@") || { echo "$scenarios"; exit 1; }
ctl version 2>/dev/null | grep -q '^features:.* masq' ||
	bail "$CLNET_KO has no masquerade (clnetctl version lists no masq feature)"
tiles_up || bail "cannot build the tiles-test topology"
ip -n tt-rac route del 10.0.208.0/24 via $TT_NODE1 &&
ip -n tt-rac route del 10.0.209.0/24 via $TT_NODE2 ||
	bail "cannot remove raconteur's routes to the pod CIDRs"
ip -n tt-node1 addr add $LL_DNS/32 dev lo || bail "cannot add $LL_DNS to node1's lo"
out=$(masq_default tt-node1 tt-node2 2>&1) || bail "masq set failed: $out"
# The DNS responder starts while the rest is set up (python3 is slow).
dns_pid=''
dns_missing=''
if ! command -v busybox >/dev/null; then
	dns_missing="busybox (its nslookup is the client) is not installed: apt-get install busybox-static"
elif ! command -v python3 >/dev/null; then
	dns_missing="python3 (the responder, lib/dns.py) is not installed: apt-get install python3"
else
	python3 "$TOP/selftests/lib/dns.py" tt-rac $TT_RAC 192.0.2.5 \
		tt-node1 $TT_NODE1 192.0.2.11 tt-node1 $LL_DNS 192.0.2.108 >"$work/dns.log" 2>&1 &
	dns_pid=$!
	on_exit kill $dns_pid
fi
on_exit procs_kill tt-rac tt-node1 tt-node2 tt-n1p1 tt-n1p2 tt-n2p1
servers_up || bail "the test servers did not start"
rac_counters_up || bail "cannot set up raconteur's nft counters"
head -c 65536 /dev/urandom >"$work/payload"
payload_md5=$(md5sum <"$work/payload" | cut -d' ' -f1)
ct_established=$(in_ns tt-node1 cat /proc/sys/net/netfilter/nf_conntrack_tcp_timeout_established) ||
	bail "no nf_conntrack_tcp_timeout_established in node1: is nf_conntrack loaded?"
if [ -n "$dns_pid" ]; then
	wait_until $START_DEADLINE grep -qx ready "$work/dns.log" ||
		bail "the DNS responder did not start: $(cat "$work/dns.log")"
fi
for t in $scenarios; do
	for fp in $FASTPATH; do
		echo "# scenario $t, fast path $fp"
		for n in tt-node1 tt-node2; do
			ctl -n $n fastpath $fp || bail "fastpath $fp failed on $n"
		done
		$t
	done
done
echo "# unloading with masqueraded flows in conntrack"
rmmod_with_flows
procs_kill tt-rac tt-node1 tt-node2 tt-n1p1 tt-n1p2 tt-n2p1
tiles_down
tap_done
