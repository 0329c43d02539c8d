#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Churn, unload under load, concurrency and limits: the module under the
# kind of life a node gives it, with the kernel's object counts checked
# afterwards (Documentation/stress.rst).
#
#   netns_churn        cycles of "a node namespace with a pod behind a
#                      pair, a route, the fast path, masquerade, a leased
#                      announcement with refresh, traffic; delete both
#                      namespaces", the module reloaded every few cycles;
#                      then net_namespace and nf_conntrack objects, the
#                      devices and the module's references back to their
#                      start, nothing waiting in unregister_netdevice, and
#                      (debug kernel) a clean kmemleak scan
#   unload_under_load  rmmod while traffic crosses the pairs and the fast
#                      path, masqueraded flows are new and old, ARP is
#                      asked and answered, GARP bursts and leases tick and
#                      clnetctl writes and reads in a loop; then insmod and
#                      the same setup again
#   concurrency        writers of links, routes, fast path, masquerade and
#                      announcements at once, with traffic, while large
#                      tables are dumped: every stable entry exactly once,
#                      no entry twice, or the dump retried
#   limits             many pairs, routes and announcements (time and
#                      memory per object), the announcement cap (with
#                      CLNET_LIMIT_ANN_CAP=1), and a full conntrack table
#                      with masquerade
#
# Sizes (make check uses the defaults; selftests/stress/run the long ones):
#   CLNET_CHURN_CYCLES (50), CLNET_CHURN_SECONDS (0: no limit; the cycles
#   stop when it is reached), CLNET_CHURN_RELOAD_EVERY (10),
#   CLNET_UNLOAD_CYCLES (5), CLNET_CONC_SECONDS (10), CLNET_CONC_ROUTES
#   (2000), CLNET_CONC_LINKS (100), CLNET_CONC_ANN (2000),
#   CLNET_LIMIT_PAIRS (200), CLNET_LIMIT_ROUTES (5000), CLNET_LIMIT_ANN
#   (1000), CLNET_LIMIT_ANN_CAP (0).
#
#   churn.sh [-t SCENARIO]...    (or TESTS="a b")
. "$(dirname "$0")/lib.sh"

# shellcheck disable=SC2034 # read by lib.sh
ALL_TESTS="
	netns_churn
	unload_under_load
	concurrency
	limits
"

# The defaults are make check's short run. Under TCG the debug kernel
# takes about 10 s a churn cycle and half a minute an unload under load
# (KASAN, lockdep and kmemleak on every allocation and lock), so its
# defaults are smaller, to keep the script near 3 minutes there.
if [ "$CLNET_VM_FLAVOUR" = debug ]; then
	d_cycles=8 d_reload=4 d_unloads=2 d_conc=10 d_links=50 d_routes=1000 d_ann=1000
	d_pairs=50 d_lroutes=2000 d_lann=2000
else
	d_cycles=50 d_reload=10 d_unloads=5 d_conc=10 d_links=100 d_routes=2000 d_ann=2000
	d_pairs=200 d_lroutes=5000 d_lann=5000
fi
CYCLES=${CLNET_CHURN_CYCLES:-$d_cycles}
CYCLE_SECONDS=${CLNET_CHURN_SECONDS:-0}
RELOAD_EVERY=${CLNET_CHURN_RELOAD_EVERY:-$d_reload}
UNLOADS=${CLNET_UNLOAD_CYCLES:-$d_unloads}
CONC_SECONDS=${CLNET_CONC_SECONDS:-$d_conc}
CONC_ROUTES=${CLNET_CONC_ROUTES:-$d_routes}
CONC_LINKS=${CLNET_CONC_LINKS:-$d_links}
CONC_ANN=${CLNET_CONC_ANN:-$d_ann}
LIMIT_PAIRS=${CLNET_LIMIT_PAIRS:-$d_pairs}
LIMIT_ROUTES=${CLNET_LIMIT_ROUTES:-$d_lroutes}
LIMIT_ANN=${CLNET_LIMIT_ANN:-$d_lann}
LIMIT_ANN_CAP=${CLNET_LIMIT_ANN_CAP:-0}
# A kmemleak scan of the 3 GiB debug guest takes over a minute: make
# check leaves it to the VM runner's scan at the end of the run.
CHURN_KMEMLEAK=${CLNET_CHURN_KMEMLEAK:-0}
# The module's cap on announcements per namespace (kmod/announce.c).
ANN_CAP=65536
echo "# $CLNET_VM_FLAVOUR kernel: $CYCLES churn cycles (limit ${CYCLE_SECONDS}s), reload every" \
     "$RELOAD_EVERY, $UNLOADS unloads under load, ${CONC_SECONDS}s of concurrent writers"

# Deadlines (s): netns teardown is asynchronous and slow on the debug
# kernel; rmmod and every background job are bounded too.
TEARDOWN_DEADLINE=300
RMMOD_TIMEOUT=120
JOB_TIMEOUT=600

RAC=10.0.192.5
NATIVE=10.0.208.0/20
UDPFLOWS=$TOP/selftests/stress/udpflows.py

