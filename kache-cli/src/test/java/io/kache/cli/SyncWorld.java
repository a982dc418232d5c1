package io.kache.cli;

import io.kache.api.ArtifactKey;
import io.kache.api.ArtifactLayout;
import io.kache.cli.e2e.DemoWorkspace;
import io.kache.core.entry.OutputFile;
import io.kache.core.hash.Sha256;
import io.kache.core.store.LocalStore;
import io.kache.testkit.s3.S3TestServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/**
 * A bucket on a real S3 server on loopback, and "machines" that sync with it: each a private
 * local store and a copy of {@code examples/demo} (its Cargo.lock and members, not built).
 */
final class SyncWorld implements AutoCloseable {

    static final String BUCKET = "kache";
    static final String ACCESS_KEY = "AKIDSYNCTEST";
    static final String SECRET_KEY = "sync-test-secret-value";
    static final ArtifactLayout LAYOUT = ArtifactLayout.withDefaultPrefix();
    /** The demo's crates whose package is named otherwise. */
    static final Map<String, String> DEMO_PACKAGES = Map.of("core_lib", "core-lib", "build_script_build", "core-lib");

    final Path root;
    final S3TestServer server;

    SyncWorld(Path root) throws Exception {
        this.root = root;
        this.server = S3TestServer.start(root.resolve("s3"), ACCESS_KEY, SECRET_KEY);
        server.createBucket(BUCKET);
    }

    /** A machine named {@code name} that reaches the remote at {@code endpoint} with the given key pair. */
    Machine machine(String name, URI endpoint, String accessKey, String secret) throws IOException {
        Path home = Files.createDirectories(root.resolve(name));
        Path project = home.resolve("checkout/demo");
        copyDemo(project);
        return new Machine(home.resolve("store"), project, env(home, endpoint, accessKey, secret));
    }

    /** A machine named {@code name}: store, project checkout and environment pointing at the server. */
    Machine machine(String name) throws IOException {
        Path home = Files.createDirectories(root.resolve(name));
        Path project = home.resolve("checkout/demo");
        copyDemo(project);
        return new Machine(home.resolve("store"), project, env(home, server.endpoint(), ACCESS_KEY, SECRET_KEY));
    }

    /** The call environment: the real one (PATH, rustup) minus any KACHE_* of the runner, plus this world's. */
    Map<String, String> env(Path home, URI endpoint, String accessKey, String secret) throws IOException {
        Map<String, String> env = new HashMap<>();
        System.getenv().forEach((k, v) -> {
            if (!k.startsWith("KACHE_") && !k.startsWith("AWS_")) {
                env.put(k, v);
            }
        });
        env.put("XDG_CONFIG_HOME", Files.createDirectories(home.resolve("xdg")).toString());
        env.put("KACHE_CACHE_DIR", home.resolve("store").toString());
        env.put("KACHE_S3_BUCKET", BUCKET);
        env.put("KACHE_S3_ENDPOINT", endpoint.toString());
        env.put("KACHE_S3_REGION", S3TestServer.REGION);
        env.put("KACHE_S3_ACCESS_KEY", accessKey);
        env.put("KACHE_S3_SECRET_KEY", secret);
        env.put("KACHE_S3_CONCURRENCY", "4");
        return env;
    }

    static void copyDemo(Path to) throws IOException {
        DemoWorkspace.copyTree(DemoWorkspace.SOURCE, to);
    }

    /** A key for {@code crate} derived from {@code seed}. */
    static ArtifactKey key(String crate, String seed) {
        return new ArtifactKey(crate, Sha256.of((crate + "/" + seed).getBytes(StandardCharsets.UTF_8)));
    }

    /** Writes an object behind the server's back (foreign objects, damaged entries). */
    void putObject(String name, byte[] content) {
        server.putObject(BUCKET, name, content);
    }

    @Override
    public void close() {
        server.close();
    }

    /** One machine: its store directory, its checkout, its environment. */
    record Machine(Path store, Path project, Map<String, String> env) {

        CliRun kache(String... args) {
            return CliRun.of(env, project, args);
        }

        CliRun kache(Map<String, String> extraEnv, String... args) {
            Map<String, String> all = new HashMap<>(env);
            all.putAll(extraEnv);
            return CliRun.of(all, project, args);
        }

        LocalStore open() throws IOException {
            return LocalStore.open(store, 1L << 34);
        }

        /**
         * Stores an entry of {@code size} pseudo-random bytes (plus a dep-info file) under {@code key},
         * with the package a build records (CARGO_PKG_NAME): the demo's build script is core-lib's.
         */
        ArtifactKey put(ArtifactKey key, int size) throws IOException {
            Path dir = Files.createDirectories(store.resolveSibling("work").resolve(key.crateName() + "-" + key.shortKey()));
            byte[] body = new byte[size];
            new Random(key.hashCode()).nextBytes(body);
            Files.write(dir.resolve("lib.rlib"), body);
            Files.writeString(dir.resolve("lib.d"), "deps of " + key + "\n");
            try (LocalStore s = open()) {
                s.put(key, List.of(new OutputFile("lib.rlib", dir.resolve("lib.rlib")),
                        new OutputFile("lib.d", dir.resolve("lib.d"))), new byte[0], new byte[0],
                        Map.of(io.kache.core.store.EntryInfo.PACKAGE_ATTRIBUTE, DEMO_PACKAGES.getOrDefault(
                                key.crateName(), key.crateName())));
            }
            return key;
        }

        /** The entry's pack as a push uploads it. */
        byte[] pack(ArtifactKey key) throws IOException {
            try (LocalStore s = open()) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                if (!s.exportPack(key, out, 3)) {
                    throw new IllegalStateException("no entry " + key);
                }
                return out.toByteArray();
            }
        }

        List<ArtifactKey> keys() {
            try (LocalStore s = open()) {
                return s.list(java.util.Optional.empty()).stream().map(e -> e.key()).toList();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Files left in the store's temp directory: a failed import must leave none. */
        long tempFiles() throws IOException {
            try (Stream<Path> files = Files.list(store.resolve("tmp"))) {
                return files.count();
            }
        }
    }
}
