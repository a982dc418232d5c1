#!/usr/bin/env bash
# Fresh-runner benchmark (issue 15 §2): a CI runner that only sets RUSTC_WRAPPER (no `kache sync`)
# builds a generated workspace that machine A built and pushed (with its build record) to an S3 server
# on loopback. Interleaved rounds, medians:
#   local warm:   `cargo clean` then build, kache's local store warm (kache server already running);
#   local warm, new server: the same with a kache server started by the build (a fresh JVM): what
#                 a fresh runner pays before any remote work;
#   fresh runner: empty store, other checkout path, a new kache server, read-through only; the server
#                 reads the build's record at the first miss and prefetches its entries.
# Usage: bench/prefetch.sh [CRATES=48] [ROUNDS=5]     (needs a built kache: mvn -q -DskipTests package)
# The S3 server shares the machine's cores with the build: on a loaded 2-core machine the ratio is
# pessimistic for the fresh runner.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd -P)
crates=${1:-48}; rounds=${2:-5}
out="$root/target/bench-prefetch"
rm -rf "$out"; mkdir -p "$out"
cp_file="$root/target/bench-prefetch.classpath"
(cd "$root" && mvn -q -o -pl kache-cli -am test-compile dependency:build-classpath \
    -Dmdep.outputFile="$cp_file" -Dmdep.includeScope=test >/dev/null)
cp="$root/kache-cli/target/test-classes:$root/kache-cli/target/classes:$(cat "$cp_file")"
kache="$root/bin/kache"
export CARGO_TERM_COLOR=never
unset RUSTC_WRAPPER KACHE_CONFIG KACHE_BUILD_ID

# The S3 server in a JVM of its own; it serves until its stdin closes.
mkfifo "$out/s3.in"
java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$cp" io.kache.cli.BenchS3Server "$out/s3" \
    AKIDBENCH bench-secret 127.0.0.1 0 bench < "$out/s3.in" > "$out/s3.out" 2>"$out/s3.err" &
s3pid=$!
exec 9>"$out/s3.in"
trap 'exec 9>&-; wait $s3pid 2>/dev/null || true' EXIT
for _ in $(seq 600); do [ -s "$out/s3.out" ] && break; sleep 0.1; done
endpoint=$(head -1 "$out/s3.out")
s3env=(KACHE_S3_BUCKET=bench KACHE_S3_ENDPOINT="$endpoint" KACHE_S3_REGION=us-east-1
       KACHE_S3_ACCESS_KEY=AKIDBENCH KACHE_S3_SECRET_KEY=bench-secret)

now() { date +%s.%N; }
secs() { awk "BEGIN { printf \"%.2f\", $2 - $1 }"; }
median() { tr ' ' '\n' | grep . | sort -n | awk '{ a[NR] = $1 } END { m = (NR + 1) / 2; printf "%.2f", (a[int(m)] + a[int(m + 0.5)]) / 2 }'; }

a="$out/a/ws"
"$root/bench/gen-workspace.sh" "$a" "$crates" >/dev/null
(cd "$a" && cargo build -q 2>/dev/null && cargo clean -q)   # warm the OS caches once
aenv=(RUSTC_WRAPPER="$kache" KACHE_CACHE_DIR="$out/a/store" KACHE_SERVER_DIR="$out/a/server")
(cd "$a" && env "${aenv[@]}" cargo build -q 2>/dev/null)
(cd "$a" && env "${aenv[@]}" "${s3env[@]}" "$kache" sync --push >/dev/null)
echo "workspace: $crates library crates + proc-macro + app ($(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg))"

warm=(); cold_server=(); fresh=()
for r in $(seq "$rounds"); do
    (cd "$a" && cargo clean -q)
    s=$(now); (cd "$a" && env "${aenv[@]}" cargo build -q 2>/dev/null); e=$(now)
    warm+=("$(secs "$s" "$e")")
    (cd "$a" && cargo clean -q)
    s=$(now); (cd "$a" && env "${aenv[@]}" KACHE_SERVER_DIR="$out/c$r/server" KACHE_SERVER_IDLE_MS=10000 \
        cargo build -q 2>/dev/null); e=$(now)
    cold_server+=("$(secs "$s" "$e")")
    b="$out/b$r/elsewhere/ws"; mkdir -p "$(dirname "$b")"; cp -r "$a" "$b"; rm -rf "$b/target"
    benv=(RUSTC_WRAPPER="$kache" KACHE_CACHE_DIR="$out/b$r/store" KACHE_SERVER_DIR="$out/b$r/server" KACHE_SERVER_IDLE_MS=10000)
    s=$(now); (cd "$b" && env "${benv[@]}" "${s3env[@]}" cargo build -q 2>/dev/null); e=$(now)
    fresh+=("$(secs "$s" "$e")")
    hits=$(cd "$b" && env "${benv[@]}" "$kache" stats 2>/dev/null | awk '/^hits/ { print $2; exit }')
    echo "round $r: local warm ${warm[-1]} s, local warm with a new server ${cold_server[-1]} s," \
        "fresh runner ${fresh[-1]} s (hits: ${hits:-?})"
done
mw=$(echo "${warm[*]}" | median); mf=$(echo "${fresh[*]}" | median); mc=$(echo "${cold_server[*]}" | median)
printf 'local warm build          %6s s  (median of %s: %s)\n' "$mw" "$rounds" "${warm[*]}"
printf 'local warm, new server    %6s s  (median of %s: %s)\n' "$mc" "$rounds" "${cold_server[*]}"
printf 'fresh runner, read-through %5s s  (median of %s: %s)\n' "$mf" "$rounds" "${fresh[*]}"
printf 'fresh / warm               %5sx  (goal <= 1.5)\n' "$(awk "BEGIN { printf \"%.2f\", $mf / $mw }")"
printf 'fresh / warm, new server   %5sx  (the remote'"'"'s share alone)\n' "$(awk "BEGIN { printf \"%.2f\", $mf / $mc }")"
