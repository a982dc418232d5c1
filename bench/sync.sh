#!/usr/bin/env bash
# Sync benchmark (issue 6): `kache sync --pull` of 500 mixed entries (~300 MB packed) from an S3 server
# on loopback vs raw parallel GETs of the same objects (same SDK, HTTP client and concurrency), then
# how sync's time grows from 50 to 500 to 5,000 entries. Prints side-by-side figures.
# Usage: bench/sync.sh [ENTRIES] [GROWTH] [CONCURRENCY] [ROUNDS]   e.g. bench/sync.sh 500 50,500,5000 16 5
# JAVA_OPTS adds JVM flags, e.g. JAVA_OPTS=-XX:StartFlightRecording=filename=sync.jfr for a profile,
# or -Dwarmups=N for N unmeasured runs of each variant before the measured rounds (default 6).
# Run as root, it drops the clean page cache between runs (see SyncBenchmark.settle).
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd -P)
cp_file="$root/target/bench-sync.classpath"
mkdir -p "$root/target"
# Test classes (the benchmark and the in-process S3 server) and the full test class path.
(cd "$root" && mvn -q -pl kache-cli -am package dependency:build-classpath -DskipTests \
    -Dmdep.outputFile="$cp_file" -Dmdep.includeScope=test >/dev/null)
cp="$root/kache-cli/target/test-classes:$root/kache-cli/target/classes:$(cat "$cp_file")"
# This JVM runs the command as bin/kache does (C1 only, serial GC), and the raw GETs the same way;
# the S3 server gets a JVM of its own with the JIT's defaults.
exec java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx4g ${JAVA_OPTS:-} \
    -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$cp" \
    io.kache.cli.SyncBenchmark "${@}"