[ -x "$CLNETCTL" ] || bail "$CLNETCTL not built: run make"
load_module || bail "insmod $CLNET_KO failed"
on_exit unload_module
work=$(mktemp -d)
on_exit rm -rf "$work"
mkfifo "$work/never" || bail "mkfifo failed"

# The LAN host every scenario's node reaches: a bridge with the LAN
# address; each node's uplink is a veth whose other end is a port of it,
# so that deleting the node's namespace removes the port too.
netns_add ch-rac || bail "cannot create the LAN host's namespace"
ip -n ch-rac link add br0 type bridge && ip -n ch-rac addr add $RAC/24 dev br0 &&
	ip -n ch-rac link set br0 up || bail "cannot set up the LAN bridge"

# uplink NODE PORT ADDR: NODE's enp3s0 with ADDR/24, up, its other end PORT
# on the LAN bridge; forwarding on in NODE.
uplink() {
	ip link add enp3s0 netns "$1" type veth peer name "$2" netns ch-rac &&
	ip -n ch-rac link set "$2" master br0 up &&
	ip -n "$1" addr add "$3/24" dev enp3s0 &&
	ip -n "$1" link set enp3s0 up &&
	in_ns "$1" sysctl -qw net.ipv4.ip_forward=1
}

# --- object counts -------------------------------------------------------

# slab_active CACHE: its active objects (0 if there is no such cache), after
# flushing the per-CPU slabs, which /proc/slabinfo counts as in use.
slab_active() {
	[ -w "/sys/kernel/slab/$1/shrink" ] && echo 1 >"/sys/kernel/slab/$1/shrink"
	awk -v c="$1" '$1 == c { print $2; found = 1 } END { if (!found) print 0 }' /proc/slabinfo
}
# slab_back CACHE START: no more active objects than at the start.
slab_back() {
	[ "$(slab_active "$1")" -le "$2" ]
}
# init_devs: the devices of the guest's own namespace.
init_devs() {
	ip -o link show | wc -l
}
# rac_ports: the LAN bridge's ports of the churned nodes still present.
rac_ports() {
	ip -o -n ch-rac link show | grep -c ' up[0-9a-z]*@'
}
no_rac_ports() {
	[ "$(rac_ports)" = 0 ]
}
# kmemleak_clean: scan twice (an object is reported only if it did not
# change between two scans) after kmemleak's minimum object age (5 s, a
# fixed rule with no event to wait on); prints any report.
kmemleak_clean() {
	local f=/sys/kernel/debug/kmemleak
	sleep 6
	echo scan >$f && echo scan >$f || return 1
	! grep -A 20 'unreferenced object' $f
}

# --- netns churn ---------------------------------------------------------

# The files each cycle runs (an exec costs a good fraction of a second on
# the debug kernel under TCG, so a cycle is a handful of batches).
cat >"$work/node.ip" <<EOF
link set lo up
addr add 10.0.192.11/24 dev enp3s0
link set enp3s0 up
link set lxc1 up
EOF
cat >"$work/node.ctl" <<EOF
addroute 10.0.208.10/32 dev lxc1
fastpath on
masq set dev enp3s0 native-cidr $NATIVE
announce add 10.0.193.1 dev enp3s0 lease 1m refresh 1s garp-count 3 garp-interval 100ms
announce renew 10.0.193.1 dev enp3s0 lease 1m
announce add 10.0.193.9 dev enp3s0 lease 2s garp-count 50 garp-interval 50ms
announce pods dev enp3s0 on
EOF
cat >"$work/pod.ip" <<EOF
link set lo up
addr add 10.0.208.10/32 dev eth0
link set eth0 up
route add default dev eth0
EOF
printf 'netns del ch-node\nnetns del ch-pod\n' >"$work/del.ip"

# now_ms: milliseconds, without an exec.
now_ms() {
	local t=${EPOCHREALTIME/./}
	echo $((t / 1000))
}
# Milliseconds spent per stage, over all cycles.
declare -A stage_ms
stage() {	# NAME START_MS
	stage_ms[$1]=$((${stage_ms[$1]:-0} + $(now_ms) - $2))
}

# churn_cycle K: one cycle; prints what failed.
churn_cycle() {
	local k=$1 t
	t=$(now_ms)
	printf 'netns add ch-node\nnetns add ch-pod\nlink add enp3s0 netns ch-node type veth peer name up%s netns ch-rac\n' \
		"$k" | ip -b - || { echo "cycle $k: namespaces and uplink"; return 1; }
	stage netns "$t"; t=$(now_ms)
	$NSRUN ch-node sh -c "'$CLNETCTL' link add lxc1 peer eth0 netns ch-pod &&
		ip -b '$work/node.ip' && echo 1 >/proc/sys/net/ipv4/ip_forward &&
		'$CLNETCTL' -b '$work/node.ctl'" &&
	ip -n ch-pod -b "$work/pod.ip" &&
	ip -n ch-rac link set "up$k" master br0 up || { echo "cycle $k: setup"; return 1; }
	stage setup "$t"; t=$(now_ms)
	# rac has no route back to the pod: an answer proves the masquerade.
	$NSRUN ch-pod bash -c "ping -q -c 2 -i 0.2 -W 5 $RAC >/dev/null &&
		echo churn$k >/dev/udp/$RAC/5300" || { echo "cycle $k: ping or UDP from the pod"; return 2; }
	stage traffic "$t"; t=$(now_ms)
	$NSRUN ch-rac arping -q -c 1 -w 5 -I br0 10.0.193.1 || { echo "cycle $k: ARP not answered"; return 3; }
	stage arp "$t"
}

