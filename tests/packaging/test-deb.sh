#!/usr/bin/env bash
# Packaging test: builds the sluice .deb with CPack from a configured build directory, installs it
# with dpkg, checks the installed layout, runs the systemd unit's ExecStart by hand (no systemd as
# PID 1 here) as an unprivileged user and expects 200 from /health and a persisted rule change,
# stops it, then removes and purges the package and checks that nothing it installed is left.
#
# Usage (as root; it changes the machine): tests/packaging/test-deb.sh <build-dir>
# Idempotent: a sluice package left by an interrupted run is purged first; everything the test sets
# up is undone on exit, also on failure.
set -euo pipefail

me=test-deb.sh
pkg=sluice

if [ "$(id -u)" -ne 0 ]; then
    echo "$me: must run as root: it installs and removes the package $pkg with dpkg" >&2
    exit 1
fi
if [ $# -ne 1 ] || [ ! -f "$1/CMakeCache.txt" ]; then
    echo "usage: $me <configured build directory>" >&2
    exit 2
fi
for tool in cpack dpkg dpkg-deb dpkg-shlibdeps curl setpriv python3; do
    command -v "$tool" >/dev/null || { echo "$me: $tool is missing (dpkg-shlibdeps: package dpkg-dev)" >&2; exit 1; }
done

build=$(realpath "$1")
work=$(mktemp -d /tmp/sluice-deb-test.XXXXXX)
chmod 711 "$work"
server_pid=""
created_state=()

step() { echo "== $*"; }
fail() { echo "FAIL: $*" >&2; exit 1; }

package_status() { dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || echo not-installed; }

cleanup() {
    local rc=$?
    if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
        kill -TERM "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    if [ "$(package_status)" != not-installed ]; then
        dpkg --purge "$pkg" >/dev/null 2>&1 || echo "$me: could not purge $pkg" >&2
    fi
    local path
    for path in "${created_state[@]}"; do
        rm -rf "$path"
    done
    rm -rf "$work"
    if [ "$rc" -eq 0 ]; then echo "PASS: $me"; else echo "FAIL: $me (exit $rc)" >&2; fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [ "$(package_status)" != not-installed ]; then
    step "purging $pkg left installed ($(package_status)) by an earlier run"
    dpkg --purge "$pkg" >/dev/null
fi

step "building sluice-server (and sluice-console) in $build"
targets=(sluice-server)
grep -q '^SLUICE_BUILD_CONSOLE:BOOL=ON' "$build/CMakeCache.txt" && targets+=(sluice-console)
cmake --build "$build" -j2 --target "${targets[@]}" >"$work/build.log" 2>&1 || { tail -30 "$work/build.log"; fail "build"; }

step "cpack -G DEB"
(cd "$build" && cpack -G DEB) >"$work/cpack.log" 2>&1 || { cat "$work/cpack.log"; fail "cpack"; }
deb=$(sed -n 's/^CPack: - package: \(.*\.deb\) generated\.$/\1/p' "$work/cpack.log")
[ -n "$deb" ] && [ -f "$deb" ] || { cat "$work/cpack.log"; fail "cpack named no .deb"; }
echo "$deb ($(du -h "$deb" | cut -f1))"

step "package metadata"
[ "$(dpkg-deb -f "$deb" Package)" = "$pkg" ] || fail "package name is not $pkg"
depends=$(dpkg-deb -f "$deb" Depends)
echo "Depends: $depends"
depends_names=$(tr '|,' '\n\n' <<<"$depends" | sed -e 's/^ *//' -e 's/ .*//')
# dpkg-shlibdeps ran: the Qt and hiredis libraries appear with versions.
for lib in libc6 libstdc++6 libqt6core6 libqt6network6 libhiredis0.14; do
    grep -qxF "$lib" <<<"$depends_names" || fail "Depends lacks $lib"
done
if [[ " ${targets[*]} " == *" sluice-console "* ]]; then
    for lib in libqt6widgets6 libqt6charts6 libqt6svg6; do
        grep -qxF "$lib" <<<"$depends_names" || fail "Depends lacks $lib"
    done
fi
dpkg-deb -I "$deb" conffiles >"$work/conffiles" || fail "no conffiles in the package"
grep -q '/sluice/sluice.json$' "$work/conffiles" || fail "config file is not a conffile"
grep -q '/default/sluice$' "$work/conffiles" || fail "default file is not a conffile"

# Which of the package's paths exist before installing: only the others must be gone after purge.
dpkg-deb --fsys-tarfile "$deb" | tar -t | sed -e 's|^\./|/|' -e 's|/$||' | grep -v '^/\?$' | sort >"$work/content"
while read -r path; do
    [ -e "$path" ] || [ -L "$path" ] || echo "$path"
done <"$work/content" >"$work/new-paths"

step "dpkg -i"
dpkg -i "$deb" >"$work/dpkg-i.log" 2>&1 || { cat "$work/dpkg-i.log"; fail "dpkg -i"; }
[ "$(package_status)" = installed ] || fail "status after dpkg -i: $(package_status)"
dpkg -L "$pkg" | sort >"$work/installed"
diff <(grep -v '^/\.$' "$work/installed") "$work/content" >/dev/null || fail "dpkg -L differs from the .deb's contents"

step "installed files"
find_one() {
    local found
    found=$(grep -E "$1" "$work/installed") || fail "nothing installed matches $1"
    [ "$(wc -l <<<"$found")" -eq 1 ] || fail "several paths match $1"
    echo "$found"
}
server=$(find_one '/bin/sluice-server$')
unit=$(find_one '/lib/systemd/system/sluice-server\.service$')
config=$(find_one '/sluice/sluice\.json$')
defaults=$(find_one '/default/sluice$')
example=$(find_one '/doc/sluice/examples/sluice\.example\.json$')
[ -x "$server" ] || fail "$server is not executable"
"$server" --version | grep -q '^sluice-server ' || fail "$server --version"
[ "$(stat -c %a "$defaults")" = 600 ] || fail "$defaults should be 0600 (it holds secrets), is $(stat -c %a "$defaults")"
cmp -s "$config" "$example" || fail "$config differs from the example"
if [[ " ${targets[*]} " == *" sluice-console "* ]]; then
    console=$(find_one '/bin/sluice-console$')
    desktop=$(find_one '/applications/sluice-console\.desktop$')
    icon=$(find_one '/icons/hicolor/scalable/apps/sluice\.svg$')
    [ -x "$console" ] || fail "$console is not executable"
    icon_name=$(sed -n 's/^Icon=//p' "$desktop")
    [ "$(basename "$icon" .svg)" = "$icon_name" ] || fail "desktop entry wants icon $icon_name, installed $icon"
    [ "$(basename "$(sed -n 's/^Exec=\([^ ]*\).*/\1/p' "$desktop")")" = sluice-console ] || fail "desktop entry Exec"
    ldd "$console" | grep -q 'not found' && fail "sluice-console has unresolved libraries"
fi
ldd "$server" | grep -q 'not found' && fail "sluice-server has unresolved libraries"
ldd "$server" | grep -Eq 'libQt6(Gui|Widgets|Charts)' && fail "sluice-server links GUI libraries"

step "unit file $unit"
for directive in DynamicUser=yes NoNewPrivileges=yes ProtectSystem=strict ProtectHome=yes PrivateTmp=yes \
                 StateDirectory=sluice "EnvironmentFile=-$defaults" 'Environment=RULES_FILE=%S/sluice/'; do
    grep -q "^$directive" "$unit" || fail "unit lacks $directive"
done
if command -v systemd-analyze >/dev/null; then
    systemd-analyze verify "$unit" >"$work/verify.log" 2>&1 || { cat "$work/verify.log"; fail "systemd-analyze verify"; }
    systemd-analyze security --offline=yes "$unit" 2>/dev/null | tail -1 || true
fi

step "ExecStart by hand, as nobody"
mapfile -t exec_lines < <(sed -n 's/^ExecStart=//p' "$unit")
[ "${#exec_lines[@]}" -eq 1 ] || fail "expected one ExecStart line, found ${#exec_lines[@]}"
[[ "${exec_lines[0]}" != *[\"\'%\$\\]* ]] || fail "ExecStart needs systemd's quoting/specifiers: ${exec_lines[0]}"
read -r -a command <<<"${exec_lines[0]#[-@:+!]}"
[ "${command[0]}" = "$server" ] || fail "ExecStart runs ${command[0]}, not $server"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
state="$work/state"
mkdir "$state"
chown nobody:nogroup "$state"
chmod 700 "$state"
admin_key="packaging-test-$$"
env -i PATH=/usr/bin:/bin LISTEN_ADDR="127.0.0.1:$port" RULES_FILE="$state/sluice/rules.json" ADMIN_KEY="$admin_key" \
    setpriv --reuid=nobody --regid=nogroup --clear-groups --no-new-privs "${command[@]}" >"$work/server.log" 2>&1 &
server_pid=$!
base="http://127.0.0.1:$port"
status=000
for _ in $(seq 100); do
    kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log"; fail "sluice-server exited at start"; }
    status=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$base/health" || true)
    [ "$status" = 200 ] && break
    sleep 0.1
done
[ "$status" = 200 ] || { cat "$work/server.log"; fail "/health answered $status"; }
echo "/health: 200 on port $port"
status=$(curl -s -o "$work/put.json" -w '%{http_code}' -X PUT -H "X-Admin-Key: $admin_key" \
    -H 'Content-Type: application/json' -d '{"endpoint": "/packaging-test", "requests": 7, "window": 60}' \
    "$base/admin/rate-limit/config")
[ "$status" = 200 ] || { cat "$work/put.json"; fail "PUT /admin/rate-limit/config answered $status"; }
grep -q '/packaging-test' "$state/sluice/rules.json" 2>/dev/null || fail "rule change not persisted to RULES_FILE"
echo "rule change persisted to RULES_FILE"
kill -TERM "$server_pid"
server_rc=0
wait "$server_pid" || server_rc=$?
server_pid=""
[ "$server_rc" -eq 0 ] || { cat "$work/server.log"; fail "sluice-server exited $server_rc on SIGTERM"; }
grep -q "$admin_key" "$work/server.log" && fail "the admin key appears in the log"

step "dpkg -r"
dpkg -r "$pkg" >"$work/dpkg-r.log" 2>&1 || { cat "$work/dpkg-r.log"; fail "dpkg -r"; }
[ "$(package_status)" = config-files ] || fail "status after dpkg -r: $(package_status)"
while read -r path; do
    if grep -qxF "$path" "$work/conffiles"; then
        [ -f "$path" ] || fail "dpkg -r removed conffile $path"
    elif [ ! -d "$path" ] || [ -L "$path" ]; then
        [ ! -e "$path" ] && [ ! -L "$path" ] || fail "left after dpkg -r: $path"
    fi
done <"$work/installed"

# State the service writes at run time (DynamicUser keeps /var/lib/sluice under /var/lib/private):
# purge removes it. Only set up when this machine has none of its own.
if [ ! -e /var/lib/sluice ] && [ ! -L /var/lib/sluice ] && [ ! -e /var/lib/private/sluice ]; then
    [ -d /var/lib/private ] || created_state+=(/var/lib/private)
    created_state+=(/var/lib/private/sluice /var/lib/sluice)
    mkdir -p /var/lib/private/sluice
    echo '[]' >/var/lib/private/sluice/rules.json
    ln -s private/sluice /var/lib/sluice
    check_state=yes
else
    check_state=no
fi

step "dpkg -P"
dpkg -P "$pkg" >"$work/dpkg-P.log" 2>&1 || { cat "$work/dpkg-P.log"; fail "dpkg -P"; }
[ "$(package_status)" = not-installed ] || fail "status after dpkg -P: $(package_status)"
left=()
while read -r path; do
    [ -e "$path" ] || [ -L "$path" ] && left+=("$path")
done <"$work/new-paths"
[ "${#left[@]}" -eq 0 ] || fail "left after purge: ${left[*]}"
if [ "$check_state" = yes ]; then
    [ ! -e /var/lib/private/sluice ] && [ ! -L /var/lib/sluice ] || fail "purge left the state in /var/lib"
    [ -d /var/lib/private ] && [[ " ${created_state[*]} " == *" /var/lib/private "* ]] && rmdir /var/lib/private
    created_state=()
fi
echo "nothing of the package is left ($(wc -l <"$work/new-paths") paths it created are gone)"
