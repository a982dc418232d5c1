#!/usr/bin/env bash
# Fresh-runner benchmark (issue 15 §2): a CI runner that only sets RUSTC_WRAPPER (no `kache sync`)
# builds a generated workspace that machine A built and pushed (with its build record) to an S3 server
# on loopback. Interleaved rounds, medians:
#   local warm:   `cargo clean` then build, kache's local store warm (kache server already running);
#   local warm, new server: the same with a kache server started by the build (a fresh JVM): what
#                 a fresh runner pays before any remote work;
#   fresh runner: empty store, other checkout path, a new kache server, read-through only; the server
#                 reads the build's record at the first miss and prefetches its entries;
#   pull + build: the same fresh runner running `kache sync --pull` first (issue 15 §3), then the build.
# Each server started for a measured build is stopped once the build is timed.
# Each fresh runner's prefetch timeline (from its server's log) is printed per round: when the remote
# was ready and the prefetch started (ms from the server's start: at the first call when the store
# is empty, else the first local miss), then when the remote was open, the build's identity known,
# its record read and the record's entries fetched (ms from the prefetch's start).
# Usage: bench/prefetch.sh [CRATES=48] [ROUNDS=5] [BASE]    (needs a built kache: mvn -q -DskipTests package)
# BASE: another built kache checkout (e.g. a worktree of main) measured in the same rounds, interleaved,
# for a same-run before/after; its own ratio is printed beside this checkout's.
# The S3 server shares the machine's cores with the build: on a loaded 2-core machine the ratio is
# pessimistic for the fresh runner.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd -P)
crates=${1:-48}; rounds=${2:-5}; base=${3:+$(cd "$3" && pwd -P)}
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
aenv=(RUSTC_WRAPPER="$kache" KACHE_CACHE_DIR="$out/a/store" KACHE_SERVER_DIR="$out/a/server-new")
(cd "$a" && env "${aenv[@]}" cargo build -q 2>/dev/null)
(cd "$a" && env "${aenv[@]}" "${s3env[@]}" "$kache" sync --push >/dev/null)
if [ -n "$base" ]; then   # the base's own warm server for its local warm builds
    (cd "$a" && cargo clean -q && env RUSTC_WRAPPER="$base/bin/kache" KACHE_CACHE_DIR="$out/a/store" \
        KACHE_SERVER_DIR="$out/a/server-base" cargo build -q 2>/dev/null)
fi
echo "workspace: $crates library crates + proc-macro + app ($(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg))"

