#!/usr/bin/env bash
# Sync benchmark (issue 15 §5): `kache sync --pull` of 500 mixed entries (~300 MB packed) against raw
# parallel GETs of the same objects (same SDK, HTTP client and concurrency), with the CPU per pulled MiB
# of each, then the pull with 1x, 10x and 50x history in the bucket (every build pushed with its build record;
# the pull runs where the needed build's record applies, the listing rule beside it). All in one run, side by side.
#
# The network is modelled, not loopback: the S3 server (S3Proxy in a JVM of its own) runs in a network
# namespace of its own, reached over a veth pair whose qdisc limits the rate in both directions (tbf;
# this kernel has no netem), and the server holds every request for LATENCY_MS before serving it (the
# round trip). So the server's CPU is no longer what limits the client's, as on loopback it was.
# Needs root (ip netns, tc). Without them it says so and falls back to loopback with the same latency.
#
# Usage: bench/sync.sh [ENTRIES=500] [HISTORY=1,10,50] [CONCURRENCY=16] [ROUNDS=5]
#   e.g. RATE=1gbit LATENCY_MS=20 bench/sync.sh 500 1,10,50 16 3
# RATE (default 1gbit) and LATENCY_MS (default 20) set the model; NETNS=0 forces loopback.
# JAVA_OPTS adds JVM flags, e.g. JAVA_OPTS=-XX:StartFlightRecording=filename=sync.jfr for a profile,
# or -Dwarmups=N for N unmeasured runs of each variant before the measured rounds (default 6).
# Run as root, it drops the clean page cache between runs (see SyncBenchmark.settle).
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd -P)
cp_file="$root/target/bench-sync.classpath"
rate=${RATE:-1gbit}
latency=${LATENCY_MS:-20}
mkdir -p "$root/target"
# Test classes (the benchmark and the in-process S3 server) and the full test class path.
(cd "$root" && mvn -q -o -pl kache-cli -am package dependency:build-classpath -DskipTests \
    -Dmdep.outputFile="$cp_file" -Dmdep.includeScope=test >/dev/null)
cp="$root/kache-cli/target/test-classes:$root/kache-cli/target/classes:$(cat "$cp_file")"

# The network model: namespace kbench$$ holds the server at 10.199.$n.2; the client side is 10.199.$n.1.
ns="kbench$$"; host_if="kbh$$"; ns_if="kbn$$"; n=$(( $$ % 250 + 1 ))
server_ip="10.199.$n.2"; client_ip="10.199.$n.1"
cleanup() {
    ip netns del "$ns" 2>/dev/null || true
    ip link del "$host_if" 2>/dev/null || true
}
net_props=()
if [ "${NETNS:-1}" != 0 ] && ip netns add "$ns" 2>/dev/null; then
    trap cleanup EXIT
    if ip link add "$host_if" type veth peer name "$ns_if" \
        && ip link set "$ns_if" netns "$ns" \
        && ip addr add "$client_ip/24" dev "$host_if" && ip link set "$host_if" up \
        && ip netns exec "$ns" ip addr add "$server_ip/24" dev "$ns_if" \
        && ip netns exec "$ns" ip link set "$ns_if" up && ip netns exec "$ns" ip link set lo up \
        && tc qdisc add dev "$host_if" root tbf rate "$rate" burst 1mb latency 50ms \
        && ip netns exec "$ns" tc qdisc add dev "$ns_if" root tbf rate "$rate" burst 1mb latency 50ms; then
        net_props=(-Dbench.netns="$ns" -Dbench.host="$server_ip" -Dbench.latencyMs="$latency"
            "-Dbench.network=netns $ns over veth $host_if<->$ns_if, tbf $rate each way, ${latency} ms added to every request")
    else
        echo "network model: could not set up the veth pair or tbf; falling back to loopback" >&2
        cleanup
    fi
else
    echo "network model: no network namespace (not root, or NETNS=0): loopback, no rate limit, ${latency} ms per request" >&2
fi
if [ ${#net_props[@]} -eq 0 ]; then
    net_props=(-Dbench.latencyMs="$latency"
        "-Dbench.network=FALLBACK loopback (no netns), no rate limit, ${latency} ms added to every request")
fi
# This JVM runs the command in-process with bin/kache's JVM flags for sync (the full JIT, serial GC),
# and the raw GETs the same way; it also runs bin/kache sync --pull as users do, a JVM of its own each,
# beside the same with C1 only (the launcher's flags for sync before). The S3 server gets a JVM of its
# own with the JIT's defaults. Not exec: the trap removes the namespace.
java -XX:+UseSerialGC -Xmx4g ${JAVA_OPTS:-} -Dbench.launcher="$root/bin/kache" \
    -Dorg.slf4j.simpleLogger.defaultLogLevel=warn "${net_props[@]}" -cp "$cp" \
    io.kache.cli.SyncBenchmark "${@}"
