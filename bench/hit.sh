#!/usr/bin/env bash
# Hit-path benchmark (issue 16 §2): what one cache hit costs cargo, through the kache server as
# users run it (bin/kache -> kache-client -> server), against the floor of being a process at all.
# It records one real rustc call of a generated workspace, then replays it in interleaved rounds:
# /bin/true with the call's arguments and environment (the spawn floor), the hit with its outputs
# in place, and the hit after its outputs were deleted (as after `cargo clean`). Medians; the own
# cost is the hit minus the floor (goal <= 5 ms); the same through the native client alone. Then, unless --no-jvm, the hit in a fresh JVM
# per call (KACHE_NO_SERVER's path: lookup + restore against an empty JVM, HitPathBenchmark).
# Usage: [KACHE_BIN=other/bin/kache] bench/hit.sh [ROUNDS=100] [--no-jvm]    (needs a built kache: mvn -q -DskipTests package)
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd -P)
rounds=${1:-100}
kache=${KACHE_BIN:-$root/bin/kache}   # another build of kache to compare with
out="$root/target/bench-hit"
rm -rf "$out"; mkdir -p "$out/rec"
"$root/bench/gen-workspace.sh" "$out/ws" 8 >/dev/null
export CARGO_TERM_COLOR=never KACHE_CACHE_DIR="$out/store" KACHE_SERVER_DIR="$out/server"
unset RUSTC_WRAPPER KACHE_CONFIG KACHE_NO_SERVER
mkdir -m 700 "$KACHE_SERVER_DIR"
cat > "$out/record.sh" <<SH
#!/bin/sh
case " \$* " in *" --crate-name c4 "*) pwd > "$out/rec/cwd"; env -0 > "$out/rec/env"; printf '%s\0' "\$@" > "$out/rec/args";; esac
exec "$kache" "\$@"
SH
chmod +x "$out/record.sh"
(cd "$out/ws" && RUSTC_WRAPPER="$out/record.sh" cargo build -q 2>/dev/null && cargo clean -q \
    && RUSTC_WRAPPER="$out/record.sh" cargo build -q 2>/dev/null)
echo "one hit of crate c4 (rlib $(du -k "$out"/ws/target/debug/deps/libc4-*.rlib | cut -f1) KiB), through the kache server; $(nproc) cores"
python3 "$root/bench/lib/spawn_rounds.py" "$out/rec" "$kache" "$rounds" 300
client="$(dirname "$kache")/../kache-cli/target/kache-client"
if [ -x "$client" ]; then
    echo "the same hit with the native client as cargo's rustc-wrapper (no sh launcher; what kache init sets in a release archive):"
    python3 "$root/bench/lib/spawn_rounds.py" "$out/rec" "$client" "$rounds" 100
fi
for pid in $(pgrep -f "$KACHE_SERVER_DIR" || true); do kill "$pid" 2>/dev/null || true; done
if [ "${2:-}" != "--no-jvm" ]; then
    echo "one hit in a fresh JVM per call (KACHE_NO_SERVER=1):"
    (cd "$root" && mvn -q -o -pl kache-core -am test-compile dependency:build-classpath \
        -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test >/dev/null)
    cp="$root/kache-core/target/test-classes:$root/kache-core/target/classes:$(cat "$root/kache-core/target/bench.classpath")"
    java -cp "$cp" io.kache.core.bench.HitPathBenchmark "$out/jvm" 15
fi
