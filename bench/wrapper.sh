#!/usr/bin/env bash
# Wrapper benchmark (issue 4), all measured side by side in one run on a generated workspace:
#   plain cargo build (clean)  vs  kache cold  vs  kache warm after `cargo clean`  vs  sccache warm;
#   the wrapper's own time per call on a hit (through the kache server, and in a JVM per call) vs
#   starting an empty main on the same JVM. kache runs as users run it: bin/kache, whose native
#   client hands calls to the kache server (started by the first call, like sccache's server).
# Usage: bench/wrapper.sh [CRATES]   (needs a built kache: mvn -q -DskipTests package)
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd -P)
crates=${1:-48}
out="$root/target/bench-wrapper"
rm -rf "$out"; mkdir -p "$out"
ws="$out/ws"
"$root/bench/gen-workspace.sh" "$ws" "$crates"
kache="$root/bin/kache"
export CARGO_TERM_COLOR=never
unset RUSTC_WRAPPER KACHE_CONFIG

now() { date +%s.%N; }
secs() { awk "BEGIN { printf \"%.2f\", $2 - $1 }"; }
ratio() { awk "BEGIN { printf \"%.2f\", $1 / $2 }"; }
timed_build() { # label, env...
    local label=$1; shift
    (cd "$ws" && cargo clean -q)
    local s e; s=$(now)
    (cd "$ws" && env "$@" cargo build -q 2>/dev/null)
    e=$(now)
    secs "$s" "$e"
}

echo "workspace: $crates library crates + proc-macro + app ($(nproc) cores)"
(cd "$ws" && cargo build -q 2>/dev/null && cargo clean -q)   # warm the OS caches once
plain=$(timed_build plain RUSTC_WRAPPER=)
store="$out/store"
cold=$(timed_build kache-cold RUSTC_WRAPPER="$kache" KACHE_CACHE_DIR="$store")
warm=$(timed_build kache-warm RUSTC_WRAPPER="$kache" KACHE_CACHE_DIR="$store")
# Write-back: the same cold build with a remote (a shared directory) configured. Each miss also runs
# rustc's dep-info pre-pass (to look the entry up remotely) and queues an upload for the background
# uploader; the build must not wait for uploads.
share="$out/share"; mkdir -p "$share"
printf '[cache.remote]\ntype = "filesystem"\npath = "%s"\n' "$share" > "$out/remote.toml"
remote_cold=$(timed_build kache-cold-remote RUSTC_WRAPPER="$kache" KACHE_CACHE_DIR="$out/store-remote" KACHE_CONFIG="$out/remote.toml")
printf 'plain cargo build     %6ss\n' "$plain"
printf 'kache cold            %6ss  (%sx plain; goal <= 1.05)\n' "$cold" "$(ratio "$cold" "$plain")"
printf 'kache warm            %6ss  (%sx faster than plain; goal >= 5)\n' "$warm" "$(ratio "$plain" "$warm")"
printf 'kache cold + remote   %6ss  (%sx kache cold: pre-pass + background write-back)\n' "$remote_cold" "$(ratio "$remote_cold" "$cold")"

if command -v sccache >/dev/null; then
    sdir="$out/sccache"; sccache --stop-server >/dev/null 2>&1 || true
    export SCCACHE_DIR="$sdir" SCCACHE_CACHE_SIZE=10G
    # sccache does not cache incremental compiles, so give it non-incremental builds.
    scold=$(timed_build sccache-cold RUSTC_WRAPPER=sccache CARGO_INCREMENTAL=0)
    swarm=$(timed_build sccache-warm RUSTC_WRAPPER=sccache CARGO_INCREMENTAL=0)
    sccache --stop-server >/dev/null 2>&1 || true
    printf 'sccache cold          %6ss\n' "$scold"
    printf 'sccache warm          %6ss  (kache warm is %sx faster; goal > 1)\n' "$swarm" "$(ratio "$swarm" "$warm")"
else
    echo "sccache not installed (apt-get install sccache): skipped"
fi

# One hit, replayed: record a real call of cargo's (args, env, cwd), then run it again and again.
rec="$out/recorded"; mkdir -p "$rec"
cat > "$out/record.sh" <<SH
#!/bin/sh
case " \$* " in *" --crate-name c$((crates / 2)) "*) pwd > "$rec/cwd"; env -0 > "$rec/env"; printf '%s\0' "\$@" > "$rec/args";; esac
exec "$kache" "\$@"
SH
chmod +x "$out/record.sh"
(cd "$ws" && cargo clean -q && RUSTC_WRAPPER="$out/record.sh" KACHE_CACHE_DIR="$store" cargo build -q 2>/dev/null)
java_home=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
mkdir -p "$out/empty"
printf 'public class Empty { public static void main(String[] a) { } }\n' > "$out/empty/Empty.java"
javac -d "$out/empty" "$out/empty/Empty.java"
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
run_hit() { (cd "$(cat "$rec/cwd")" && mapfile -d '' envs < "$rec/env" && mapfile -d '' args < "$rec/args" \
    && env -i "${envs[@]}" ${KACHE_NO_SERVER:+KACHE_NO_SERVER=$KACHE_NO_SERVER} "${HIT_LAUNCHER:-$kache}" "${args[@]}" > /dev/null 2>&1); }
