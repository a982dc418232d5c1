#!/usr/bin/env bash
# Before/after in one run: this checkout's kache against another checkout's (e.g. a worktree of the
# commit before a change), on one generated workspace, rounds interleaved so noise hits both alike.
# Per round and per side: `cargo clean` then a build, timed — cold (empty store), warm (full store),
# and warm again: the next warm build, whose store's blobs the first one linked into target/ and
# cargo clean unlinked (what a developer's repeated clean builds meet).
# Prints each side's median and the ratio after/before, for the time and for the CPU its kache server
# spent on the build (utime + stime from /proc, 10 ms ticks: steadier than the time on a noisy machine).
# Usage: bench/compare.sh BASELINE_CHECKOUT [CRATES [ROUNDS]]   (both checkouts built: mvn -q -DskipTests package)
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd -P)
base=$(cd "${1:?usage: bench/compare.sh BASELINE_CHECKOUT [CRATES [ROUNDS]]}" && pwd -P)
crates=${2:-48}
rounds=${3:-7}
out="$root/target/bench-compare"
rm -rf "$out"; mkdir -p "$out"
ws="$out/ws"
"$root/bench/gen-workspace.sh" "$ws" "$crates"
export CARGO_TERM_COLOR=never
unset RUSTC_WRAPPER KACHE_CONFIG

now() { date +%s%N; }
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
# The CPU (ms) the kache server of server directory $1 has used so far; 0 when none runs.
server_cpu() {
    local pid; pid=$(pgrep -f -- "__server $1/" | head -n 1 || true)
    if [ -n "$pid" ]; then awk '{ print ($14 + $15) * 10 }' "/proc/$pid/stat" 2>/dev/null || echo 0; else echo 0; fi
}
build() { # kache-binary store server-dir kind-file -> appends the milliseconds of `cargo build` after
          # `cargo clean` to kind-file, and the server's CPU during it to kind-file.cpu
    (cd "$ws" && cargo clean -q)
    local s e c0 c1; c0=$(server_cpu "$3"); s=$(now)
    (cd "$ws" && RUSTC_WRAPPER="$1" KACHE_CACHE_DIR="$2" KACHE_SERVER_DIR="$3" cargo build -q 2>/dev/null)
    e=$(now); c1=$(server_cpu "$3")
    echo $(( (e - s) / 1000000 )) >> "$4"
    echo $(( c1 >= c0 ? c1 - c0 : c1 )) >> "$4.cpu"   # a server started by this build counts from 0
}

echo "workspace: $crates library crates + proc-macro + app ($(nproc) cores), $rounds rounds"
echo "after:  $root ($(git -C "$root" rev-parse --short HEAD))"
echo "before: $base ($(git -C "$base" rev-parse --short HEAD))"
(cd "$ws" && cargo build -q 2>/dev/null && cargo clean -q)   # warm the OS caches once
for side in before after; do
    for kind in cold warm again; do : > "$out/$side.$kind"; : > "$out/$side.$kind.cpu"; done
done
for r in $(seq 1 "$rounds"); do
    for side in before after; do
        if [ "$side" = before ]; then dir=$base; else dir=$root; fi
        rm -rf "$out/store-$side"
        build "$dir/bin/kache" "$out/store-$side" "$out/server-$side" "$out/$side.cold"
        build "$dir/bin/kache" "$out/store-$side" "$out/server-$side" "$out/$side.warm"
        build "$dir/bin/kache" "$out/store-$side" "$out/server-$side" "$out/$side.again"
    done
done
for kind in cold warm again; do
    b=$(median < "$out/before.$kind"); a=$(median < "$out/after.$kind")
    printf '%-5s before %6sms  after %6sms  after/before %s  (medians; rounds: before %s | after %s)\n' "$kind" "$b" "$a" \
        "$(awk "BEGIN { printf \"%.3f\", $a / $b }")" "$(tr '\n' ' ' < "$out/before.$kind")" "$(tr '\n' ' ' < "$out/after.$kind")"
    b=$(median < "$out/before.$kind.cpu"); a=$(median < "$out/after.$kind.cpu")
    printf '      server CPU before %6sms  after %6sms  after/before %s\n' "$b" "$a" \
        "$(awk "BEGIN { printf \"%.3f\", ($b > 0 ? $a / $b : 0) }")"
done
