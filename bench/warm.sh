#!/usr/bin/env bash
# Warm build after `cargo clean` against plain cargo from clean (issue 16 §2), and where the warm
# build's time goes. On a generated workspace: interleaved rounds of a plain cold build and a kache
# warm build (medians, ratio; goal <= 0.04x) through bin/kache and through the native client as
# the rustc-wrapper (as `kache init` installs a release archive), then one warm build under strace (execve/exit only,
# seccomp-filtered) broken down into cargo's start, rustc queries, hits and build-script runs, with
# the kache server's CPU; then the parts of one hit (launcher, native client, server) side by side.
# Usage: [KACHE_BIN=other/bin/kache] [SERVER_BUILDS=2] bench/warm.sh [CRATES=48] [ROUNDS=5]   (needs a built kache)
# SERVER_BUILDS: warm builds the kache server serves before the timed rounds. A young server's JIT is
# still compiling (for about its first 20 builds, on 2 cores); SERVER_BUILDS=30 measures one that
# has settled, as a developer's server is after a while of use (it lives until 10 idle minutes).
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd -P)
crates=${1:-48}; rounds=${2:-5}
kache=${KACHE_BIN:-$root/bin/kache}
kroot=$(cd "$(dirname "$kache")/.." && pwd -P)
out="$root/target/bench-warm"
rm -rf "$out"; mkdir -p "$out/rec"
"$root/bench/gen-workspace.sh" "$out/ws" "$crates" >/dev/null
export CARGO_TERM_COLOR=never KACHE_CACHE_DIR="$out/store" KACHE_SERVER_DIR="$out/server"
unset RUSTC_WRAPPER KACHE_CONFIG KACHE_NO_SERVER KACHE_BUILD_ID
mkdir -m 700 "$KACHE_SERVER_DIR"
ws="$out/ws"
ms() { date +%s%N; }
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
timed() { (cd "$ws" && cargo clean -q); local s; s=$(ms); (cd "$ws" && env "$@" cargo build -q 2>/dev/null); echo $(( ($(ms) - s) / 1000000 )); }
(cd "$ws" && cargo build -q 2>/dev/null)                          # the OS caches
for _ in $(seq 1 "${SERVER_BUILDS:-2}"); do timed RUSTC_WRAPPER="$kache" >/dev/null; done   # the store, the server
# The native client as the rustc-wrapper itself is what `kache init` sets up from a release archive;
# it finds this checkout's bin/kache and jar, so it reaches the same server as bin/kache.
client="$kroot/kache-cli/target/kache-client"
[ -x "$client" ] || client=
: > "$out/plain"; : > "$out/warm"; : > "$out/native"
for i in $(seq 1 "$rounds"); do
    timed RUSTC_WRAPPER= >> "$out/plain"
    timed RUSTC_WRAPPER="$kache" >> "$out/warm"
    if [ -n "$client" ]; then timed RUSTC_WRAPPER="$client" >> "$out/native"; fi
done
plain=$(median < "$out/plain"); warm=$(median < "$out/warm")
echo "workspace: $crates library crates + proc-macro + build scripts + app; $(nproc) cores; $rounds interleaved rounds;" \
    "the kache server served ${SERVER_BUILDS:-2} warm builds before them"
echo "plain cargo build from clean   ${plain} ms   (rounds: $(tr '\n' ' ' < "$out/plain"))"
echo "kache warm after cargo clean   ${warm} ms   (rounds: $(tr '\n' ' ' < "$out/warm"); bin/kache)"
echo "ratio                          $(awk "BEGIN { printf \"%.3f\", $warm / $plain }")x plain cold (goal <= 0.04)"
if [ -n "$client" ]; then
    native=$(median < "$out/native")
    echo "kache warm, native client      ${native} ms   (rounds: $(tr '\n' ' ' < "$out/native"); as kache init installs it)"
    echo "ratio                          $(awk "BEGIN { printf \"%.3f\", $native / $plain }")x plain cold"
fi

server=$(pgrep -f "__server $KACHE_SERVER_DIR" | head -n 1 || true)
if command -v strace >/dev/null && [ -n "$server" ]; then
    echo; echo "one warm build, traced:"
    cpu() { awk '{ print ($14 + $15) * 10 }' "/proc/$server/stat"; }   # ms, at 100 ticks/s
    (cd "$ws" && cargo clean -q)
    c0=$(cpu); s=$(ms)
    (cd "$ws" && RUSTC_WRAPPER="$kache" strace -f --seccomp-bpf -qq -e trace=execve,exit_group -ttt -o "$out/trace" cargo build -q 2>/dev/null)
    e=$(ms); c1=$(cpu)
    python3 "$root/bench/lib/warm_breakdown.py" "$out/trace" $((c1 - c0)) $(( (e - s) / 1000000 ))
else
    echo "(no strace, or no server found: no breakdown)"
fi

# One hit's parts: the launcher, the native client alone, the spawn floor (same call, same env).
cat > "$out/record.sh" <<SH
#!/bin/sh
case " \$* " in *" --crate-name c$((crates / 2)) "*) pwd > "$out/rec/cwd"; env -0 > "$out/rec/env"; printf '%s\0' "\$@" > "$out/rec/args";; esac
exec "$kache" "\$@"
SH
chmod +x "$out/record.sh"
(cd "$ws" && cargo clean -q && RUSTC_WRAPPER="$out/record.sh" cargo build -q 2>/dev/null)
echo; echo "one hit, by part (medians of interleaved rounds):"
echo "  through bin/kache (sh launcher + native client + server):"
python3 "$root/bench/lib/spawn_rounds.py" "$out/rec" "$kache" 60 | sed 's/^/    /'
if [ -x "$kroot/kache-cli/target/kache-client" ]; then
    echo "  the native client as the rustc-wrapper itself (what kache init sets up in a release archive):"
    python3 "$root/bench/lib/spawn_rounds.py" "$out/rec" "$kroot/kache-cli/target/kache-client" 60 | sed 's/^/    /'
fi
for pid in $(pgrep -f "__server $KACHE_SERVER_DIR" || true); do kill "$pid" 2>/dev/null || true; done
