#!/bin/sh
# Builds this consumer project against kache-core + kache-s3-aws as a Maven user would: kache is
# `mvn install`ed first, but into a private repository under a temp directory, never into the shared
# ~/.m2, which is only read (as a file:// mirror: no network). Then the consumer runs and must find
# the AWS backend through ServiceLoader and open the configured S3 remote (nothing is sent to it).
# Usage: examples/consumer/check.sh        (about a minute; KACHE_SEED_REPO overrides ~/.m2/repository)
set -eu
here=$(cd "$(dirname "$0")" && pwd -P)
root=$(cd "$here/../.." && pwd -P)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
seed=${KACHE_SEED_REPO:-$HOME/.m2/repository}
cat > "$work/settings.xml" <<XML
<settings><mirrors><mirror><id>seed</id><mirrorOf>*</mirrorOf><url>file://$seed</url></mirror></mirrors></settings>
XML
mvn_private() { mvn -B -q -s "$work/settings.xml" -Dmaven.repo.local="$work/repo" "$@"; }
mvn_private -f "$root/pom.xml" -pl kache-core,kache-s3-aws -am install -DskipTests \
    -Dmaven.javadoc.skip=true -Dmaven.source.skip=true
mvn_private -f "$here/pom.xml" compile dependency:build-classpath \
    -Dmdep.outputFile="$work/classpath.txt"
out=$(cd "$work" && env KACHE_S3_BUCKET=consumer-check KACHE_S3_ENDPOINT=http://127.0.0.1:9 \
    KACHE_S3_ACCESS_KEY=AKIDCONSUMER KACHE_S3_SECRET_KEY=consumer-secret KACHE_CACHE_DIR="$work/store" \
    XDG_CONFIG_HOME="$work/xdg" java -cp "$here/target/classes:$(cat "$work/classpath.txt")" example.Consumer)
echo "$out"
case $out in *"provider s3-aws"*) ;; *) echo "check.sh: the AWS backend was not found" >&2; exit 1 ;; esac
case $out in *"remote "*) ;; *) echo "check.sh: no remote was opened" >&2; exit 1 ;; esac
if [ -d "$seed/io/kache" ] && find "$seed/io/kache" -newer "$work/settings.xml" -type f | grep -q .; then
    echo "check.sh: something was written into $seed/io/kache" >&2
    exit 1
fi
echo "check.sh: ok, built and run against a private repository"