# The first namespace deleted leaves one net_namespace object counted in
# its slab for good, with or without the module (ip netns add a; ip netns
# del a: one more than before): the start values are read after a
# warm-up cycle, and once its namespaces are gone.
churn_warmup() {
	local before
	before=$(slab_active net_namespace)
	churn_cycle warm >/dev/null 2>&1
	ip -b "$work/del.ip" 2>/dev/null
	wait_until $TEARDOWN_DEADLINE slab_back net_namespace $((before + 1))
	wait_until $TEARDOWN_DEADLINE no_rac_ports
}

netns_churn() {
	local k=0 start_ns start_ct start_devs t0 secs out rc reloads=0 reload_bad=0
	local setup_bad=0 traffic_bad=0 arp_bad=0 first='' t s
	dmesg -c >/dev/null   # only what the churn says counts below
	[ -w /sys/kernel/debug/kmemleak ] && echo clear >/sys/kernel/debug/kmemleak
	churn_warmup
	start_ns=$(slab_active net_namespace)
	start_ct=$(slab_active nf_conntrack)
	start_devs=$(init_devs)
	stage_ms=()
	t0=$(now_ms)
	while [ $k -lt "$CYCLES" ]; do
		if [ "$CYCLE_SECONDS" != 0 ] && [ $(($(now_ms) - t0)) -ge $((CYCLE_SECONDS * 1000)) ]; then
			break
		fi
		churn_cycle $k >"$work/cycle.out" 2>&1
		rc=$?
		case $rc in
		0) ;;
		1) setup_bad=$((setup_bad + 1)) ;;
		2) traffic_bad=$((traffic_bad + 1)) ;;
		*) arp_bad=$((arp_bad + 1)) ;;
		esac
		[ $rc = 0 ] || [ -n "$first" ] || first=$(tail -n 3 "$work/cycle.out" | tr '\n' ' ')
		t=$(now_ms)
		ip -b "$work/del.ip" 2>/dev/null
		stage delete "$t"
		k=$((k + 1))
		if [ $((k % RELOAD_EVERY)) = 0 ]; then
			t=$(now_ms)
			# Right after the deletion: the namespaces' cleanup may
			# still be running when the module goes.
			if timeout $RMMOD_TIMEOUT rmmod clnet && insmod "$CLNET_KO"; then
				reloads=$((reloads + 1))
			else
				reload_bad=$((reload_bad + 1))
				load_module
			fi
			stage reload "$t"
		fi
	done
	secs=$(($(now_ms) - t0))
	[ "$secs" -gt 0 ] || secs=1
	echo "# churn: $k cycles in $((secs / 1000)) s ($((k * 360000000 / secs / 100)) cycles/h)," \
	     "$reloads module reloads, $CLNET_VM_FLAVOUR kernel"
	out=
	for s in netns setup traffic arp delete reload; do
		out="$out $s $((${stage_ms[$s]:-0} / (k > 0 ? k : 1)))"
	done
	echo "# churn: ms per cycle:$out"
	[ -n "$first" ] && echo "# churn: first failure: $first"
	check "churn: $k cycles set up (pair, route, fast path, masq, leased announcements, pods)" \
		test "$setup_bad" = 0
	check "churn: in each the pod reached the LAN host masqueraded (ping, UDP)" \
		test "$traffic_bad" = 0
	check "churn: in each the announcement answered ARP" test "$arp_bad" = 0
	check "churn: the module unloaded and loaded again $reloads times" \
		test "$reload_bad" = 0 -a "$k" -ge 1
	check "churn: net_namespace objects back to $start_ns" \
		wait_until $TEARDOWN_DEADLINE slab_back net_namespace "$start_ns"
	echo "# net_namespace objects: $start_ns at the start, $(slab_active net_namespace) now"
	check "churn: nf_conntrack objects back to $start_ct" \
		wait_until $TEARDOWN_DEADLINE slab_back nf_conntrack "$start_ct"
	check "churn: the LAN bridge's ports of the deleted nodes are gone" \
		wait_until $TEARDOWN_DEADLINE no_rac_ports
	check "churn: the guest's own namespace has its $start_devs devices" \
		test "$(init_devs)" = "$start_devs"
	check "churn: the module holds no references" test "$(cat /sys/module/clnet/refcnt)" = 0
	check_fail "churn: no device waits for its references (unregister_netdevice)" \
		sh -c "dmesg | grep 'unregister_netdevice: waiting for'"
	if [ ! -w /sys/kernel/debug/kmemleak ]; then
		skip "churn: kmemleak finds nothing" "no kmemleak on the $CLNET_VM_FLAVOUR kernel: run it on the debug kernel (selftests/vm/run --debug)"
	elif [ "$CHURN_KMEMLEAK" = 1 ]; then
		check "churn: kmemleak finds nothing" kmemleak_clean
	else
		skip "churn: kmemleak finds nothing" "a scan here takes over a minute: the VM runner scans at the end of the run; CLNET_CHURN_KMEMLEAK=1 scans here too (selftests/stress/run does)"
	fi
}

