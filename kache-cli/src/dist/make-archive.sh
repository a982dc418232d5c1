#!/bin/sh
# Makes the release archive TARGET/kache-VERSION-linux-ARCH.tar.gz: bin/kache (the archive's
# launcher), libexec/kache-client (when a C compiler built it), lib/ (kache's jars and the start-up
# archive) and runtime/ (a Java runtime linked from JDK with only MODULES). The start-up archive is
# trained last, through the archive's own launcher and runtime, so it matches both.
#
# Usage: make-archive.sh TARGET VERSION JDK MODULES LAUNCHER
set -eu
target=$1 version=$2 jdk=$3 modules=$4 launcher=$5
name=kache-$version-linux-$(uname -m)
stage=$target/dist/$name
mainjar=kache-cli-$version.jar
rm -rf "$target/dist" "$target/$name.tar.gz"
mkdir -p "$stage/bin" "$stage/lib"
cp "$target/$mainjar" "$target"/lib/*.jar "$stage/lib/"
if [ -x "$target/kache-client" ]; then
    mkdir -p "$stage/libexec" && cp "$target/kache-client" "$stage/libexec/"
fi
"$jdk/bin/jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages \
    --generate-cds-archive --output "$stage/runtime"
classpath=\$lib/$mainjar
for jar in $(cd "$stage/lib" && ls -- *.jar | LC_ALL=C sort); do
    [ "$jar" = "$mainjar" ] || classpath=$classpath:\$lib/$jar
done
sed -e "s|@CLASSPATH@|$classpath|" -e "s|@MAINJAR@|$mainjar|" "$launcher" > "$stage/bin/kache"
chmod 755 "$stage/bin/kache"
# A training run never fails the build: without rustc the archive just covers less.
KACHE_JAVA_OPTS="-XX:ArchiveClassesAtExit=$stage/lib/kache.jsa" "$stage/bin/kache" --kache-jvm __train || true
tar -C "$target/dist" -czf "$target/$name.tar.gz" "$name"
echo "kache: release archive $target/$name.tar.gz ($(du -k "$target/$name.tar.gz" | cut -f1) KiB)"