# The release archive (issue 18), unpacked under a path with a space, against the source tree's
# launcher: interleaved, each with its own server (warmed by one call first).
archive=$(ls "$root"/kache-cli/target/kache-*-linux-*.tar.gz 2>/dev/null | head -n 1 || true)
: > "$out/hit.source"; : > "$out/hit.archive"
if [ -n "$archive" ]; then
    mkdir -p "$out/an install"; tar -xzf "$archive" -C "$out/an install"
    unpacked=$(ls -d "$out/an install"/kache-*/ | head -n 1)
    # Each server's JIT warms on 100 calls first (bench/hit.sh measures one hit with less harness around it).
    for i in $(seq 1 100); do run_hit; HIT_LAUNCHER="${unpacked}bin/kache" run_hit; done
    for i in $(seq 1 15); do
        s=$(date +%s%N); run_hit; e=$(date +%s%N); echo $(( (e - s) / 1000000 )) >> "$out/hit.source"
        s=$(date +%s%N); HIT_LAUNCHER="${unpacked}bin/kache" run_hit; e=$(date +%s%N); echo $(( (e - s) / 1000000 )) >> "$out/hit.archive"
    done
else
    for i in $(seq 1 15); do s=$(date +%s%N); run_hit; e=$(date +%s%N); echo $(( (e - s) / 1000000 )) >> "$out/hit.source"; done
fi
hit_ms=$(median < "$out/hit.source")
jvm_hit_ms=$(for i in $(seq 1 15); do s=$(date +%s%N); KACHE_NO_SERVER=1 run_hit; e=$(date +%s%N); echo $(( (e - s) / 1000000 )); done | median)
empty_ms=$(for i in $(seq 1 15); do s=$(date +%s%N); java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto -cp "$out/empty" Empty; e=$(date +%s%N); echo $(( (e - s) / 1000000 )); done | median)
# One miss, replayed the same way: each run gets a fresh store that knows only what a cold build's
# store knows by then (the toolchain, the content hashes of the dependencies' outputs), so the call
# compiles and stores. Interleaved with the same rustc call run directly, as kache runs it (without
# -C incremental: cargo's own incremental run would only reuse its incremental cache here). With the
# server, storing follows the answer, so the cost on cargo's side is the wall time.
run_bare() { (cd "$(cat "$rec/cwd")" && mapfile -d '' envs < "$rec/env" && mapfile -d '' args < "$rec/args" \
    && strip=() && skip=0 && for a in "${args[@]}"; do
           if [ "$skip" = 1 ]; then skip=0; case $a in incremental=*) continue ;; *) strip+=(-C "$a"); continue ;; esac; fi
           if [ "$a" = -C ]; then skip=1; continue; fi; strip+=("$a"); done \
    && env -i "${envs[@]}" "${strip[@]}" > /dev/null 2>&1); }
miss_store="$out/miss-store"
fresh_store() { rm -rf "$miss_store"; mkdir -p "$miss_store"; cp -r "$store/toolchains" "$store/hashes" "$miss_store/"; }
run_miss() { (cd "$(cat "$rec/cwd")" && mapfile -d '' envs < "$rec/env" && mapfile -d '' args < "$rec/args" \
    && env -i "${envs[@]}" KACHE_CACHE_DIR="$miss_store" "$kache" "${args[@]}" > /dev/null 2>&1); }
: > "$out/miss.bare"; : > "$out/miss.kache"
fresh_store; run_miss   # warms the server and the OS caches
for i in $(seq 1 9); do
    s=$(date +%s%N); run_bare; e=$(date +%s%N); echo $(( (e - s) / 1000000 )) >> "$out/miss.bare"
    fresh_store
    s=$(date +%s%N); run_miss; e=$(date +%s%N); echo $(( (e - s) / 1000000 )) >> "$out/miss.kache"
done
miss_bare=$(median < "$out/miss.bare"); miss_kache=$(median < "$out/miss.kache")
misses=$(KACHE_CACHE_DIR="$store" "$kache" stats --json 2>/dev/null | grep -o '"misses" *: *[0-9]*' | grep -o '[0-9]*$' || echo 0)

printf 'hit per call, server  %6sms (median of 15; bin/kache -> kache-client -> kache server; no rustc run)\n' "$hit_ms"
if [ -n "$archive" ]; then
    printf 'hit per call, archive %6sms (median of 15, interleaved with the line above: %s unpacked, its bundled runtime; %s)\n' \
        "$(median < "$out/hit.archive")" "$(basename "$archive")" "$(du -h "$archive" | cut -f1)"
fi
printf 'hit per call, JVM     %6sms (KACHE_NO_SERVER=1: a JVM per call, class-data archive)\n' "$jvm_hit_ms"
printf 'empty main, same JVM  %6sms  -> server hit %sx, JVM hit %sx an empty main (goal <= 2)\n' "$empty_ms" \
    "$(ratio "$hit_ms" "$empty_ms")" "$(ratio "$jvm_hit_ms" "$empty_ms")"
printf 'miss per call         %6sms through kache vs %sms rustc alone: a miss costs %sms beyond rustc on cargo'"'"'s side\n' \
    "$miss_kache" "$miss_bare" "$((miss_kache - miss_bare))"
printf '                      (medians of 9, interleaved; rounds in %s/miss.*)\n' "$out"
printf 'cold build            kache %ss vs plain %ss: %ss more over %s misses = %sms per miss, all included\n' \
    "$cold" "$plain" "$(awk "BEGIN { printf \"%.2f\", $cold - $plain }")" "$misses" \
    "$(awk "BEGIN { m = $misses + 0; printf \"%.0f\", (m > 0 ? ($cold - $plain) * 1000 / m : 0) }")"
