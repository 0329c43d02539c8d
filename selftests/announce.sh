#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# ARP announcements (clnetctl announce, clnetctl monitor) in the tiles-test
# topology (lib/topology.sh): service addresses 10.0.193.x announced on
# node1's (or node2's) enp3s0 and asked for by raconteur, over the LAN
# bridge, with selftests/lib/arp.py (raw ARP requests and replies, and
# captures of what goes over the wire). Raconteur routes 10.0.193.0/24
# on-link, as a LAN host routes a LoadBalancer range.
#
# One clnetctl monitor -j runs in node1 for the whole script, started and
# proven listening (by an event it must report) before any scenario; the
# scenarios look for their events in its output. Each scenario removes
# what it added. A VLAN, a bridge and an uplink without an IPv4 address
# each get a small side topology of two namespaces and a veth. The script
# ends by unloading the module with active entries, a long GARP burst
# running, leases ticking and pod announcements on.
#
# Timings are never asserted, except generous functional bounds: the
# spacing of a burst's GARPs (0.5 to 5 times the interval) and a failover
# within 5 s.
#
#   announce.sh [-t SCENARIO]...    (or TESTS="a b")
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib/topology.sh"

# shellcheck disable=SC2034 # read by lib.sh
ALL_TESTS="
	request_answered
	probe_answered
	not_answered
	local_address
	garp_burst
	garp_refresh
	no_ipv4_uplink
	lease
	link_state
	pods
	vlan_bridge
	failover
	many_entries
	bad_input
	monitor_events
"

# The debug kernel is slow: there, by default, the scenarios whose kernel
# paths (timers, device and FIB notifiers) the sanitizers most need to
# see, with the monitor (events) running through them and the unload with
# busy entries after them; what is left is request classification, which
# the clnet_arp KUnit suite covers there, and the refusals, which its
# policy cases cover.
if [ "${CLNET_VM_FLAVOUR:-}" = debug ]; then
	TESTS=${TESTS:-lease link_state pods}
	echo "# debug kernel: scenarios" $TESTS "(all of them run on the stock kernel)"
fi

ARP_PY=$TOP/selftests/lib/arp.py
# Service addresses, one per scenario (the same on node1 and node2 only in
# failover), and one that nobody announces.
SVC_REQ=10.0.193.10
SVC_PROBE=10.0.193.11
SVC_BURST=10.0.193.12
SVC_REFRESH=10.0.193.13
SVC_LEASE=10.0.193.14
SVC_LINK=10.0.193.15
SVC_FAIL=10.0.193.20
SVC_BAD=10.0.193.30
SVC_LO=10.0.193.31
SVC_MON=10.0.193.40
SVC_END=10.0.193.50
SVC_SENTINEL=10.0.193.250
NOBODY=10.0.193.99
# A new pod of node1's, for the route that appears while pods are on.
TT_N1P3=10.0.208.12
# Deadlines in seconds: a helper to start (python3 takes seconds on the
# debug kernel), a state change or an event to show.
START_DEADLINE=60
STATE_DEADLINE=10
# How long arp.py ask waits for answers, and for a "no answer".
ASK_TIMEOUT=1
# A capture ends this long after its last frame (4 times the bursts'
# longest garp-interval here, 500 ms), or after the deadline.
QUIET=2
CAPTURE_DEADLINE=60
out=

[ -x "$CLNETCTL" ] || bail "$CLNETCTL not built: run make"
command -v python3 >/dev/null ||
	bail "python3 (selftests/lib/arp.py) is not installed: apt-get install python3"
load_module || bail "insmod $CLNET_KO failed"
on_exit unload_module
work=$(mktemp -d)
on_exit rm -rf "$work"

# Every exec costs a good fraction of a second under TCG, python3 more:
# the helpers parse in bash where that is easy.

# arp NETNS ARGS...: selftests/lib/arp.py ARGS in NETNS (-I -S: no site
# packages, a quicker start).
arp() {
	local ns=$1
	shift
	in_ns "$ns" python3 -I -S "$ARP_PY" "$@"
}

# mac_of NETNS DEV
mac_of() {
	local l
	l=$(ip -n "$1" -br link show dev "$2") || return 1
	set -- $l
	echo "$3"
}

# Raconteur's requests go through one arp.py serve, started once: python3
# costs its start-up once, not at every request. It reads a command a
# line from a fifo and ends each answer with "end RC".
arpd_start() {
	local in=$work/arpd.in out=$work/arpd.out
	mkfifo "$in" "$out" || return 1
	in_ns tt-rac python3 -I -S "$ARP_PY" serve <"$in" >"$out" 2>&1 &
	on_exit kill $!
	# In the order the server opens them, so that neither open waits.
	exec {arpd_w}>"$in"
	exec {arpd_r}<"$out"
}

# arpd ARGS...: one arp.py command in raconteur; its output and status.
arpd() {
	local line
	echo "$*" >&"$arpd_w" || return 2
	while read -r -t $START_DEADLINE line <&"$arpd_r"; do
		case $line in
		"end "*) return "${line#end }" ;;
		esac
		printf '%s\n' "$line"
	done
	echo "arp.py serve did not answer"
	return 2
}

# ask ADDR [ARP-OPTION...]: raconteur asks for ADDR on its eth0.
ask() {
	arpd ask eth0 "$1" --timeout $ASK_TIMEOUT "${@:2}"
}

# answered_by ADDR MAC [ARP-OPTION...]: raconteur's request for ADDR gets
# exactly one answer, "ADDR is-at MAC" from MAC, unicast to raconteur
# (target MAC and IP raconteur's; with --probe, target IP 0.0.0.0).
answered_by() {
	local addr=$1 mac=$2 out tip=$TT_RAC
	shift 2
	[[ " $* " == *" --probe "* ]] && tip=0.0.0.0
	out=$(ask "$addr" "$@")
	printf '%s\n' "$out"
	[[ $out == *$'\n'"replies 1" ]] &&
		[[ $out == "reply $addr is-at $mac from $mac to $RAC_MAC tip $tip tha $RAC_MAC latency_us "* ]]
}

# unanswered ADDR [ARP-OPTION...]: nothing answers raconteur's request.
unanswered() {
	local out
	out=$(ask "$@")
	printf '%s\n' "$out"
	[ "$out" = "replies 0" ]
}

# ann NETNS ADDR DEV: the entry's line of announce show ("ADDR dev DEV
# STATE [REASON] {lease L left L|static} garp N/I [refresh R] replies N
# garps N failed N [last-garp T]").
ann() {
	ctl -n "$1" announce show "$2" dev "$3"
}

