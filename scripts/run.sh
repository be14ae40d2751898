#!/usr/bin/env bash
# Installs what is missing, builds, and runs Sluice: the console with its embedded service where
# there is a display, the headless sluice-server otherwise. Extra arguments go to the program.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
    exec build/bin/sluice-console "$@"
fi
exec build/bin/sluice-server "$@"