# --- unload under load ---------------------------------------------------

cat >"$work/ul-links.ctl" <<EOF
link add lxc1 peer eth0 netns ul-p1
link add lxc2 peer eth0 netns ul-p2
EOF
printf 'link set lxc1 up\nlink set lxc2 up\n' >"$work/ul-up.ip"
cat >"$work/ul-conf.ctl" <<EOF
addroute 10.0.208.30/32 dev lxc1
addroute 10.0.208.31/32 dev lxc2
fastpath on
masq set dev enp3s0 native-cidr $NATIVE
announce add 10.0.193.2 dev enp3s0 lease 1m refresh 1s garp-count 100 garp-interval 50ms
announce add 10.0.193.3 dev enp3s0 lease 2s refresh 1s
announce pods dev enp3s0 on
EOF
for p in 1 2; do
	printf 'addr add 10.0.208.3%s/32 dev eth0\nlink set eth0 up\nroute add default dev eth0\n' \
		$((p - 1)) >"$work/ul-p$p.ip"
done
# What the clnetctl loop in ul-node runs, over and over.
cat >"$work/ul-loop.ctl" <<EOF
announce renew 10.0.193.2 dev enp3s0 lease 1m
route show
fastpath off
fastpath on
link show
masq show
announce show
addroute 10.0.208.99/32 dev lxc1
delroute 10.0.208.99/32 dev lxc1
masq set dev enp3s0 native-cidr $NATIVE
EOF

# ul_setup: the module with two pods, routes, fast path, masq, announcements.
ul_setup() {
	load_module &&
	$NSRUN ul-node sh -c "'$CLNETCTL' -b '$work/ul-links.ctl' && ip -b '$work/ul-up.ip' &&
		'$CLNETCTL' -b '$work/ul-conf.ctl'" &&
	ip -n ul-p1 -b "$work/ul-p1.ip" && ip -n ul-p2 -b "$work/ul-p2.ip"
}
# ul_works: pod to pod (fast path) and pod to LAN host (masqueraded).
ul_works() {
	$NSRUN ul-p1 bash -c "ping -q -c 1 -W 5 10.0.208.31 >/dev/null && ping -q -c 1 -W 5 $RAC >/dev/null"
}

# ul_load: start the load in the background; its PIDs in ul_pids.
ul_load() {
	ul_pids=()
	timeout $JOB_TIMEOUT $NSRUN ul-p1 ping -q -i 0.01 10.0.208.31 >/dev/null 2>&1 &
	ul_pids+=($!)
	timeout $JOB_TIMEOUT $NSRUN ul-p2 ping -q -i 0.05 $RAC >/dev/null 2>&1 &
	ul_pids+=($!)
	# A new masqueraded flow every 50 ms (a datagram from a new port; the
	# port unreachable comes back translated).
	timeout $JOB_TIMEOUT $NSRUN ul-p2 bash -c "exec 3<>'$work/never'; p=5000
		while :; do echo x >/dev/udp/$RAC/\$p; p=\$((p % 500 + 5001)); read -t 0.05 -u 3; done" \
		>/dev/null 2>&1 &
	ul_pids+=($!)
	timeout $JOB_TIMEOUT $NSRUN ch-rac arping -q -w $JOB_TIMEOUT -I br0 10.0.193.2 >/dev/null 2>&1 &
	ul_pids+=($!)
	timeout $JOB_TIMEOUT $NSRUN ul-node bash -c "while :; do '$CLNETCTL' -force -b '$work/ul-loop.ctl'; done" \
		>/dev/null 2>&1 &
	ul_pids+=($!)
}
ul_stop() {
	kill "${ul_pids[@]}" 2>/dev/null
	wait "${ul_pids[@]}" 2>/dev/null
}