# ann_val NETNS ADDR DEV KEY: the word after KEY in the entry's line.
ann_val() {
	word_after "$(ann "$1" "$2" "$3")" "$4"
}

# ann_state NETNS ADDR DEV: the state word, and the reason if shown.
ann_state() {
	local l
	l=$(ann "$1" "$2" "$3") || return 1
	set -- $l
	case $5 in
	link-down|no-carrier|lease-expired|deleted|device-gone) echo "$4 $5" ;;
	*) echo "$4" ;;
	esac
}

# state_is NETNS ADDR DEV STATE...: the entry is in that state (and reason).
state_is() {
	[ "$(ann_state "$1" "$2" "$3")" = "${*:4}" ]
}

# val_is NETNS ADDR DEV KEY VALUE
val_is() {
	[ "$(ann_val "$1" "$2" "$3" "$4")" = "$5" ]
}

# refused ERRNO-TEXT MESSAGE CMD...: CMD exits 1 saying exactly "Error:
# MESSAGE", optionally naming the attribute the kernel pointed at.
refused() {
	local msg=$1 out rc re
	shift
	out=$("$@" 2>&1)
	rc=$?
	printf '%s\n' "$out"
	re=${msg//./\\.}
	re=${re//(/\\(}
	re=${re//)/\\)}
	re="^Error: $re( \(attribute [A-Z_]+\))?\$"
	[ $rc = 1 ] && [ "$(grep -c . <<<"$out")" = 1 ] && grep -Eq -- "$re" <<<"$out"
}

# same_text WANT GOT: prints both unless they are the same.
same_text() {
	[ "$1" = "$2" ] && return
	printf 'wanted:\n%s\ngot:\n%s\n' "$1" "$2"
	return 1
}

# ---- captures and the monitor ----

# capture_start NAME NETNS DEV [ARP-OPTION...]: arp.py capture in the
# background into $work/NAME.cap, returning once it listens. It ends
# $QUIET s after the last frame it took (--quiet), or after
# $CAPTURE_DEADLINE s; a capture that must see a frame never ends sooner
# on a slow machine than on a quick one.
capture_start() {
	local name=$1 ns=$2 dev=$3
	shift 3
	arp "$ns" capture "$dev" --for $CAPTURE_DEADLINE --quiet $QUIET "$@" >"$work/$name.cap" 2>&1 &
	eval "cap_pid_$name=$!"
	wait_until $START_DEADLINE grep -qx listening "$work/$name.cap" || {
		echo "capture $name did not start:"
		cat "$work/$name.cap"
		return 1
	}
}

# capture_end NAME: wait for the capture to end by itself (not in a
# subshell: wait needs the shell that started it).
capture_end() {
	local pid
	eval "pid=\$cap_pid_$1"
	wait "$pid"
}

# captured NAME: the frames of an ended capture.
captured() {
	grep '^t ' "$work/$1.cap"
}

# garp_check CAPTURE ADDR MAC N INTERVAL_MS: the frames of CAPTURE are
# exactly N GARPs for ADDR from MAC, each as a broadcast request and a
# broadcast reply; the gaps between the GARPs (their requests) are 0.5 to
# 5 times INTERVAL_MS. Prints the gaps.
garp_check() {
	local frames=$1 addr=$2 mac=$3 n=$4 iv=$5 line t prev='' gaps='' req=0 rep=0 bad=0
	local zero=00:00:00:00:00:00 bcast=ff:ff:ff:ff:ff:ff
	while read -r line; do
		[ -n "$line" ] || continue
		set -- $line
		case $line in
		"t $2 in op 1 sip $addr tip $addr sha $mac tha $zero src $mac dst $bcast")
			req=$((req + 1))
			# Milliseconds from the seconds with 6 decimals.
			t=${2/./}
			t=$((10#$t / 1000))
			if [ -n "$prev" ]; then
				gaps="$gaps $((t - prev))"
				if [ $((t - prev)) -lt $((iv / 2)) ] || [ $((t - prev)) -ge $((iv * 5)) ]; then
					bad=1
				fi
			fi
			prev=$t
			;;
		"t $2 in op 2 sip $addr tip $addr sha $mac tha $mac src $mac dst $bcast")
			rep=$((rep + 1)) ;;
		*)
			echo "unexpected frame: $line"
			bad=1 ;;
		esac
	done <<<"$frames"
	echo "requests $req replies $rep gaps(ms)$gaps"
	[ $req = "$n" ] && [ $rep = "$n" ] && [ $bad = 0 ]
}

# Events from node1's monitor (JSON, one object a line).
MON=$work/monitor.json

# mon_has REGEX: a line of the monitor's output matches (polled: an event
# reaches the file a moment after the kernel sent it).
mon_has() {
	wait_until $STATE_DEADLINE grep -Eq -- "$1" "$MON" || {
		echo "no event matching /$1/ in:"
		cat "$MON"
		return 1
	}
}

# ev_re EVENT ADDR DEV [REASON]: a regex for a JSON announce event.
ev_re() {
	local re="\"event\":\"$1\",\"addr\":\"${2//./\\.}\",\"dev\":\"$3\""
	[ -n "${4:-}" ] && re="$re.*\"reason\":\"$4\""
	echo "$re"
}

# in_order FILE RE1 RE2: the first line matching RE1 comes before the
# first matching RE2.
in_order() {
	local n1 n2
	n1=$(grep -nE -m 1 -- "$2" "$1" | cut -d: -f1)
	n2=$(grep -nE -m 1 -- "$3" "$1" | cut -d: -f1)
	[ -n "$n1" ] && [ -n "$n2" ] && [ "$n1" -lt "$n2" ]
}

# monitor_start FILE NETNS json|text [PREFIX...]: clnetctl monitor (-j
# for json) in NETNS, run through PREFIX (e.g. setpriv), into FILE;
# returns once it has reported an entry added for the purpose (deleted
# again: the monitor says nothing when it has joined the group, and an
# event sent before it did is not seen, so add and delete until it
# reports one).
monitor_start() {
	local file=$1 ns=$2 fmt=$3 opt=() seen deadline
	shift 3
	if [ "$fmt" = json ]; then
		opt=(-j)
		seen="\"announce-up\",\"addr\":\"$SVC_SENTINEL\""
	else
		seen=" announce up $SVC_SENTINEL dev $MON_DEV\$"
	fi
	in_ns "$ns" "$@" "$CLNETCTL" "${opt[@]}" monitor >"$file" 2>&1 &
	on_exit kill $!
	deadline=$(($(date +%s) + START_DEADLINE))
	while :; do
		ctl -n "$ns" announce add $SVC_SENTINEL dev "$MON_DEV" garp-count 0 >/dev/null 2>&1
		wait_until 1 grep -q "$seen" "$file" && break
		ctl -n "$ns" announce del $SVC_SENTINEL dev "$MON_DEV" >/dev/null 2>&1
		[ "$(date +%s)" -lt "$deadline" ] || { cat "$file"; return 1; }
	done
	ctl -n "$ns" announce del $SVC_SENTINEL dev "$MON_DEV"
}
MON_DEV=enp3s0

# ---- scenarios ----

# A request for an announced address: one reply, unicast, from enp3s0's
# MAC; counted. A request sent to enp3s0's MAC is answered too.
request_answered() {
	check "announce add $SVC_REQ dev enp3s0 (static, no GARP)" \
		ctl -n tt-node1 announce add $SVC_REQ dev enp3s0 garp-count 0
	check_output "... show: active, static" 0 "^$SVC_REQ dev enp3s0 active static garp 0/500ms replies 0 garps 0 failed 0$" \
		ann tt-node1 $SVC_REQ enp3s0
	check "raconteur's request answered once, unicast to it, from enp3s0's MAC" \
		answered_by $SVC_REQ "$N1_MAC"
	check "... show counts it (replies 1)" val_is tt-node1 $SVC_REQ enp3s0 replies 1
	check "a request sent to enp3s0's MAC is answered too" \
		answered_by $SVC_REQ "$N1_MAC" --unicast "$N1_MAC"
	check "... (replies 2)" val_is tt-node1 $SVC_REQ enp3s0 replies 2
	check_output "... show -j" 0 "^\\{\"entries\":\\[\\{\"addr\":\"$SVC_REQ\",\"dev\":\"enp3s0\",\"ifindex\":[0-9]+,\"state\":\"active\",\"garp_count\":0,\"garp_interval_ms\":500,\"replies\":2,\"garps\":0,\"garp_failed\":0\\}\\],\"pods\":\\[\\]\\}$" \
		ctl -n tt-node1 -j announce show
	check "announce del $SVC_REQ dev enp3s0" ctl -n tt-node1 announce del $SVC_REQ dev enp3s0
	check "... then it is not answered" unanswered $SVC_REQ
	check "... and show has no entries" test -z "$(ctl -n tt-node1 announce show)"
}

# An address probe (sender IP 0.0.0.0, as RFC 5227 duplicate detection
# sends) is answered as the kernel answers one: to the asker's MAC, target
# IP 0.0.0.0.
probe_answered() {
	ctl -n tt-node1 announce add $SVC_PROBE dev enp3s0 garp-count 0
	check "a probe from 0.0.0.0 is answered once: unicast, target IP 0.0.0.0" \
		answered_by $SVC_PROBE "$N1_MAC" --probe
	check "... counted (replies 1)" val_is tt-node1 $SVC_PROBE enp3s0 replies 1
	# The kernel answers a probe for its own address the same way.
	check "... as the kernel answers one for node1's own address" \
		answered_by $TT_NODE1 "$N1_MAC" --probe
	ctl -n tt-node1 announce del $SVC_PROBE dev enp3s0
}

# What is not answered: an address nobody announced, an ARP reply for an
# announced one; a deleted entry (in request_answered).
not_answered() {
	local r0
	ctl -n tt-node1 announce add $SVC_REQ dev enp3s0 garp-count 0
	check "a request for $NOBODY (announced nowhere) is not answered" unanswered $NOBODY
	r0=$(ann_val tt-node1 $SVC_REQ enp3s0 replies)
	check_output "an ARP reply addressed to $SVC_REQ (announced) is not answered" 1 \
		"^replies 0$" arpd reply eth0 $SVC_REQ --timeout $ASK_TIMEOUT
	check "... nor counted (replies $r0)" val_is tt-node1 $SVC_REQ enp3s0 replies "$r0"
	check "a request for it still is" answered_by $SVC_REQ "$N1_MAC"
	ctl -n tt-node1 announce del $SVC_REQ dev enp3s0
}

# Addresses local to node1 (enp3s0's own, and one on its lo) are answered
# by the kernel, and by nothing else, even when announced.
local_address() {
	ip -n tt-node1 addr add $SVC_LO/32 dev lo
	check "announce add node1's own address $TT_NODE1 dev enp3s0" \
		ctl -n tt-node1 announce add $TT_NODE1 dev enp3s0 garp-count 0
	check "... answered exactly once (by the kernel)" answered_by $TT_NODE1 "$N1_MAC"
	check "... the entry did not answer (replies 0)" val_is tt-node1 $TT_NODE1 enp3s0 replies 0
	check "announce add $SVC_LO (on node1's lo) dev enp3s0" \
		ctl -n tt-node1 announce add $SVC_LO dev enp3s0 garp-count 0
	check "... answered exactly once (by the kernel)" answered_by $SVC_LO "$N1_MAC"
	check "... the entry did not answer (replies 0)" val_is tt-node1 $SVC_LO enp3s0 replies 0
	ctl -n tt-node1 announce del $TT_NODE1 dev enp3s0
	ctl -n tt-node1 announce del $SVC_LO dev enp3s0
	ip -n tt-node1 addr del $SVC_LO/32 dev lo
}

# The burst an add sends, as raconteur receives it: garp-count GARPs,
# garp-interval apart, each a broadcast request and a broadcast reply.
garp_burst() {
	local frames
	capture_start burst tt-rac eth0 --addr $SVC_BURST || { check "capture burst" false; return; }
	check "announce add $SVC_BURST dev enp3s0 garp-count 4 garp-interval 100ms" \
		ctl -n tt-node1 announce add $SVC_BURST dev enp3s0 garp-count 4 garp-interval 100ms
	capture_end burst
	frames=$(captured burst)
	check "raconteur got 4 GARPs (8 frames: request and reply forms) from enp3s0's MAC, 50-500 ms apart" \
		garp_check "$frames" $SVC_BURST "$N1_MAC" 4 100
	check "... show: garps 8 failed 0, a last-garp time" \
		sh -c "'$CLNETCTL' -n tt-node1 announce show $SVC_BURST dev enp3s0 |
			grep -Eq ' garp 4/100ms replies 0 garps 8 failed 0 last-garp [0-9.]+m?s$'"
	check "... and it is answered" answered_by $SVC_BURST "$N1_MAC"
	ctl -n tt-node1 announce del $SVC_BURST dev enp3s0
}

# refresh: after the burst, one GARP (both forms) every refresh.
garp_refresh() {
	local frames
	# Refreshes go on: the capture stops at 3 GARPs (6 frames).
	capture_start refresh tt-rac eth0 --addr $SVC_REFRESH --count 6 ||
		{ check "capture refresh" false; return; }
	check "announce add $SVC_REFRESH dev enp3s0 garp-count 1 refresh 1s" \
		ctl -n tt-node1 announce add $SVC_REFRESH dev enp3s0 garp-count 1 refresh 1s
	capture_end refresh
	frames=$(captured refresh)
	check "... raconteur got the burst's GARP and two refreshes, 0.5-5 s apart" \
		garp_check "$frames" $SVC_REFRESH "$N1_MAC" 3 1000
	check_output "... show says refresh 1s" 0 " garp 1/500ms refresh 1s replies " \
		ann tt-node1 $SVC_REFRESH enp3s0
	ctl -n tt-node1 announce del $SVC_REFRESH dev enp3s0
}

# An uplink without an IPv4 address answers and sends GARPs (a side
# topology: an-up0 with up0 and no address, an-host with eth0).
no_ipv4_uplink() {
	local mac frames
	netns_add an-up0 an-host &&
	ip -n an-up0 link add up0 type veth peer name eth0 netns an-host &&
	ip -n an-up0 link set up0 up &&
	ip -n an-host addr add 10.0.194.5/24 dev eth0 &&
	ip -n an-host link set eth0 up || { check "side topology for no_ipv4_uplink" false; return; }
	mac=$(mac_of an-up0 up0)
	capture_start noaddr an-host eth0 --addr 10.0.194.10 || { check "capture noaddr" false; return; }
	check "announce add 10.0.194.10 dev up0 (up0 has no IPv4 address)" \
		ctl -n an-up0 announce add 10.0.194.10 dev up0 garp-count 2 garp-interval 100ms
	capture_end noaddr
	frames=$(captured noaddr)
	check "... its 2 GARPs went out" garp_check "$frames" 10.0.194.10 "$mac" 2 100
	check_output "... a request for it is answered, from up0's MAC" 0 \
		"^reply 10\.0\.194\.10 is-at $mac from $mac to " \
		arp an-host ask eth0 10.0.194.10 --timeout $ASK_TIMEOUT
	ip netns del an-up0
	ip netns del an-host
}

# ctl_batch NETNS LINE...: the lines as one clnetctl -b run, so that
# nothing runs between them (a slow machine could otherwise run past an
# 800 ms lease between two commands).
ctl_batch() {
	printf '%s\n' "${@:2}" | ctl -n "$1" -b -
}

# A lease: answered while renewed, not once it lapsed (expired, with
# events); a renew brings it back with a burst. The renew that keeps it is
# for a minute, so that the asking cannot outlast it on a slow machine;
# the lease that lapses is 800 ms.
lease() {
	local frames ups show="announce show $SVC_LEASE dev enp3s0"
	check_output "announce add $SVC_LEASE dev enp3s0 lease 800ms: at once active, 800ms, time left" 0 \
		"^$SVC_LEASE dev enp3s0 active lease 800ms left [0-9]+ms garp 1/500ms replies 0 garps " \
		ctl_batch tt-node1 "announce add $SVC_LEASE dev enp3s0 lease 800ms garp-count 1" "$show"
	check "... event announce-up" mon_has "$(ev_re announce-up $SVC_LEASE enp3s0)"
	check_output "renew lease 1m: at once active, lease 1m, more than 800 ms left" 0 \
		"^$SVC_LEASE dev enp3s0 active lease 1m left ([1-9][0-9](\.[0-9])?s|1m) garp " \
		ctl_batch tt-node1 "announce renew $SVC_LEASE dev enp3s0 lease 1m" "$show"
	check "... answered while renewed" answered_by $SVC_LEASE "$N1_MAC"
	check "renew lease 800ms, then no more renews" \
		ctl -n tt-node1 announce renew $SVC_LEASE dev enp3s0 lease 800ms
	check "... expired within ${STATE_DEADLINE}s" \
		wait_until $STATE_DEADLINE state_is tt-node1 $SVC_LEASE enp3s0 expired
	check_output "... show: expired, left 0" 0 "^$SVC_LEASE dev enp3s0 expired lease 800ms left 0 garp " \
		ann tt-node1 $SVC_LEASE enp3s0
	check "... not answered" unanswered $SVC_LEASE
	check "... event announce-down, reason lease-expired" \
		mon_has "$(ev_re announce-down $SVC_LEASE enp3s0 lease-expired)"
	check "... event announce-expire" mon_has "$(ev_re announce-expire $SVC_LEASE enp3s0)"
	check "... which came after the announce-down" in_order "$MON" \
		"$(ev_re announce-down $SVC_LEASE enp3s0)" "$(ev_re announce-expire $SVC_LEASE enp3s0)"
	ups=$(grep -c "$(ev_re announce-up $SVC_LEASE enp3s0)" "$MON")
	capture_start renew tt-rac eth0 --addr $SVC_LEASE || { check "capture renew" false; return; }
	check "announce renew $SVC_LEASE dev enp3s0 lease 1m (it is expired)" \
		ctl -n tt-node1 announce renew $SVC_LEASE dev enp3s0 lease 1m
	capture_end renew
	frames=$(captured renew)
	check "... a burst again (1 GARP)" garp_check "$frames" $SVC_LEASE "$N1_MAC" 1 500
	check_output "... active again" 0 "^$SVC_LEASE dev enp3s0 active lease 1m " \
		ann tt-node1 $SVC_LEASE enp3s0
	check "... answered" answered_by $SVC_LEASE "$N1_MAC"
	check "... event announce-up again" wait_until $STATE_DEADLINE \
		test "$(grep -c "$(ev_re announce-up $SVC_LEASE enp3s0)" "$MON")" -gt "$ups"
	ctl -n tt-node1 announce del $SVC_LEASE dev enp3s0
}

# node1_routes_back: the routes an administrative down of enp3s0 removed.
node1_routes_back() {
	[ -n "$(ip -n tt-node1 route show 10.0.209.0/24)" ] ||
		ctl -n tt-node1 addroute 10.0.209.0/24 via $TT_NODE2
}

# link_back MIN WHAT CMD...: CMD brings the link back; the entry is active
# again with a burst of 4 GARPs (8 frames counted), at least MIN of them
# reaching raconteur, well-formed and spaced; an announce-up event;
# answered.
link_back() {
	local min=$1 what=$2 frames ups g0 n
	shift 2
	ups=$(grep -c "$(ev_re announce-up $SVC_LINK enp3s0)" "$MON")
	g0=$(ann_val tt-node1 $SVC_LINK enp3s0 garps)
	capture_start linkup tt-rac eth0 --addr $SVC_LINK || { check "capture linkup" false; return; }
	check "$what" "$@"
	check "... active again" wait_until $STATE_DEADLINE state_is tt-node1 $SVC_LINK enp3s0 active
	capture_end linkup
	frames=$(captured linkup)
	n=$(grep -c ' op 1 ' <<<"$frames")
	check "... a burst: 8 frames sent (garps $g0 + 8)" \
		wait_until $STATE_DEADLINE val_is tt-node1 $SVC_LINK enp3s0 garps $((g0 + 8))
	check "... $n of its 4 GARPs reached raconteur (at least $min), well-formed, spaced" \
		sh -c "[ $n -ge $min ] && [ $n -le 4 ]"
	[ "$n" -ge 1 ] && check "... (their form and spacing)" \
		garp_check "$frames" $SVC_LINK "$N1_MAC" "$n" 500
	check "... event announce-up" wait_until $STATE_DEADLINE \
		test "$(grep -c "$(ev_re announce-up $SVC_LINK enp3s0)" "$MON")" -gt "$ups"
	check "... answered" answered_by $SVC_LINK "$N1_MAC"
}

# Link down and carrier loss make an entry inactive; back up, it is active
# with a burst. The default burst (4 GARPs 500 ms apart): after an
# administrative up, enp3s0 has its carrier (and sends) before the LAN
# bridge has seen its port come back (linkwatch, up to a second later),
# and the bridge drops what comes before, as a switch port still coming up
# would; the burst outlasts that, and at least the last GARP gets through.
# After carrier loss the bridge's port is up first: all 4 get through.
link_state() {
	local r0
	ctl -n tt-node1 announce add $SVC_LINK dev enp3s0
	r0=$(ann_val tt-node1 $SVC_LINK enp3s0 replies)
	check "ip link set enp3s0 down" ip -n tt-node1 link set enp3s0 down
	check "... inactive, link-down" wait_until $STATE_DEADLINE \
		state_is tt-node1 $SVC_LINK enp3s0 inactive link-down
	check "... event announce-down, reason link-down" \
		mon_has "$(ev_re announce-down $SVC_LINK enp3s0 link-down)"
	check "... not answered" unanswered $SVC_LINK
	check "... not counted" val_is tt-node1 $SVC_LINK enp3s0 replies "$r0"
	link_back 1 "ip link set enp3s0 up" ip -n tt-node1 link set enp3s0 up
	node1_routes_back

	check "the LAN's end of node1's link down: enp3s0 has no carrier" \
		ip -n tt-lan link set p-node1 down
	check "... inactive, no-carrier" wait_until $STATE_DEADLINE \
		state_is tt-node1 $SVC_LINK enp3s0 inactive no-carrier
	check "... event announce-down, reason no-carrier" \
		mon_has "$(ev_re announce-down $SVC_LINK enp3s0 no-carrier)"
	check "... not answered" unanswered $SVC_LINK
	check "renew of a static entry on a dead link is still refused" \
		refused "a static entry has no lease to renew" \
		ctl -n tt-node1 announce renew $SVC_LINK dev enp3s0
	link_back 4 "carrier back (the LAN's end up)" ip -n tt-lan link set p-node1 up
	ctl -n tt-node1 announce del $SVC_LINK dev enp3s0
}

# no_other_garps FRAMES ADDR...: no GARP in FRAMES (a capture's) is for
# another address than these.
no_other_garps() {
	local line f bad=0 addrs=" ${*:2} "
	while read -r -a f; do
		# t T DIR op N sip S tip T ...: a GARP has S = T.
		[ ${#f[@]} -gt 9 ] && [ "${f[6]}" = "${f[8]}" ] || continue
		[[ $addrs == *" ${f[6]} "* ]] && continue
		echo "a GARP for another address: ${f[*]}"
		bad=1
	done <<<"$1"
	return $bad
}

# Pod announcements: node1 answers on enp3s0 for its local pods, never for
# node2's (routed over the LAN); a burst when they are switched on and
# when a new pod route appears.
pods() {
	local frames line
	capture_start podson tt-rac eth0 || { check "capture podson" false; return; }
	check "announce pods dev enp3s0 on garp-count 1 garp-interval 50ms (node1)" \
		ctl -n tt-node1 announce pods dev enp3s0 on garp-count 1 garp-interval 50ms
	capture_end podson
	frames=$(captured podson)
	check "... a GARP for each of node1's pods ($TT_N1P1, $TT_N1P2)" \
		garp_check "$(grep " sip $TT_N1P1 " <<<"$frames")" $TT_N1P1 "$N1_MAC" 1 50
	check "... ($TT_N1P2)" garp_check "$(grep " sip $TT_N1P2 " <<<"$frames")" $TT_N1P2 "$N1_MAC" 1 50
	check "... and for nothing else" no_other_garps "$frames" $TT_N1P1 $TT_N1P2
	check_output "... show lists the device" 0 "^pods dev enp3s0 garp 1/50ms replies 0 garps 4 failed 0$" \
		ctl -n tt-node1 announce show
	check "pods on on node2 too" ctl -n tt-node2 announce pods dev enp3s0 on garp-count 0
	check "$TT_N1P1 (node1's pod) answered once, by node1" answered_by $TT_N1P1 "$N1_MAC"
	check "$TT_N2P1 (node2's pod, routed by node1 over the LAN) answered once, by node2" \
		answered_by $TT_N2P1 "$N2_MAC"
	check "pods off on node2" ctl -n tt-node2 announce pods dev enp3s0 off
	check "$TT_N2P1 is then not answered (node1 routes it elsewhere)" unanswered $TT_N2P1
	check "10.0.208.99 (no pod) is not answered" unanswered 10.0.208.99
	check "... node1's counter (replies 1)" sh -c \
		"'$CLNETCTL' -n tt-node1 announce show | grep -q '^pods dev enp3s0 .* replies 1 '"

	capture_start newpod tt-rac eth0 --addr $TT_N1P3 || { check "capture newpod" false; return; }
	check "a new pod on node1, its route $TT_N1P3/32 dev lxc3" tt_pod tt-node1 tt-n1p3 lxc3 $TT_N1P3
	capture_end newpod
	frames=$(captured newpod)
	check "... a GARP for it" garp_check "$frames" $TT_N1P3 "$N1_MAC" 1 50
	check "... answered" answered_by $TT_N1P3 "$N1_MAC"
	ctl -n tt-node1 link del lxc3
	ip netns del tt-n1p3

	check "announce pods dev enp3s0 off (node1)" ctl -n tt-node1 announce pods dev enp3s0 off
	check "... $TT_N1P1 not answered" unanswered $TT_N1P1
	check "... show has no pods line" test -z "$(ctl -n tt-node1 announce show)"
}

# A VLAN device on an uplink, and a bridge as uplink, each in a side
# topology: answered there, from that device's MAC.
vlan_bridge() {
	local mac
	netns_add an-vnode an-vhost &&
	ip -n an-vnode link add up0 type veth peer name eth0 netns an-vhost &&
	ip -n an-vnode link add link up0 name up0.100 type vlan id 100 &&
	ip -n an-vhost link add link eth0 name eth0.100 type vlan id 100 &&
	ip -n an-vhost addr add 10.0.195.5/24 dev eth0.100 &&
	ip -n an-vhost addr add 10.0.196.5/24 dev eth0 &&
	ip -n an-vnode link set up0 up && ip -n an-vnode link set up0.100 up &&
	ip -n an-vhost link set eth0 up && ip -n an-vhost link set eth0.100 up ||
		{ check "side topology for the VLAN" false; return; }
	mac=$(mac_of an-vnode up0.100)
	check "announce add 10.0.195.10 dev up0.100 (a VLAN device)" \
		ctl -n an-vnode announce add 10.0.195.10 dev up0.100 garp-count 0
	check_output "... asked on VLAN 100: answered once, from up0.100's MAC, tagged" 0 \
		"^reply 10\.0\.195\.10 is-at $mac from $mac to [0-9a-f:]+ tip 10\.0\.195\.5 .*"$'\n'"replies 1$" \
		arp an-vhost ask eth0.100 10.0.195.10 --timeout $ASK_TIMEOUT
	check_output "... asked untagged: not answered" 1 "^replies 0$" \
		arp an-vhost ask eth0 10.0.195.10 --sender 10.0.196.5 --timeout $ASK_TIMEOUT
	ip netns del an-vnode
	ip netns del an-vhost

	netns_add an-bnode an-bhost &&
	ip -n an-bnode link add br0 type bridge &&
	ip -n an-bnode link add bp0 type veth peer name eth0 netns an-bhost &&
	ip -n an-bnode link set bp0 master br0 &&
	ip -n an-bnode link set bp0 up && ip -n an-bnode link set br0 up &&
	ip -n an-bhost addr add 10.0.196.5/24 dev eth0 &&
	ip -n an-bhost link set eth0 up || { check "side topology for the bridge" false; return; }
	mac=$(mac_of an-bnode br0)
	check "announce add 10.0.196.10 dev br0 (a bridge)" \
		ctl -n an-bnode announce add 10.0.196.10 dev br0 garp-count 0
	check_output "... a request through its port: answered once, from br0's MAC" 0 \
		"^reply 10\.0\.196\.10 is-at $mac from $mac to [0-9a-f:]+ tip 10\.0\.196\.5 .*"$'\n'"replies 1$" \
		arp an-bhost ask eth0 10.0.196.10 --timeout $ASK_TIMEOUT
	check "announce add on bp0 (a port of br0): refused" \
		refused "a bridge port cannot announce: use its bridge" \
		ctl -n an-bnode announce add 10.0.196.11 dev bp0
	ip netns del an-bnode
	ip netns del an-bhost
}

# svc_counters_up NETNS: an nft counter of the packets to $SVC_FAIL that
# reach NETNS (dropped there: nothing answers them).
svc_counters_up() {
	in_ns "$1" nft -f - <<-EOF
	table ip svc {
		chain pre {
			type filter hook prerouting priority -300; policy accept;
			ip daddr $SVC_FAIL counter drop
		}
	}
	EOF
}

# svc_count NETNS: packets the counter saw.
svc_count() {
	word_after "$(in_ns "$1" nft list chain ip svc pre)" packets
}

# rac_neigh: the MAC of raconteur's neighbour entry for $SVC_FAIL.
rac_neigh() {
	word_after "$(ip -n tt-rac neigh show $SVC_FAIL dev eth0)" lladdr
}

# rac_sends N: raconteur sends N echo requests to $SVC_FAIL (no answer).
rac_sends() {
	in_ns tt-rac ping -c "$1" -i 0.2 -W 0.3 $SVC_FAIL >/dev/null 2>&1
	true
}

# neigh_is MAC: raconteur's entry for $SVC_FAIL has MAC.
neigh_is() {
	[ "$(rac_neigh)" = "$1" ]
}

# Failover: node1's lease lapses, node2 takes the address; raconteur's
# neighbour entry and its traffic move to node2. node1 holds the address
# with a lease of a minute while raconteur's traffic goes to it (a slow
# machine cannot outlast that), then renews it for 500 ms, the last renew.
failover() {
	local a1 a2 t0 t1
	svc_counters_up tt-node1 && svc_counters_up tt-node2 ||
		{ check "nft counters for $SVC_FAIL" false; return; }
	check "node1: announce add $SVC_FAIL dev enp3s0 lease 1m" \
		ctl -n tt-node1 announce add $SVC_FAIL dev enp3s0 lease 1m garp-count 1
	a1=$(svc_count tt-node1)
	rac_sends 2
	check "raconteur's traffic to $SVC_FAIL reaches node1" test "$(svc_count tt-node1)" -ge $((a1 + 2))
	check "... its neighbour entry has node1's MAC" neigh_is "$N1_MAC"
	check "node1: renew lease 500ms, its last" \
		ctl -n tt-node1 announce renew $SVC_FAIL dev enp3s0 lease 500ms
	check "... expired" \
		wait_until $STATE_DEADLINE state_is tt-node1 $SVC_FAIL enp3s0 expired
	t0=$(date +%s%N)
	check "node2: announce add $SVC_FAIL dev enp3s0 (default burst: 4 GARPs 500 ms apart)" \
		ctl -n tt-node2 announce add $SVC_FAIL dev enp3s0
	check "raconteur's neighbour entry moves to node2's MAC within 5 s" \
		wait_until 5 neigh_is "$N2_MAC"
	t1=$(date +%s%N)
	echo "# failover: raconteur's entry moved $(((t1 - t0) / 1000000)) ms after node2's add"
	a1=$(svc_count tt-node1)
	a2=$(svc_count tt-node2)
	rac_sends 2
	check "... its traffic reaches node2" test "$(svc_count tt-node2)" -ge $((a2 + 2))
	check "... and no longer node1" test "$(svc_count tt-node1)" = "$a1"
	ctl -n tt-node1 announce del $SVC_FAIL dev enp3s0
	ctl -n tt-node2 announce del $SVC_FAIL dev enp3s0
	in_ns tt-node1 nft delete table ip svc
	in_ns tt-node2 nft delete table ip svc
}

# many_addr I: the I-th of the 10 000 addresses (10.0.128.0 onwards).
many_addr() {
	echo "10.0.$((128 + $1 / 256)).$(($1 % 256))"
}

# 10 000 entries by one batch: answered, listed, removed by a batch.
many_entries() {
	local add=$work/many-add del=$work/many-del one
	awk 'BEGIN { for (i = 0; i < 10000; i++)
		printf "announce add 10.0.%d.%d dev enp3s0 garp-count 0\n", 128 + int(i / 256), i % 256 }' >"$add"
	sed 's/^announce add \([0-9.]*\) dev enp3s0 .*/announce del \1 dev enp3s0/' "$add" >"$del"
	one=$(many_addr 5678)
	check "clnetctl -b: 10 000 announce add" ctl -n tt-node1 -b "$add"
	check_output "... show lists 10 000 entries" 0 "^10000$" \
		sh -c "'$CLNETCTL' -n tt-node1 announce show dev enp3s0 | grep -c ' dev enp3s0 active static '"
	check "... one of them ($one) is answered" answered_by "$one" "$N1_MAC"
	check "... $NOBODY still is not" unanswered $NOBODY
	check "clnetctl -b: 10 000 announce del" ctl -n tt-node1 -b "$del"
	check "... show is empty" test -z "$(ctl -n tt-node1 announce show)"
}

# Every refusal of common.md, with its exit status and exact message;
# show is unchanged afterwards.
bad_input() {
	local before a c=(ctl -n tt-node1 announce)
	"${c[@]}" add $SVC_BAD dev enp3s0 garp-count 0
	ip -n tt-node1 link add d0 type dummy
	ip -n tt-node1 link set d0 up
	ip -n tt-node1 link add v0 type veth peer name v1
	ip -n tt-node1 link set v0 up
	before=$(ctl -n tt-node1 announce show)
	for a in 0.0.0.0 0.1.2.3 127.0.0.1 127.255.0.9 224.0.0.1 239.1.2.3 240.0.0.1 \
		 254.1.2.3 255.255.255.255; do
		check "add $a: EINVAL, not a unicast address" \
			refused "not a unicast address" "${c[@]}" add $a dev enp3s0
	done
	check "add on nosuch0: no such device" refused "no such device" "${c[@]}" add $SVC_REQ dev nosuch0
	check "add on lo: not an Ethernet device that does ARP" \
		refused "not an Ethernet device that does ARP" "${c[@]}" add $SVC_REQ dev lo
	check "add on a dummy (NOARP): not an Ethernet device that does ARP" \
		refused "not an Ethernet device that does ARP" "${c[@]}" add $SVC_REQ dev d0
	ip -n tt-node1 link set v0 arp off
	check "add on a veth with arp off: the same" \
		refused "not an Ethernet device that does ARP" "${c[@]}" add $SVC_REQ dev v0
	ip -n tt-node1 link set v0 arp on
	# (/dev/net/tun appears when the tun module registers it.)
	modprobe -q tun 2>/dev/null
	if ip -n tt-node1 tuntap add mode tun name tun0 2>/dev/null; then
		check "add on a tun device (not Ethernet): the same" \
			refused "not an Ethernet device that does ARP" "${c[@]}" add $SVC_REQ dev tun0
		ip -n tt-node1 link del tun0
	else
		skip "add on a tun device" "no tun device in this kernel (modprobe tun)"
	fi
	check "add on lxc1 (a clnet primary end): a clnet pair end cannot announce" \
		refused "a clnet pair end cannot announce" "${c[@]}" add $SVC_REQ dev lxc1
	check "add on the pod's eth0 (a clnet peer end): the same" \
		refused "a clnet pair end cannot announce" ctl -n tt-n1p1 announce add $SVC_REQ dev eth0
	check "add $SVC_BAD again: already announced on this device" \
		refused "already announced on this device" "${c[@]}" add $SVC_BAD dev enp3s0
	check "renew $NOBODY: not announced on this device" \
		refused "not announced on this device" "${c[@]}" renew $NOBODY dev enp3s0
	check "del $NOBODY: the same" refused "not announced on this device" "${c[@]}" del $NOBODY dev enp3s0
	check "show $NOBODY dev enp3s0: the same" \
		refused "not announced on this device" "${c[@]}" show $NOBODY dev enp3s0
	check "del $SVC_BAD on another device (v0): the same" \
		refused "not announced on this device" "${c[@]}" del $SVC_BAD dev v0
	check "renew $SVC_BAD (static): a static entry has no lease to renew" \
		refused "a static entry has no lease to renew" "${c[@]}" renew $SVC_BAD dev enp3s0
	local L="lease must be 100 ms to 24 h" G="garp-count must be 0 to 100"
	local I="garp-interval must be 10 ms to 60 s" R="refresh must be 0 (off) or 1 s to 24 h"
	check "lease 99ms: $L" refused "$L" "${c[@]}" add $SVC_REQ dev enp3s0 lease 99ms
	check "lease 24h1ms: the same" refused "$L" "${c[@]}" add $SVC_REQ dev enp3s0 lease 24h1ms
	check "garp-count 101: $G" refused "$G" "${c[@]}" add $SVC_REQ dev enp3s0 garp-count 101
	check "garp-interval 9ms: $I" refused "$I" "${c[@]}" add $SVC_REQ dev enp3s0 garp-interval 9ms
	check "garp-interval 60001ms: the same" \
		refused "$I" "${c[@]}" add $SVC_REQ dev enp3s0 garp-interval 60001ms
	check "refresh 999ms: $R" refused "$R" "${c[@]}" add $SVC_REQ dev enp3s0 refresh 999ms
	check "refresh 24h1ms: the same" refused "$R" "${c[@]}" add $SVC_REQ dev enp3s0 refresh 24h1ms
	check "renew lease 99ms: $L" refused "$L" "${c[@]}" renew $SVC_BAD dev enp3s0 lease 99ms
	check "pods garp-count 101: $G" refused "$G" "${c[@]}" pods dev enp3s0 on garp-count 101
	check_exit "lease 5 (a bare number): refused by clnetctl, usage error" 2 \
		"${c[@]}" add $SVC_REQ dev enp3s0 lease 5
	check "the edges are accepted: lease 100ms, garp-count 100, garp-interval 60s, refresh 24h" \
		"${c[@]}" add $SVC_REQ dev v0 lease 100ms garp-count 100 garp-interval 60s refresh 24h
	check "... lease 24h, garp-count 0, garp-interval 10ms, refresh 1s" \
		"${c[@]}" add $SVC_REQ dev enp3s0 lease 24h garp-count 0 garp-interval 10ms refresh 1s
	check "... the same address on two devices (v0, enp3s0): two entries" \
		test "$(ctl -n tt-node1 announce show | grep -c "^$SVC_REQ dev ")" = 2
	"${c[@]}" del $SVC_REQ dev v0
	"${c[@]}" del $SVC_REQ dev enp3s0
	check "an unprivileged user may show" \
		in_ns tt-node1 setpriv --reuid=65534 --regid=65534 --clear-groups "$CLNETCTL" announce show
	check "... but not add (Operation not permitted)" fails_saying 'Operation not permitted' \
		in_ns tt-node1 setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$CLNETCTL" announce add $SVC_REQ dev enp3s0
	check "... nor del" fails_saying 'Operation not permitted' \
		in_ns tt-node1 setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$CLNETCTL" announce del $SVC_BAD dev enp3s0
	check "... nor switch pods on" fails_saying 'Operation not permitted' \
		in_ns tt-node1 setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$CLNETCTL" announce pods dev enp3s0 on
	check "after all that, show is unchanged" same_text "$before" "$(ctl -n tt-node1 announce show)"
	"${c[@]}" del $SVC_BAD dev enp3s0
	# Whatever was accepted that should not have been.
	for a in 0.0.0.0 0.1.2.3 127.0.0.1 127.255.0.9 224.0.0.1 239.1.2.3 240.0.0.1 \
		 254.1.2.3 255.255.255.255 $SVC_REQ; do
		"${c[@]}" del $a dev enp3s0 2>/dev/null
	done
	ip -n tt-node1 link del d0
	ip -n tt-node1 link del v0
}

# The events: a pair created and deleted (link new, link del), a device
# with an entry deleted (device-gone); in text, and to a listener without
# privilege.
monitor_events() {
	local text=$work/monitor.txt nobody=$work/monitor-nobody.json
	check "an unprivileged monitor -j (nobody) in node1 listens" \
		monitor_start "$nobody" tt-node1 json setpriv --reuid=65534 --regid=65534 --clear-groups
	check "a text monitor in node1 listens" monitor_start "$text" tt-node1 text
	netns_add an-pod
	check "clnetctl link add lxc9 peer eth0 netns an-pod" \
		ctl -n tt-node1 link add lxc9 peer eth0 netns an-pod
	check "clnetctl link del lxc9" ctl -n tt-node1 link del lxc9
	check "node1's monitor: link-new lxc9, peer eth0" \
		mon_has '"event":"link-new".*"dev":"lxc9".*"peer":"eth0"'
	check "... then link-del lxc9" mon_has '"event":"link-del".*"dev":"lxc9"'
	check "the text monitor: a timestamped line, link new lxc9 peer eth0" \
		wait_until $STATE_DEADLINE grep -Eq \
		'^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}[+-][0-9]{2}:[0-9]{2} link new lxc9 peer eth0$' "$text"
	check "... link del lxc9" wait_until $STATE_DEADLINE grep -Eq ' link del lxc9$' "$text"
	check "... announce down (of the entry that proved it listening), reason deleted" \
		grep -Eq " announce down ${SVC_SENTINEL//./\\.} dev enp3s0 reason deleted$" "$text"
	check "the unprivileged listener got them too" wait_until $STATE_DEADLINE \
		grep -q '"event":"link-del".*"dev":"lxc9"' "$nobody"

	ip -n tt-node1 link add link enp3s0 name enp3s0.9 type vlan id 9 &&
	ip -n tt-node1 link set enp3s0.9 up
	check "announce add $SVC_MON dev enp3s0.9" \
		ctl -n tt-node1 announce add $SVC_MON dev enp3s0.9 garp-count 0
	check "ip link del enp3s0.9" ip -n tt-node1 link del enp3s0.9
	check "... event announce-down, reason device-gone" \
		mon_has "$(ev_re announce-down $SVC_MON enp3s0.9 device-gone)"
	check "... the unprivileged listener got it too" wait_until $STATE_DEADLINE \
		grep -Eq "$(ev_re announce-down $SVC_MON enp3s0.9 device-gone)" "$nobody"
	check "... the entry is gone" test -z "$(ctl -n tt-node1 announce show)"
	ip netns del an-pod
}

# The end: rmmod while entries are active, a long burst runs, leases tick
# and pods are on; then the module loads again and has nothing.
rmmod_busy() {
	ctl -n tt-node1 announce add $SVC_END dev enp3s0 garp-count 100 garp-interval 1s
	ctl -n tt-node1 announce add $SVC_LEASE dev enp3s0 lease 10s refresh 1s
	ctl -n tt-node2 announce add $SVC_END dev enp3s0 lease 1h garp-count 100 garp-interval 50ms
	ctl -n tt-node1 announce pods dev enp3s0 on
	check "[end] active entries, bursts running, leases ticking, pods on" \
		test "$(ctl -n tt-node1 announce show | grep -c ' active ')" = 2
	check "[end] rmmod clnet" unload_module
	check_fail "[end] clnet is unloaded" module_loaded
	check "[end] insmod again" load_module
	check "[end] ... no announcements left" test -z "$(ctl -n tt-node1 announce show)"
	check "[end] rmmod again" unload_module
}

scenarios=$(tests_selected "$@") || { echo "$scenarios"; exit 1; }
ctl version 2>/dev/null | grep -q '^features:.* announce' ||
	bail "$CLNET_KO has no ARP announcements (clnetctl version lists no announce feature)"
ctl version 2>/dev/null | grep -q '^features:.* events' ||
	bail "$CLNET_KO has no events (clnetctl version lists no events feature)"
tiles_up || bail "cannot build the tiles-test topology"
ip -n tt-rac route add 10.0.193.0/24 dev eth0 ||
	bail "cannot route 10.0.193.0/24 on-link in raconteur"
N1_MAC=$(mac_of tt-node1 enp3s0) && N2_MAC=$(mac_of tt-node2 enp3s0) &&
	RAC_MAC=$(mac_of tt-rac eth0) || bail "cannot read the MAC addresses"
monitor_start "$MON" tt-node1 json || bail "clnetctl monitor in node1 reported nothing"
arpd_start || bail "cannot start arp.py serve in raconteur"
out=$(ask $TT_NODE1) || bail "arp.py serve: raconteur's request for node1's address failed: $out"
for t in $scenarios; do
	echo "# scenario $t"
	start=$SECONDS
	$t
	echo "# scenario $t took $((SECONDS - start))s"
done
echo "# unloading with busy announcements"
rmmod_busy
tiles_down
tap_done