# Ends the kache server of server directory $1 once its build is timed: a server's JIT goes on
# compiling for a while after its build, and that CPU must not land on the next build measured.
# CPU seconds used so far by process $1 (user + system), and by the kache server of server directory $1.
cpu_of() { awk -v t="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / t }' "/proc/$1/stat" 2>/dev/null || echo 0; }
server_cpu() { local pid; pid=$(pgrep -f -- "__server $1/" | head -1); [ -n "$pid" ] && cpu_of "$pid" || echo "?"; }
stop_server() {
    pkill -f -- "__server $1/" 2>/dev/null || true
    while pgrep -f -- "__server $1/" >/dev/null; do sleep 0.05; done
}

# One kache's three builds of a round: $1 its checkout, $2 a label for its directories, $3 the round.
# Sets t_warm, t_cold, t_fresh, hits and timeline.
measure() {
    local k="$1/bin/kache" tag=$2 r=$3 s e
    local env_a=(RUSTC_WRAPPER="$k" KACHE_CACHE_DIR="$out/a/store" KACHE_SERVER_DIR="$out/a/server-$tag")
    (cd "$a" && cargo clean -q)
    s=$(now); (cd "$a" && env "${env_a[@]}" cargo build -q 2>/dev/null); e=$(now)
    t_warm=$(secs "$s" "$e")
    (cd "$a" && cargo clean -q)
    s=$(now); (cd "$a" && env "${env_a[@]}" KACHE_SERVER_DIR="$out/c$r-$tag/server" KACHE_SERVER_IDLE_MS=10000 \
        cargo build -q 2>/dev/null); e=$(now)
    t_cold=$(secs "$s" "$e")
    stop_server "$out/c$r-$tag/server"
    local b="$out/b$r-$tag/elsewhere/ws"; mkdir -p "$(dirname "$b")"; cp -r "$a" "$b"; rm -rf "$b/target"
    # The server's log (slf4j) kept for its prefetch's timeline; the option reaches every kache JVM of the build.
    local benv=(RUSTC_WRAPPER="$k" KACHE_CACHE_DIR="$out/b$r-$tag/store" KACHE_SERVER_DIR="$out/b$r-$tag/server"
        KACHE_SERVER_IDLE_MS=10000 KACHE_JAVA_OPTS="-Dorg.slf4j.simpleLogger.logFile=$out/b$r-$tag/kache.log")
    local s3_before; s3_before=$(cpu_of "$s3pid")
    s=$(now); (cd "$b" && env "${benv[@]}" "${s3env[@]}" cargo build -q 2>/dev/null); e=$(now)
    t_fresh=$(secs "$s" "$e")
    cpu_fresh="kache server $(server_cpu "$out/b$r-$tag/server") s, S3 server $(secs "$s3_before" "$(cpu_of "$s3pid")") s"
    stop_server "$out/b$r-$tag/server"
    # A fresh runner that pulls first (issue 15 §3): `kache sync --pull`, then the build, with a new server.
    local p="$out/p$r-$tag/elsewhere/ws"; mkdir -p "$(dirname "$p")"; cp -r "$a" "$p"; rm -rf "$p/target"
    local penv=(RUSTC_WRAPPER="$k" KACHE_CACHE_DIR="$out/p$r-$tag/store" KACHE_SERVER_DIR="$out/p$r-$tag/server"
        KACHE_SERVER_IDLE_MS=10000)
    local m
    s=$(now); (cd "$p" && env "${penv[@]}" "${s3env[@]}" "$k" sync --pull >/dev/null 2>&1); m=$(now)
    (cd "$p" && env "${penv[@]}" "${s3env[@]}" cargo build -q 2>/dev/null); e=$(now)
    t_pull=$(secs "$s" "$m"); t_pulled=$(secs "$s" "$e")
    stop_server "$out/p$r-$tag/server"
    hits=$(cd "$b" && env "${benv[@]}" KACHE_JAVA_OPTS= "$k" stats 2>/dev/null | awk '/^hits/ { print $2; exit }')
    timeline=$(tr -d '\0' < "$out/b$r-$tag/kache.log" 2>/dev/null | sed -n \
        -e 's/.*remote opened in \([0-9]*\) ms.*ready \([0-9]*\) ms after.*/remote ready at \2 ms; /p' \
        -e 's/.*started \([0-9]*\) ms after the server.s start, remote open after \([0-9]*\) ms, identity after \([0-9]*\) ms, record after \([0-9]*\) ms.*/prefetch started at \1 ms, then: open \2, identity \3, record \4/p' \
        -e 's/.*build [^:]*: remote open after \([0-9]*\) ms, identity after \([0-9]*\) ms, record after \([0-9]*\) ms.*/from the first miss: open \1, identity \2, record \3/p' \
        -e 's/.* \([0-9]*\) entries fetched or tried after \([0-9]*\) ms.*/, \1 entries \2 ms/p' | tr -d '\n')
}

warm=(); cold_server=(); fresh=(); pulls=(); pulled=(); bwarm=(); bcold=(); bfresh=(); bpulls=(); bpulled=()
for r in $(seq "$rounds"); do
    measure "$root" new "$r"
    warm+=("$t_warm"); cold_server+=("$t_cold"); fresh+=("$t_fresh"); pulls+=("$t_pull"); pulled+=("$t_pulled")
    echo "round $r: local warm $t_warm s, local warm with a new server $t_cold s," \
        "fresh runner $t_fresh s (hits: ${hits:-?}; CPU: $cpu_fresh; prefetch: ${timeline:-none}), pull + build $t_pulled s (pull $t_pull s)"
    if [ -n "$base" ]; then
        measure "$base" base "$r"
        bwarm+=("$t_warm"); bcold+=("$t_cold"); bfresh+=("$t_fresh"); bpulls+=("$t_pull"); bpulled+=("$t_pulled")
        echo "  base $r: local warm $t_warm s, local warm with a new server $t_cold s," \
            "fresh runner $t_fresh s (hits: ${hits:-?}; CPU: $cpu_fresh; prefetch: ${timeline:-none}), pull + build $t_pulled s (pull $t_pull s)"
    fi
done
ratio() { awk "BEGIN { printf \"%.2f\", $1 / $2 }"; }
report() {
    local mw mc mf mp mq
    mw=$(echo "$2" | median); mc=$(echo "$3" | median); mf=$(echo "$4" | median)
    mp=$(echo "$5" | median); mq=$(echo "$6" | median)
    echo "$1"
    printf '  local warm build          %6s s  (median of %s: %s)\n' "$mw" "$rounds" "$2"
    printf '  local warm, new server    %6s s  (median of %s: %s)\n' "$mc" "$rounds" "$3"
    printf '  fresh runner, read-through %5s s  (median of %s: %s)\n' "$mf" "$rounds" "$4"
    printf '  fresh / warm               %5sx  (goal <= 1.5)\n' "$(ratio "$mf" "$mw")"
    printf '  fresh / warm, new server   %5sx  (the remote'"'"'s share alone)\n' "$(ratio "$mf" "$mc")"
    printf '  fresh runner, pull + build %5s s  (median of %s: %s; the pull alone %s s)\n' "$mq" "$rounds" "$6" "$mp"
    printf '  pull + build / warm        %5sx  (goal <= 1.5)\n' "$(ratio "$mq" "$mw")"
    printf '  pull + build / warm, new server %sx\n' "$(ratio "$mq" "$mc")"
    fresh_median=$mf
}
report "this checkout ($root):" "${warm[*]}" "${cold_server[*]}" "${fresh[*]}" "${pulls[*]}" "${pulled[*]}"
if [ -n "$base" ]; then
    now_fresh=$fresh_median
    report "base ($base):" "${bwarm[*]}" "${bcold[*]}" "${bfresh[*]}" "${bpulls[*]}" "${bpulled[*]}"
    printf 'fresh runner: %s s here vs %s s in base (%sx)\n' "$now_fresh" "$fresh_median" "$(ratio "$now_fresh" "$fresh_median")"
fi
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
