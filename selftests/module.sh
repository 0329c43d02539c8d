#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The module's life cycle and the genl family: insmod on a fresh boot,
# the family as seen by a tool we did not write, clnetctl version and
# global options, rmmod leaving nothing behind.
. "$(dirname "$0")/lib.sh"

[ -f "$CLNET_KO" ] || bail "$CLNET_KO not built: run make"
[ -x "$CLNETCTL" ] || bail "$CLNETCTL not built: run make"
want_version=$(cat "$TOP/VERSION")

check "fresh boot: clnet is not loaded" eval '! module_loaded'
check_output "clnetctl without the module says so plainly" 1 \
	'^clnet kernel module is not loaded: modprobe clnet, or insmod path/to/clnet.ko$' "$CLNETCTL" version

mods_before=$(cut -d' ' -f1 /proc/modules | sort)
check "insmod clnet.ko" insmod "$CLNET_KO"
mods_after=$(cut -d' ' -f1 /proc/modules | sort)
check "insmod loaded clnet and nothing else" \
	test "$(comm -13 <(echo "$mods_before") <(echo "$mods_after"))" = clnet

check_output "genl (iproute2) sees family clnet version 1" 0 \
	'Name: clnet' genl ctrl get name clnet
check_output "genl lists the GET_INFO op" 0 'ID-0x1 ' genl ctrl get name clnet
check_output "genl shows version 0x1" 0 'Version: 0x1 ' genl ctrl get name clnet

modinfo_version=$(modinfo -F version "$CLNET_KO")
check "modinfo version is the tree's VERSION" test "$modinfo_version" = "$want_version"
check_output "clnetctl version agrees with modinfo" 0 \
	"^clnet module $modinfo_version \(genl family clnet version 1\)$" "$CLNETCTL" version
check_output "clnetctl version prints its own version" 0 \
	"^clnetctl $want_version$" "$CLNETCTL" version
check_output "clnetctl -j version is JSON with the module version" 0 \
	"^$modinfo_version$" sh -c "'$CLNETCTL' -j version |
	python3 -c 'import json,sys; print(json.load(sys.stdin)[\"module\"][\"version\"])'"
check_output "clnetctl -j -p version is pretty JSON" 0 '^    "module": \{$' \
	"$CLNETCTL" -j -p version
check_output "clnetctl version reports its features" 0 \
	'^features: link fastpath$' "$CLNETCTL" version
check_output "clnetctl version reports address family inet" 0 \
	'^address families: inet$' "$CLNETCTL" version

# Global options and CLI conventions.
check_output "abbreviated object 'v' runs version" 0 "^clnetctl $want_version$" \
	"$CLNETCTL" v
check_output "unknown object is a usage error (exit 2)" 2 'object "bogus" is unknown' \
	"$CLNETCTL" bogus
check_output "extra argument is a usage error (exit 2)" 2 'takes no arguments' \
	"$CLNETCTL" version extra
check_output "unknown option is a usage error (exit 2)" 2 'option "-z" is unknown' \
	"$CLNETCTL" -z version
check_output "no object prints usage (exit 2)" 2 '^Usage: clnetctl' "$CLNETCTL"
check_output "help at the top level" 0 '^Usage: clnetctl' "$CLNETCTL" help
check_output "help for an object" 0 '^Usage: clnetctl .*version' "$CLNETCTL" version help

netns_add clnet-mod-a
check_output "-n NETNS talks to the module in that netns" 0 '^clnet module ' \
	"$CLNETCTL" -n clnet-mod-a version
check_output "-n with a missing netns fails clearly" 1 \
	'cannot open network namespace "nonexistent"' "$CLNETCTL" -n nonexistent version
check_output "GET_INFO needs no privilege" 0 '^clnet module ' \
	setpriv --reuid=nobody --regid=nogroup --clear-groups "$CLNETCTL" version

batch=$(mktemp)
printf 'version\n# a comment\n\nbogus\nversion\n' >"$batch"
check_output "batch: a bad line is reported by line number" 1 \
	"command failed $batch:4" "$CLNETCTL" -b "$batch"
check_output "batch: stops at the first failure without -force" 0 \
	'^1$' sh -c "'$CLNETCTL' -b '$batch' 2>/dev/null | grep -c '^clnetctl '"
check_output "batch: -force runs the remaining lines" 0 \
	'^2$' sh -c "'$CLNETCTL' -force -b '$batch' 2>/dev/null | grep -c '^clnetctl '"
check_output "batch from stdin (-b -)" 0 '^clnet module ' \
	sh -c "echo version | '$CLNETCTL' -b -"
rm -f "$batch"

# Namespace teardown with the module loaded releases its pernet state.
check "deleting a netns with the module loaded" ip netns del clnet-mod-a
check "rmmod clnet" rmmod clnet
check "the module is gone" eval '! module_loaded'
check "genl no longer finds the family" eval '! genl ctrl get name clnet'
check_output "clnetctl says the module is not loaded again" 1 \
	'^clnet kernel module is not loaded' "$CLNETCTL" version
check "insmod again after rmmod" insmod "$CLNET_KO"
check "rmmod again" rmmod clnet

tap_done
