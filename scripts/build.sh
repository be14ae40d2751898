#!/usr/bin/env bash
# Configures and builds Sluice into ./build (binaries in build/bin, tests in build/tests).
set -euo pipefail
cd "$(dirname "$0")/.."
"$(dirname "$0")"/deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"${SLUICE_JOBS:-2}"
