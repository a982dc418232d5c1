#!/usr/bin/env bash
# Before/after in one run: this checkout's kache against another checkout's (e.g. a worktree of the
# commit before a change), on one generated workspace, rounds interleaved so noise hits both alike.
# Per round and per side: `cargo clean` then a build, timed — cold (empty store) and warm (full store).
# Prints each side's median and the ratio after/before.
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
build() { # kache-binary store server-dir -> milliseconds of `cargo build` after `cargo clean`
    (cd "$ws" && cargo clean -q)
    local s e; s=$(now)
    (cd "$ws" && RUSTC_WRAPPER="$1" KACHE_CACHE_DIR="$2" KACHE_SERVER_DIR="$3" cargo build -q 2>/dev/null)
    e=$(now)
    echo $(( (e - s) / 1000000 ))
}

echo "workspace: $crates library crates + proc-macro + app ($(nproc) cores), $rounds rounds"
echo "after:  $root ($(git -C "$root" rev-parse --short HEAD))"
echo "before: $base ($(git -C "$base" rev-parse --short HEAD))"
(cd "$ws" && cargo build -q 2>/dev/null && cargo clean -q)   # warm the OS caches once
for side in before after; do
    : > "$out/$side.cold"; : > "$out/$side.warm"
done
for r in $(seq 1 "$rounds"); do
    for side in before after; do
        if [ "$side" = before ]; then dir=$base; else dir=$root; fi
        rm -rf "$out/store-$side"
        build "$dir/bin/kache" "$out/store-$side" "$out/server-$side" >> "$out/$side.cold"
        build "$dir/bin/kache" "$out/store-$side" "$out/server-$side" >> "$out/$side.warm"
    done
done
for kind in cold warm; do
    b=$(median < "$out/before.$kind"); a=$(median < "$out/after.$kind")
    printf '%-5s before %6sms  after %6sms  after/before %s  (medians; rounds: before %s | after %s)\n' "$kind" "$b" "$a" \
        "$(awk "BEGIN { printf \"%.3f\", $a / $b }")" "$(tr '\n' ' ' < "$out/before.$kind")" "$(tr '\n' ' ' < "$out/after.$kind")"
done