unload_under_load() {
	local i t0 ms max_ms=0 before setup_bad=0 load_bad=0 rmmod_bad=0 gone_bad=0 t_start first=
	netns_add ul-node ul-p1 ul-p2 && uplink ul-node ulup 10.0.192.12 ||
		{ check "unload: the node and its pods" false; return; }
	t_start=$SECONDS
	for ((i = 1; i <= UNLOADS; i++)); do
		if ! ul_setup || ! ul_works; then
			setup_bad=$((setup_bad + 1))
			[ -n "$first" ] || first="unload $i: setup or traffic before the load"
		fi
		before=$(fp_counter ul-node forwarded)
		ul_load
		# Under way: the fast path forwards the pods' traffic.
		if ! wait_until 60 fp_grew ul-node forwarded "${before:-0}" 20; then
			load_bad=$((load_bad + 1))
			[ -n "$first" ] || first="unload $i: no fast-path traffic under the load"
		fi
		t0=$(date +%s%N)
		if ! rmmod_busy; then
			rmmod_bad=$((rmmod_bad + 1))
			[ -n "$first" ] || first="unload $i: rmmod failed or took over ${RMMOD_TIMEOUT}s"
		fi
		ms=$((($(date +%s%N) - t0) / 1000000))
		[ $ms -gt $max_ms ] && max_ms=$ms
		ul_stop
		if module_loaded || ! dev_absent ul-p1 eth0 ul-p2 eth0 ul-node lxc1; then
			gone_bad=$((gone_bad + 1))
			[ -n "$first" ] || first="unload $i: the module or a pair is still there"
		fi
	done
	echo "# unload: $UNLOADS unloads under load in $((SECONDS - t_start)) s, the longest rmmod $max_ms ms," \
	     "refused $rmmod_eagain times while in use (a dump running) and retried"
	[ -n "$first" ] && echo "# unload: first failure: $first"
	check "unload x$UNLOADS: set up and carrying traffic before each" test "$setup_bad" = 0
	check "unload x$UNLOADS: the fast path busy at each rmmod" test "$load_bad" = 0
	check "unload x$UNLOADS: every rmmod succeeded within ${RMMOD_TIMEOUT}s (longest $max_ms ms)" \
		test "$rmmod_bad" = 0
	check "unload x$UNLOADS: the module and its pairs gone after each" test "$gone_bad" = 0
	check "unload: insmod again, the same setup works" ul_again
	ip netns del ul-node; ip netns del ul-p1; ip netns del ul-p2
}
# rmmod_busy: rmmod clnet, again while it is refused because the module
# is in use (kmod reads a non-zero refcnt: "is in use"; the kernel's own
# check, later: EAGAIN), until RMMOD_TIMEOUT. A netlink dump of the family
# holds a module reference for its duration, and the clnetctl loop dumps
# all the time. Counts the refusals in rmmod_eagain.
rmmod_eagain=0
rmmod_busy() {
	local deadline=$(($(now_ms) + RMMOD_TIMEOUT * 1000)) err
	while :; do
		err=$(timeout $RMMOD_TIMEOUT rmmod clnet 2>&1) && return 0
		case $err in
		*"Resource temporarily unavailable"* | *"is in use"*) rmmod_eagain=$((rmmod_eagain + 1)) ;;
		*) echo "$err"; return 1 ;;
		esac
		[ "$(now_ms)" -lt $deadline ] || { echo "$err"; return 1; }
	done
}
ul_again() {
	ul_setup && ul_works
}

# --- concurrency ---------------------------------------------------------

# cc_dump OBJECT: one listing of cc-node, checked: no entry twice, every
# stable entry present; "interrupted" is counted. Prints a failure.
declare -A cc_dumps cc_intr
cc_longest=0
cc_bad=0
cc_dump() {
	local obj=$1 out=$work/cc-dump err=$work/cc-err rc res want pat t0
	case $obj in
	route)    pat='^10\.64\.'; want=$CONC_ROUTES ;;
	announce) pat='^10\.66\.'; want=$CONC_ANN ;;
	link)     pat='^[0-9]+: c[st][0-9]+:'; want=$((2 * CONC_LINKS)) ;;
	esac
	# A deadline for a hang, not for slowness: with four writers and
	# traffic on one vCPU of a loaded host, a dump of 20 000 routes has
	# taken over 120 s (20 s alone).
	t0=$SECONDS
	timeout 900 "$CLNETCTL" -n cc-node $obj show >"$out" 2>"$err"
	rc=$?
	[ $((SECONDS - t0)) -gt "$cc_longest" ] && cc_longest=$((SECONDS - t0))
	cc_dumps[$obj]=$((${cc_dumps[$obj]:-0} + 1))
	if [ $rc != 0 ]; then
		if grep -q 'dump interrupted' "$err"; then
			cc_intr[$obj]=$((${cc_intr[$obj]:-0} + 1))
			return 0
		fi
		cc_bad=$((cc_bad + 1))
		echo "$obj show: exit $rc: $(head -c 300 "$err")"
		return 1
	fi
	# An entry's key: the prefix (route), address and device (announce),
	# the name (link).
	res=$(awk -v pat="$pat" -v obj="$obj" '
		{ k = obj == "link" ? $2 : obj == "announce" ? $1 " " $3 : $1
		  if (seen[k]++) { dup++; if (!d) d = k } }
		$0 ~ pat { n++ }
		END { printf "%d %d %s\n", n, dup, d }' "$out")
	set -- $res
	if [ "$1" != "$want" ] || [ "$2" != 0 ]; then
		cc_bad=$((cc_bad + 1))
		echo "$obj show: $1 stable entries (want $want), $2 twice (first: ${3:-})"
		return 1
	fi
}

