#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test. Tests that need Redis start their own
# redis-server on a free loopback port and fail (never skip) when it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
export QT_QPA_PLATFORM=offscreen
cd build
ctest --output-on-failure -j"${SLUICE_JOBS:-2}" "$@"
