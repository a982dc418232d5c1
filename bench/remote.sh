#!/usr/bin/env bash
# A cold build with a remote (issue 15 §4), side by side in interleaved rounds on a generated workspace:
#   plain `cargo build`  vs  kache cold, local only  vs  kache cold with a remote configured (write-back on)
#   vs  the same with the remote read-only (the read-through's pre-pass and lookups, no write-back),
# each from `cargo clean` into a fresh store; medians over the rounds. Then a fresh runner (empty store,
# another checkout path): `kache sync --pull` + build, against a warm local build (issue 15 §3). For each build with a remote it
# also prints how long after cargo returned the last entry left the upload queue (the write-back's bound
# is in docs/sync.md). The remote is a shared directory: the uploader's work (pack, compress, write) is
# what competes with the build; an S3 remote adds only the network.
# kache runs as users run it (bin/kache -> kache server), with its own server directory.
# Usage: bench/remote.sh [CRATES=24] [ROUNDS=3]   (needs a built kache: mvn -q -DskipTests package)
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd -P)
crates=${1:-24}
rounds=${2:-3}
out="$root/target/bench-remote"
rm -rf "$out"; mkdir -p "$out"
ws="$out/ws"
"$root/bench/gen-workspace.sh" "$ws" "$crates"
kache="$root/bin/kache"
export CARGO_TERM_COLOR=never KACHE_SERVER_DIR="$out/server"
unset RUSTC_WRAPPER KACHE_CONFIG

now() { date +%s.%N; }
secs() { awk "BEGIN { printf \"%.2f\", $2 - $1 }"; }
ratio() { awk "BEGIN { printf \"%.2f\", $1 / $2 }"; }
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
markers() { find "$1/pending" -maxdepth 1 -type f ! -name '.*' ! -name '*.log' 2>/dev/null | wc -l; }
timed_build() { # env...
    (cd "$ws" && cargo clean -q)
    local s e; s=$(now)
    (cd "$ws" && env "$@" cargo build -q 2>/dev/null)
    e=$(now)
    secs "$s" "$e"
}
# Waits until the store's uploader has sent everything and exited, so it never overlaps the next build.
settle() { # store
    local s; s=$(now)
    while [ "$(markers "$1")" -gt 0 ]; do sleep 0.1; done
    local lag; lag=$(secs "$s" "$(now)")
    while fuser -s "$1/pending/.uploader.lock" 2>/dev/null; do sleep 0.2; done
    echo "$lag"
}

echo "workspace: $crates library crates + proc-macro + app ($(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg))"
(cd "$ws" && cargo build -q 2>/dev/null && cargo clean -q)   # warm the OS caches once
: > "$out/plain"; : > "$out/local"; : > "$out/remote"; : > "$out/lag"; : > "$out/ro"
for r in $(seq 1 "$rounds"); do
    rm -rf "$out/store-local" "$out/store-remote" "$out/share"; mkdir -p "$out/share"
    rm -rf "$out/store-ro" "$out/share-ro"; mkdir -p "$out/share-ro"
    printf '[cache.remote]\ntype = "filesystem"\npath = "%s"\n' "$out/share" > "$out/remote.toml"
    printf '[cache]\nremote_readonly = true\n[cache.remote]\ntype = "filesystem"\npath = "%s"\n' "$out/share-ro" > "$out/ro.toml"
    p=$(timed_build RUSTC_WRAPPER=)
    l=$(timed_build RUSTC_WRAPPER="$kache" KACHE_CACHE_DIR="$out/store-local")
    w=$(timed_build RUSTC_WRAPPER="$kache" KACHE_CACHE_DIR="$out/store-remote" KACHE_CONFIG="$out/remote.toml")
    lag=$(settle "$out/store-remote")
    o=$(timed_build RUSTC_WRAPPER="$kache" KACHE_CACHE_DIR="$out/store-ro" KACHE_CONFIG="$out/ro.toml")
    sent=$(find "$out/share" -name '*.tar.zst' | wc -l)
    echo "$p" >> "$out/plain"; echo "$l" >> "$out/local"; echo "$w" >> "$out/remote"; echo "$lag" >> "$out/lag"; echo "$o" >> "$out/ro"
    printf 'round %d: plain %5ss  local-only %5ss  with remote %5ss  (last upload %ss after the build, %d entries sent)  read-only remote %5ss\n' \
        "$r" "$p" "$l" "$w" "$lag" "$sent" "$o"
done
plain=$(median < "$out/plain"); local_=$(median < "$out/local"); remote=$(median < "$out/remote"); lag=$(median < "$out/lag")
ro=$(median < "$out/ro")
printf 'median of %d rounds:\n' "$rounds"
printf 'plain cargo build          %6ss\n' "$plain"
printf 'kache cold, local only     %6ss  (%sx plain)\n' "$local_" "$(ratio "$local_" "$plain")"
printf 'kache cold, with remote    %6ss  (%sx plain; goal <= 1.10; %sx local only)\n' "$remote" \
    "$(ratio "$remote" "$plain")" "$(ratio "$remote" "$local_")"
printf 'last upload after build    %6ss  (bound: 2.25 s + the uploads themselves)\n' "$lag"
printf 'kache cold, read-only rem. %6ss  (%sx plain: the read-through pre-pass and lookups alone)\n' "$ro" "$(ratio "$ro" "$plain")"

# Fresh runner (§3): another checkout path, an empty store, `kache sync --pull` from the share the last
# round's write-back filled, then the build; against a warm build from the local-only store.
cp -r "$ws" "$out/ws2"; rm -rf "$out/ws2/target"
warm=$(timed_build RUSTC_WRAPPER="$kache" KACHE_CACHE_DIR="$out/store-local")
s=$(now); (cd "$out/ws2" && KACHE_CACHE_DIR="$out/store-fresh" KACHE_CONFIG="$out/remote.toml" "$kache" sync --pull > "$out/pull.txt")
pull=$(secs "$s" "$(now)")
s=$(now); (cd "$out/ws2" && RUSTC_WRAPPER="$kache" KACHE_CACHE_DIR="$out/store-fresh" KACHE_CONFIG="$out/ro.toml" cargo build -q 2>/dev/null)
built=$(secs "$s" "$(now)")
printf 'local warm build           %6ss\n' "$warm"
printf 'fresh runner: pull %ss + build %ss = %sx local warm (goal <= 1.5; %s)\n' "$pull" "$built" \
    "$(ratio "$(awk "BEGIN { print $pull + $built }")" "$warm")" "$(head -1 "$out/pull.txt")"
