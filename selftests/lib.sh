# SPDX-License-Identifier: GPL-2.0
# Shared helpers for clnet selftests: TAP output and checks, on top of
# lib/env.sh (paths, namespaces, cleanup, polling).
#
# A test script sources this file, calls its checks and ends with tap_done.

. "$(dirname "${BASH_SOURCE[0]}")/lib/env.sh"

_tap_n=0
_tap_failed=0
# CLNET_TAP_TIMES=1: a comment after each result with the seconds since
# the last one, to find what makes a script slow.
_tap_last=$(date +%s%N)

echo "TAP version 13"

_tap_result() {	# STATUS(0=ok) DESCRIPTION [DIAG-FILE]
	_tap_n=$((_tap_n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $_tap_n - $2"
	else
		_tap_failed=$((_tap_failed + 1))
		echo "not ok $_tap_n - $2"
		[ -n "${3:-}" ] && [ -s "$3" ] && sed 's/^/#   /' "$3" | head -n 40
	fi
	if [ -n "${CLNET_TAP_TIMES:-}" ]; then
		local now
		now=$(date +%s%N)
		echo "# time $(((now - _tap_last) / 1000000)) ms"
		_tap_last=$now
	fi
	return "$1"
}

# check DESC CMD...: CMD must succeed.
check() {
	local desc=$1 out rc
	shift
	out=$(mktemp)
	"$@" >"$out" 2>&1
	rc=$?
	[ $rc = 0 ] || echo "command: $* (exit $rc)" >>"$out"
	_tap_result $((rc != 0)) "$desc" "$out"
	rc=$?
	rm -f "$out"
	return $rc
}

# check_exit DESC RC CMD...: CMD must exit with status RC.
check_exit() {
	local desc=$1 want=$2 out rc
	shift 2
	out=$(mktemp)
	"$@" >"$out" 2>&1
	rc=$?
	[ $rc = "$want" ] || echo "command: $* (exit $rc, wanted $want)" >>"$out"
	_tap_result $((rc != want)) "$desc" "$out"
	rc=$?
	rm -f "$out"
	return $rc
}

# check_output DESC RC REGEX CMD...: CMD exits RC and its combined output
# matches the extended REGEX.
check_output() {
	local desc=$1 want=$2 re=$3 out rc bad=0
	shift 3
	out=$(mktemp)
	"$@" >"$out" 2>&1
	rc=$?
	if [ $rc != "$want" ]; then
		echo "command: $* (exit $rc, wanted $want)" >>"$out"
		bad=1
	elif ! grep -Eq -- "$re" "$out"; then
		echo "command: $* output does not match /$re/" >>"$out"
		bad=1
	fi
	_tap_result $bad "$desc" "$out"
	rc=$?
	rm -f "$out"
	return $rc
}

# skip DESC REASON: the reason must tell the user what to do.
skip() {
	_tap_n=$((_tap_n + 1))
	echo "ok $_tap_n - $1 # SKIP $2"
}

# bail REASON: a precondition failed; later checks would be meaningless.
bail() {
	echo "Bail out! $*"
	exit 1
}

tap_done() {
	echo "1..$_tap_n"
	[ "$_tap_failed" = 0 ]
}

