#!/bin/sh
# Pack benchmark: kache's pack+compress and decompress+unpack vs `tar | zstd` on ~200 MB of
# generated rlib-like files. Prints times, MB/s and ratios. Needs zstd and GNU tar on PATH.
#   bench/pack.sh [WORK_DIR [MB [RUNS]]]     (defaults: bench-out/pack 200 3)
set -eu
cd "$(dirname "$0")/.."
mvn -q -pl kache-core -am test-compile dependency:build-classpath \
    -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
cp="kache-core/target/test-classes:kache-core/target/classes:$(cat kache-core/target/bench.classpath)"
exec java -Xmx1g -cp "$cp" io.kache.core.bench.PackBenchmark "$@"
