#!/bin/sh
# Hit-path benchmark: lookup + restore of a typical entry in freshly started JVMs, against an
# empty JVM.   bench/hit.sh [WORK_DIR [RUNS]]     (defaults: bench-out/hit 15)
set -eu
cd "$(dirname "$0")/.."
mvn -q -pl kache-core -am test-compile dependency:build-classpath \
    -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
cp="kache-core/target/test-classes:kache-core/target/classes:$(cat kache-core/target/bench.classpath)"
rm -rf "${1:-bench-out/hit}"
exec java -cp "$cp" io.kache.core.bench.HitPathBenchmark "$@"
