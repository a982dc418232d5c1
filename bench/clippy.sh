#!/usr/bin/env bash
# cargo clippy through kache on one generated workspace, side by side in one run, rounds
# interleaved so noise hits every case alike. Per round, each timed after `cargo clean`:
#   plain        cargo clippy without kache
#   kache cold   cargo clippy through kache, empty store (and a fresh server directory)
#   kache warm   cargo clippy through kache again, the store full
#   native warm  the same through the native client as the rustc-wrapper (as kache init installs it)
# Prints the medians and warm/plain (issue 16's goal: <= 0.08). Workspace members run as
# `kache clippy-driver rustc …`, so this measures the chain, not only rustc checks.
# Usage: bench/clippy.sh [CRATES [ROUNDS]]   (built: mvn -q -DskipTests package)
# SERVER_BUILDS=N (default 0): clippy builds the kache server serves before the timed rounds; a young
# server's JIT is still compiling for about its first 20 builds (2 cores), N=30 measures a settled one.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd -P)
crates=${1:-48}
rounds=${2:-5}
out="$root/target/bench-clippy"
rm -rf "$out"; mkdir -p "$out"
ws="$out/ws"
"$root/bench/gen-workspace.sh" "$ws" "$crates"
export CARGO_TERM_COLOR=never
unset RUSTC_WRAPPER RUSTC_WORKSPACE_WRAPPER KACHE_CONFIG KACHE_DISABLED

# The generated code trips deny-by-default lints (clippy::erasing_op): capped at warn, so every
# crate lints, warns and is cached, the same on every side.
lint=(-- --cap-lints warn)

now() { date +%s%N; }
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
clippy() { # [wrapper store server-dir] -> milliseconds of `cargo clippy` after `cargo clean`
    (cd "$ws" && cargo clean -q)
    local s e; s=$(now)
    if [ $# -eq 0 ]; then
        (cd "$ws" && cargo clippy -q "${lint[@]}" 2>/dev/null)
    else
        (cd "$ws" && RUSTC_WRAPPER="$1" KACHE_CACHE_DIR="$2" KACHE_SERVER_DIR="$3" cargo clippy -q "${lint[@]}" 2>/dev/null)
    fi
    e=$(now)
    echo $(( (e - s) / 1000000 ))
}

echo "workspace: $crates library crates + proc-macro + app ($(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)), $rounds rounds;" \
    "the kache server served ${SERVER_BUILDS:-0} clippy builds before them"
echo "kache: $root ($(git -C "$root" rev-parse --short HEAD)); $(cargo clippy --version)"
(cd "$ws" && cargo clippy -q "${lint[@]}" 2>/dev/null && cargo clean -q)   # warm the OS caches once
# The native client as the rustc-wrapper itself, as `kache init` installs a release archive: the same
# server as bin/kache (it finds this checkout's launcher and jar).
client="$root/kache-cli/target/kache-client"
[ -x "$client" ] || client=
: > "$out/plain"; : > "$out/cold"; : > "$out/warm"; : > "$out/native"
for _ in $(seq 1 "${SERVER_BUILDS:-0}"); do clippy "$root/bin/kache" "$out/store" "$out/server" >/dev/null; done
for r in $(seq 1 "$rounds"); do
    clippy >> "$out/plain"
    rm -rf "$out/store"
    clippy "$root/bin/kache" "$out/store" "$out/server" >> "$out/cold"
    clippy "$root/bin/kache" "$out/store" "$out/server" >> "$out/warm"
    if [ -n "$client" ]; then clippy "$client" "$out/store" "$out/server" >> "$out/native"; fi
done
p=$(median < "$out/plain"); c=$(median < "$out/cold"); w=$(median < "$out/warm")
printf '%-22s %6sms  (rounds: %s)\n' "plain cargo clippy" "$p" "$(tr '\n' ' ' < "$out/plain")"
printf '%-22s %6sms  (rounds: %s)\n' "kache clippy cold" "$c" "$(tr '\n' ' ' < "$out/cold")"
printf '%-22s %6sms  (rounds: %s)\n' "kache clippy warm" "$w" "$(tr '\n' ' ' < "$out/warm")"
printf 'cold/plain %s   warm/plain %s   (medians; warm is after cargo clean)\n' \
    "$(awk "BEGIN { printf \"%.3f\", $c / $p }")" "$(awk "BEGIN { printf \"%.3f\", $w / $p }")"
if [ -n "$client" ]; then
    n=$(median < "$out/native")
    printf '%-22s %6sms  (rounds: %s)\n' "kache warm, native" "$n" "$(tr '\n' ' ' < "$out/native")"
    printf 'native warm/plain %s   (the native client as the rustc-wrapper, as kache init installs it)\n' \
        "$(awk "BEGIN { printf \"%.3f\", $n / $p }")"
fi