# cc_writer NAME DEADLINE FILE...: run the batches in turn until the
# deadline (date +%s), each bounded; writes "rounds failures" to
# $work/cc-NAME.res.
cc_writer() {
	local name=$1 end=$2 n=0 f=0 b
	shift 2
	while [ "$(date +%s)" -lt "$end" ]; do
		for b in "$@"; do
			timeout 120 "$CLNETCTL" -n cc-node -b "$b" >/dev/null 2>>"$work/cc-$name.err" || f=$((f + 1))
		done
		n=$((n + 1))
	done
	echo "$n $f" >"$work/cc-$name.res"
}

# cc_pinger END: rounds of three pings from cc-p1 to raconteur until END
# (date +%s); each round's summary.
cc_pinger() {
	while [ "$(date +%s)" -lt "$1" ]; do
		timeout 30 $NSRUN cc-p1 ping -q -c 3 -i 0.2 -W 2 $RAC | grep received
	done
}

concurrency() {
	local end pids=() w ping_pid first='' obj t0 i
	netns_add cc-node cc-p1 && uplink cc-node ccup 10.0.192.14 &&
	ctl -n cc-node link add lxc1 peer eth0 netns cc-p1 && ip -n cc-node link set lxc1 up &&
	printf 'addr add 10.0.208.40/32 dev eth0\nlink set eth0 up\nroute add default dev eth0\n' |
		ip -n cc-p1 -b - && ctl -n cc-node addroute 10.0.208.40/32 dev lxc1 ||
		{ check "concurrency: the node and its pod" false; return; }
	# The stable tables.
	awk -v n="$CONC_LINKS" 'BEGIN { for (i = 0; i < n; i++) printf "link add cs%d peer ct%d\n", i, i }' \
		>"$work/cc-links"
	awk -v n="$CONC_ROUTES" 'BEGIN { for (i = 0; i < n; i++)
		printf "addroute 10.64.%d.%d/32 via '$RAC'\n", i / 256, i % 256 }' >"$work/cc-routes"
	awk -v n="$CONC_ANN" 'BEGIN { for (i = 0; i < n; i++)
		printf "announce add 10.66.%d.%d dev enp3s0 garp-count 0\n", i / 256, i % 256 }' >"$work/cc-ann"
	t0=$SECONDS
	check "concurrency: $CONC_LINKS pairs, $CONC_ROUTES routes, $CONC_ANN announcements by batch" \
		sh -c "'$CLNETCTL' -n cc-node -b '$work/cc-links' && '$CLNETCTL' -n cc-node -b '$work/cc-routes' &&
		       '$CLNETCTL' -n cc-node -b '$work/cc-ann' && '$CLNETCTL' -n cc-node fastpath on &&
		       '$CLNETCTL' -n cc-node masq set dev enp3s0 native-cidr $NATIVE"
	echo "# concurrency: the stable tables took $((SECONDS - t0)) s"
	# The volatile changes, each batch undoing the one before.
	awk 'BEGIN { for (i = 0; i < 10; i++) printf "link add wl%d peer wp%d\n", i, i }' >"$work/cc-wl-add"
	awk 'BEGIN { for (i = 0; i < 10; i++) printf "link del wl%d\n", i }' >"$work/cc-wl-del"
	awk 'BEGIN { for (i = 0; i < 500; i++) printf "addroute 10.96.%d.%d/32 via '$RAC'\n", i / 256, i % 256 }' \
		>"$work/cc-vr-add"
	sed 's/^addroute \([^ ]*\) .*/delroute \1/' "$work/cc-vr-add" >"$work/cc-vr-del"
	awk 'BEGIN { for (i = 0; i < 200; i++) printf "announce add 10.67.0.%d dev enp3s0 lease 1m garp-count 1\n", i }' \
		>"$work/cc-va-add"
	sed 's/^announce add \([^ ]*\) dev enp3s0 .*/announce renew \1 dev enp3s0 lease 2m/' "$work/cc-va-add" \
		>"$work/cc-va-renew"
	sed 's/^announce add \([^ ]*\) dev enp3s0 .*/announce del \1 dev enp3s0/' "$work/cc-va-add" >"$work/cc-va-del"
	for i in 1 2 3 4 5; do
		printf 'fastpath off\nmasq off\nfastpath on\nmasq set dev enp3s0 native-cidr %s exclude 10.0.209.0/24\nmasq set dev enp3s0 native-cidr %s\n' \
			$NATIVE $NATIVE
	done >"$work/cc-fm"
	rm -f "$work"/cc-*.res "$work"/cc-*.err
	end=$(($(date +%s) + CONC_SECONDS))
	cc_writer links "$end" "$work/cc-wl-add" "$work/cc-wl-del" & pids+=($!)
	cc_writer routes "$end" "$work/cc-vr-add" "$work/cc-vr-del" & pids+=($!)
	cc_writer fm "$end" "$work/cc-fm" & pids+=($!)
	cc_writer ann "$end" "$work/cc-va-add" "$work/cc-va-renew" "$work/cc-va-del" & pids+=($!)
	# The pod pings raconteur in rounds, each a new ICMP flow: conntrack
	# binds a flow's NAT at its first packet, so one ping started while
	# the fm writer has masquerade off keeps its unanswered binding as
	# long as it keeps pinging, whatever the configuration later.
	cc_pinger "$end" >"$work/cc-ping" 2>&1 &
	ping_pid=$!
	: >"$work/cc-bad"
	while [ "$(date +%s)" -lt "$end" ]; do
		for obj in route announce link; do
			cc_dump $obj >>"$work/cc-bad"
		done
	done
	first=$(head -n 1 "$work/cc-bad")
	timeout 300 sh -c "wait ${pids[*]}" 2>/dev/null
	for w in "${pids[@]}"; do wait "$w"; done
	wait $ping_pid
	echo "# concurrency: dumps route ${cc_dumps[route]:-0} announce ${cc_dumps[announce]:-0}" \
	     "link ${cc_dumps[link]:-0}; still interrupted after clnetctl's retries: route ${cc_intr[route]:-0}" \
	     "announce ${cc_intr[announce]:-0} link ${cc_intr[link]:-0}; longest $cc_longest s"
	for w in links routes fm ann; do
		echo "# concurrency: writer $w: $(cat "$work/cc-$w.res" 2>/dev/null || echo none) (rounds failures)"
	done
	[ -n "$first" ] && echo "# concurrency: first bad dump: $first"
	check "concurrency: every dump had each stable entry once and nothing twice (or was interrupted)" \
		test -z "$first"
	check "concurrency: every writer's batches succeeded" sh -c "
		for w in links routes fm ann; do read n f <'$work'/cc-\$w.res && [ \$n -ge 1 ] && [ \$f = 0 ] || exit 1; done" \
		|| head -n 5 "$work"/cc-*.err 2>/dev/null | sed 's/^/#   /'
	check "concurrency: the pod's pings got answers meanwhile" grep -Eq ' [1-9][0-9]* received' "$work/cc-ping"
	check "concurrency: ... and a new one once the writers are done" \
		sh -c "$NSRUN cc-p1 ping -q -c 3 -i 0.2 -W 5 $RAC | grep -q ' 3 received'"
	# Quiet now: the tables are exactly the stable ones.
	check "concurrency: afterwards route, announce and link show are exact" cc_exact
	check "concurrency: the fast path is on and masquerade set" sh -c \
		"'$CLNETCTL' -n cc-node fastpath show | grep -q '^fastpath on' &&
		 '$CLNETCTL' -n cc-node masq show | grep -q '^masq on'"
	ip netns del cc-node; ip netns del cc-p1
}
# cc_exact: with nothing changing, every listing exact, none interrupted.
cc_exact() {
	local o
	cc_intr=()
	for o in route announce link; do
		cc_dump $o || return 1
	done
	[ -z "${cc_intr[*]}" ]
}

