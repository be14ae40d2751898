#!/usr/bin/env bash
# Builds the whole suite (console included) with AddressSanitizer + UndefinedBehaviorSanitizer (CMake
# preset "asan", gcc, into ./build-asan) and runs every test with it. Any sanitizer report fails the
# test that triggered it: ASan aborts on the first error, UBSan is built with -fno-sanitize-recover,
# LeakSanitizer runs at every process exit (suppressions: tests/sanitizers/lsan.supp, see its header).
# Processes the tests start (sluice-server from build-asan/bin) run instrumented with the same options.
# Arguments are passed to ctest, e.g. scripts/sanitize.sh -L faults, or -E 'tst_console.*'.
set -euo pipefail
cd "$(dirname "$0")/.."
export QT_QPA_PLATFORM=offscreen
cmake --preset asan -DSLUICE_BUILD_CONSOLE=ON >/dev/null
cmake --build build-asan -j"${SLUICE_JOBS:-2}"
supp="$PWD/tests/sanitizers"
export ASAN_OPTIONS="abort_on_error=1:halt_on_error=1:detect_leaks=1:check_initialization_order=1:strict_init_order=1:detect_odr_violation=1:quarantine_size_mb=4:thread_local_quarantine_size_kb=64"
export LSAN_OPTIONS="suppressions=$supp/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:suppressions=$supp/ubsan.supp"
start=$(date +%s)
status=0
ctest --test-dir build-asan --output-on-failure -j"${SLUICE_JOBS:-2}" "$@" || status=$?
echo "sanitize.sh: ctest took $(( $(date +%s) - start )) s"
exit $status
