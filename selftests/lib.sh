# SPDX-License-Identifier: GPL-2.0
# Shared helpers for clnet selftests: TAP output and checks, on top of
# lib/env.sh (paths, namespaces, cleanup, polling).
#
# A test script sources this file, writes one function per scenario, lists
# them in ALL_TESTS and ends with tests_run "$@" (or, to run each scenario
# more than once, loops over tests_selected "$@" itself and calls tap_done).

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
		# The diagnostics, the first and last lines of a long one (a
		# failure message usually comes last).
		[ -n "${3:-}" ] && [ -s "$3" ] &&
			awk '{ l[NR] = $0 } END {
				for (i = 1; i <= NR; i++)
					if (NR <= 60 || i <= 20 || i > NR - 40) print "#   " l[i]
					else if (i == 21) print "#   ... (" NR - 60 " lines) ..."
			}' "$3"
	fi
	if [ -n "${CLNET_TAP_TIMES:-}" ]; then
		local now
		now=$(date +%s%N)
		echo "# time $(((now - _tap_last) / 1000000)) ms"
		_tap_last=$now
	fi
	return "$1"
}

# _check_status WANT DESC CMD...: run CMD; a result saying whether its
# exit status was WANT (a number, or "failure": any but 0).
_check_status() {
	local want=$1 desc=$2 out rc bad
	shift 2
	out=$(mktemp)
	"$@" >"$out" 2>&1
	rc=$?
	if [ "$want" = failure ]; then
		bad=$((rc == 0))
	else
		bad=$((rc != want))
	fi
	[ $bad = 0 ] || echo "command: $* (exit $rc, wanted $want)" >>"$out"
	_tap_result $bad "$desc" "$out"
	rc=$?
	rm -f "$out"
	return $rc
}

# check DESC CMD...: CMD must succeed.
check() {
	_check_status 0 "$@"
}

# check_fail DESC CMD...: CMD must fail (exit with any non-zero status).
check_fail() {
	_check_status failure "$@"
}

# check_exit DESC RC CMD...: CMD must exit with status RC.
check_exit() {
	local desc=$1 want=$2
	shift 2
	_check_status "$want" "$desc" "$@"
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

# tests_selected [-t NAME]...: the scenarios to run, one a line: those
# named with -t, else those in $TESTS, else all of $ALL_TESTS (names
# separated by any white space), in the order given. A name that is not in
# $ALL_TESTS bails out.
tests_selected() {
	local picked=() all t
	all=$(echo $ALL_TESTS)
	while [ $# -gt 0 ]; do
		case $1 in
		-t) picked+=("${2:?-t needs a scenario name}"); shift ;;
		*) bail "unknown argument '$1' (use -t NAME; scenarios: $all)" ;;
		esac
		shift
	done
	[ ${#picked[@]} -gt 0 ] || picked=(${TESTS:-$all})
	for t in "${picked[@]}"; do
		case " $all " in
		*" $t "*) echo "$t" ;;
		*) bail "no scenario '$t' (scenarios: $all)" ;;
		esac
	done
}

# tests_run [-t NAME]...: run each selected scenario, a function of the
# script, then end the TAP output.
tests_run() {
	local t start
	t=$(tests_selected "$@") || { echo "$t"; exit 1; }
	for t in $t; do
		echo "# scenario $t"
		start=$SECONDS
		"$t"
		echo "# scenario $t took $((SECONDS - start))s"
	done
	tap_done
}

tap_done() {
	echo "1..$_tap_n"
	[ "$_tap_failed" = 0 ]
}