# --- limits --------------------------------------------------------------

# mem_kib: the kernel memory objects take (KiB): "SLAB PERCPU VMALLOC",
# the slab's unreclaimable part (dentry and inode caches come and go), after
# flushing every cache's per-CPU slabs.
mem_kib() {
	local f
	for f in /sys/kernel/slab/*/shrink; do
		echo 1 >"$f"
	done 2>/dev/null
	awk '/^SUnreclaim:/ { s = $2 } /^Percpu:/ { p = $2 } /^VmallocUsed:/ { v = $2 }
	     END { print s, p, v }' /proc/meminfo
}
# limit_batch WHAT N FILE PATTERN SHOW...: run the batch in lm-node, check
# that SHOW lists N lines matching PATTERN, report time and memory per
# object.
limit_batch() {
	local what=$1 n=$2 file=$3 pat=$4 m0 m1 t0 ms
	shift 4
	read -r -a m0 <<<"$(mem_kib)"
	t0=$(date +%s%N)
	check "limits: $n $what by one batch" ctl -n lm-node -b "$file"
	ms=$((($(date +%s%N) - t0) / 1000000))
	read -r -a m1 <<<"$(mem_kib)"
	check_output "limits: ... all $n listed" 0 "^$n\$" sh -c "'$CLNETCTL' -n lm-node $* | grep -Ec '$pat'"
	echo "# limits: $n $what in $ms ms; memory per object:" \
	     "$(((m1[0] + m1[1] + m1[2] - m0[0] - m0[1] - m0[2]) * 1024 / n)) B" \
	     "(slab $(((m1[0] - m0[0]) * 1024 / n)), percpu $(((m1[1] - m0[1]) * 1024 / n))," \
	     "vmalloc $(((m1[2] - m0[2]) * 1024 / n))), $CLNET_VM_FLAVOUR kernel"
}

limits() {
	local out max_old drops t0
	netns_add lm-node || { check "limits: a node namespace" false; return; }
	ip -n lm-node link add d0 type dummy && ip -n lm-node addr add 10.0.192.50/24 dev d0 &&
	ip -n lm-node link set d0 up && ip -n lm-node link add la0 type veth peer name la1 &&
	ip -n lm-node link set la0 up && ip -n lm-node link set la1 up ||
		{ check "limits: devices in the node" false; return; }
	awk -v n="$LIMIT_PAIRS" 'BEGIN { for (i = 0; i < n; i++) printf "link add pa%d peer pb%d\n", i, i }' \
		>"$work/lm-pairs"
	limit_batch pairs "$LIMIT_PAIRS" "$work/lm-pairs" '^[0-9]+: pa[0-9]+:' link show
	awk -v n="$LIMIT_ROUTES" 'BEGIN { for (i = 0; i < n; i++)
		printf "addroute 10.%d.%d.%d/32 via 10.0.192.5\n", 128 + int(i / 65536), int(i / 256) % 256, i % 256 }' \
		>"$work/lm-routes"
	limit_batch routes "$LIMIT_ROUTES" "$work/lm-routes" '^10\.' route show
	awk -v n="$LIMIT_ANN" 'BEGIN { for (i = 0; i < n; i++)
		printf "announce add 10.160.%d.%d dev la0 garp-count 0\n", int(i / 256), i % 256 }' >"$work/lm-ann"
	limit_batch announcements "$LIMIT_ANN" "$work/lm-ann" '^10\.160\.' announce show
	if [ "$LIMIT_ANN_CAP" = 1 ]; then
		awk -v from="$LIMIT_ANN" -v n=$ANN_CAP 'BEGIN { for (i = from; i < n; i++)
			printf "announce add 10.160.%d.%d dev la0 garp-count 0\n", int(i / 256), i % 256 }' \
			>"$work/lm-cap"
		check "limits: announcements up to the cap ($ANN_CAP)" ctl -n lm-node -b "$work/lm-cap"
		check_output "limits: one more: ENOSPC, \"too many announcements\"" 1 \
			'too many announcements' ctl -n lm-node announce add 10.161.0.1 dev la0 garp-count 0
		check_output "limits: ... show lists $ANN_CAP" 0 "^$ANN_CAP\$" \
			sh -c "'$CLNETCTL' -n lm-node announce show | grep -c ' dev la0 '"
	else
		skip "limits: the announcement cap ($ANN_CAP)" \
			"$ANN_CAP entries take minutes: set CLNET_LIMIT_ANN_CAP=1 (selftests/stress/run does)"
	fi
	t0=$SECONDS
	ip netns del lm-node
	echo "# limits: deleting the namespace with them all took $((SECONDS - t0)) s (asynchronous)"

	# A full conntrack table with masquerade: established (assured) flows
	# keep working, new ones are dropped and counted, nothing breaks.
	netns_add lm-ct lm-pod && uplink lm-ct lmup 10.0.192.13 &&
	ctl -n lm-ct link add lxc1 peer eth0 netns lm-pod && ip -n lm-ct link set lxc1 up &&
	ip -n lm-pod addr add 10.0.208.50/32 dev eth0 && ip -n lm-pod link set eth0 up &&
	ip -n lm-pod route add default dev eth0 && ctl -n lm-ct addroute 10.0.208.50/32 dev lxc1 &&
	ctl -n lm-ct fastpath on && ctl -n lm-ct masq set dev enp3s0 native-cidr $NATIVE ||
		{ check "limits: a node masquerading a pod" false; return; }
	$NSRUN ch-rac python3 "$UDPFLOWS" echo 5400 >"$work/echo.out" 2>&1 &
	on_exit kill $!
	wait_until 60 grep -q listening "$work/echo.out" || { check "limits: the UDP echo server" false; return; }
	max_old=$(cat /proc/sys/net/netfilter/nf_conntrack_max)
	on_exit "echo $max_old >/proc/sys/net/netfilter/nf_conntrack_max"
	echo 16 >/proc/sys/net/netfilter/nf_conntrack_max
	out=$($NSRUN lm-pod python3 "$UDPFLOWS" client $RAC 5400 16 8 2>&1)
	echo "# conntrack full (nf_conntrack_max 16): $out"
	check "conntrack full: 16 established flows answered" test "$(word_after "$out" old)" = 16
	check "conntrack full: none of 8 new flows got through" test "$(word_after "$out" new)" = 0
	check "conntrack full: the established flows still answered" test "$(word_after "$out" again)" = 16
	drops=$(in_ns lm-ct conntrack -S 2>/dev/null | sed -n 's/.* drop=\([0-9]*\).*/\1/p' | paste -sd+ | bc)
	check "conntrack full: the drops counted (conntrack -S drop=${drops:-none})" test "${drops:-0}" -ge 1
	echo "$max_old" >/proc/sys/net/netfilter/nf_conntrack_max
	out=$($NSRUN lm-pod python3 "$UDPFLOWS" client $RAC 5400 1 0 2>&1)
	check "conntrack full: with room again a new flow works" test "$(word_after "$out" old)" = 1
	ip netns del lm-ct; ip netns del lm-pod
}

tests_run "$@"
