#!/usr/bin/env bash
# Installs the Debian 12 packages Sluice needs to build, run and test. Idempotent: apt-get runs only
# when something is missing. Includes the packages Debian forgets in its dependency lists
# (qt6-websockets-dev for HttpServer, libqt6opengl6-dev for Charts, xauth for xvfb-run).
set -euo pipefail

packages=(
    g++ make cmake pkgconf
    qt6-base-dev qt6-httpserver-dev qt6-websockets-dev
    qt6-charts-dev libqt6opengl6-dev qt6-tools-dev qt6-l10n-tools qt6-translations-l10n
    libqt6svg6 fonts-wqy-microhei
    libhiredis-dev redis-server openssl
    xvfb xauth
    nginx-light prometheus curl python3 dpkg-dev
    clang libclang-rt-14-dev
)

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installing: ${missing[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
# Keep the redis-server and nginx packages from starting system daemons on their default ports.
if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' | $sudo tee /usr/sbin/policy-rc.d >/dev/null
    $sudo chmod +x /usr/sbin/policy-rc.d
    trap '$sudo rm -f /usr/sbin/policy-rc.d' EXIT
fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
