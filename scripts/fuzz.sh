#!/usr/bin/env bash
# Builds the libFuzzer targets (CMake preset "fuzz", clang + ASan + UBSan, into ./build-fuzz) and runs
# each for FUZZ_SECONDS (default 30). Seeds come from tests/fuzz/corpus/<target>/ (read only); what the
# fuzzer discovers goes to build-fuzz/fuzz/corpus-<target>/. A crash stops with its input in
# build-fuzz/fuzz/crash-<target>-*: fix the bug, then copy the input into tests/fuzz/corpus/<target>/
# so tst_fuzzcorpus replays it in every normal build.
# Usage: scripts/fuzz.sh [target...]   (targets: config adminjson client httpparser)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${FUZZ_SECONDS:-30}"
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(config adminjson client httpparser)
cmake --preset fuzz >/dev/null
cmake --build build-fuzz -j"${SLUICE_JOBS:-2}" --target "${targets[@]/#/fuzz_}"
export ASAN_OPTIONS="abort_on_error=1:detect_leaks=0"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
failed=()
for t in "${targets[@]}"; do
    work="build-fuzz/fuzz/corpus-$t"
    mkdir -p "$work"
    dict=()
    [ -f "tests/fuzz/$t.dict" ] && dict=("-dict=tests/fuzz/$t.dict")
    echo "== fuzz_$t for ${seconds}s"
    if ! "build-fuzz/fuzz/fuzz_$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=4096 \
            -print_final_stats=1 "${dict[@]}" -artifact_prefix="build-fuzz/fuzz/crash-$t-" "$work" "tests/fuzz/corpus/$t" \
            2>"build-fuzz/fuzz/fuzz_$t.log"; then
        failed+=("$t")
        tail -n 60 "build-fuzz/fuzz/fuzz_$t.log"
    else
        grep -E "^stat::(number_of_executed_units|peak_rss_mb)|^#[0-9]+.*DONE" "build-fuzz/fuzz/fuzz_$t.log" || true
    fi
done
if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzz.sh: crashes in: ${failed[*]} (inputs: build-fuzz/fuzz/crash-*)"
    exit 1
fi
echo "fuzz.sh: ${targets[*]}: no crash in ${seconds}s each"
