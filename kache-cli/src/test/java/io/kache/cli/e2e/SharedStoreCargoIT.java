package io.kache.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.api.ArtifactStore;
import io.kache.core.config.ConfigLoader;
import io.kache.core.hash.FileClock;
import io.kache.core.remote.RemoteStores;
import io.kache.core.sync.records.WriteBackRecords;
import io.kache.core.remote.RemoteDestination;
import io.kache.core.store.LocalStore;
import io.kache.core.store.PendingUploads;
import io.kache.core.store.UploaderLock;
import io.kache.testkit.Deadline;
import io.kache.testkit.SpyRustc;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two projects, each with its own remote (a shared directory named in its {@code .kache.toml}),
 * building into one local store with real cargo: neither the write-back nor {@code kache sync --push}
 * sends one project's entries to the other's remote.
 */
class SharedStoreCargoIT {

    @TempDir
    Path tmp;
    Path kache;
    SpyRustc spy;
    Path store;

    @BeforeEach
    void setUp() throws Exception {
        kache = KacheLauncher.create(Files.createDirectories(tmp.resolve("bin")));
        spy = SpyRustc.create(tmp.resolve("spy"));
        store = tmp.resolve("store");
    }

    @AfterEach
    void stopUploaders() throws InterruptedException {
        KacheLauncher.stopProcessesOf(tmp);
    }

    /**
     * Two checkouts of one workspace on one store: a hit in B must not make A's restored rlib of a
     * crate look newer to cargo than a dependency rebuilt in A since. The links of one inode share its
     * mtime; cargo then left A's crate stale and A's build failed with E0460 until a clean (found by
     * review). Plain cargo rebuilds the crate; so must a kache build.
     */
    @Test
    void aHitInOneCheckoutLeavesAnotherCheckoutsFreshnessAlone() throws Exception {
        Map<String, String> files = Map.of(
                "Cargo.toml", "[workspace]\nmembers = [\"dconst\", \"umid\", \"top\"]\nresolver = \"2\"\n",
                "dconst/Cargo.toml", SmallWorkspace.manifest("dconst", ""),
                "dconst/src/lib.rs", "pub const V: u32 = 1;\n",
                "umid/Cargo.toml", SmallWorkspace.manifest("umid", "[dependencies]\ndconst = { path = \"../dconst\" }\n"),
                "umid/src/lib.rs", "pub fn get() -> u32 { dconst::V * 10 }\n",
                "top/Cargo.toml", SmallWorkspace.manifest("top",
                        "[dependencies]\ndconst = { path = \"../dconst\" }\numid = { path = \"../umid\" }\n"),
                "top/src/main.rs", "fn main() { println!(\"V={} umid={}\", dconst::V, umid::get()); }\n");
        Path xdg = Files.createDirectories(tmp.resolve("xdg"));
        SmallWorkspace a = SmallWorkspace.write(tmp.resolve("a"), files, kache, spy, store, xdg);
        SmallWorkspace b = SmallWorkspace.write(tmp.resolve("b"), files, kache, spy, store, xdg);
        a.cargo(Map.of(), "build").assertOk("A");
        a.cargo(Map.of(), "clean").assertOk("clean A");
        a.cargo(Map.of(), "build").assertOk("A from the cache");
        awaitFileClockTick();
        Files.writeString(a.dir.resolve("dconst/src/lib.rs"), "pub const V: u32 = 2;\n");
        a.cargo(Map.of(), "build", "-p", "dconst").assertOk("A's dconst");
        awaitFileClockTick();
        b.cargo(Map.of(), "build").assertOk("B from the cache");
        a.cargo(Map.of(), "build").assertOk("A after B's hit");
        assertEquals("V=2 umid=20\n", a.run(a.dir.resolve("target/debug/top")));
    }

    /**
     * Returns once the file clock reads later than on entry: what is written after is strictly newer
     * to cargo's mtime comparison. kache-core's tests have the twin (FileClockTicks), out of reach here.
     */
    private void awaitFileClockTick() throws InterruptedException {
        Path scratch = tmp.resolve(".tick");
        long start = FileClock.now(scratch);
        Deadline.in(Duration.ofSeconds(5)).await("the file clock to tick", () -> FileClock.now(scratch) > start);
    }

    /** A one-package project {@code name} with a build script, its remote given by {@code remoteToml} if any. */
    private SmallWorkspace project(String name, Optional<String> remoteToml) throws IOException {
        Map<String, String> files = new java.util.HashMap<>(Map.of(
                "Cargo.toml", SmallWorkspace.manifest(name, ""),
                "src/lib.rs", "pub fn f() -> &'static str { \"private to " + name + "\" }\n",
                "build.rs", "fn main() { println!(\"cargo:rustc-env=ONLY_" + name.toUpperCase() + "=1\"); }\n"));
        remoteToml.ifPresent(t -> files.put(".kache.toml", t));
        return SmallWorkspace.write(tmp.resolve(name), files, kache, spy, store,
                Files.createDirectories(tmp.resolve("xdg")));
    }

    private static String filesystemRemote(Path dir, String prefix) {
        return "[cache.remote]\ntype = \"filesystem\"\npath = \"" + dir + "\"\nprefix = \"" + prefix + "\"\n";
    }

    private RemoteDestination destinationOf(SmallWorkspace ws) {
        return RemoteDestination.of(ConfigLoader.load(ws.env, ws.dir).remoteSettings().orElseThrow());
    }

    @Test
    void theWriteBackOfOneProjectLeavesAnotherProjectsQueueAndRemoteAlone() throws Exception {
        Path remA = Files.createDirectories(tmp.resolve("remA"));
        Path remB = tmp.resolve("remB-not-mounted");
        SmallWorkspace a = project("proj_a", Optional.of(filesystemRemote(remA, "teamA")));
        SmallWorkspace b = project("proj_b", Optional.of(filesystemRemote(remB, "teamB")));
        RemoteDestination toA = destinationOf(a);
        RemoteDestination toB = destinationOf(b);

        b.cargo(Map.of(), "build").assertOk("build of B, its remote missing");
        a.cargo(Map.of(), "build").assertOk("build of A");

        // B's failing remote does not stop A's uploader: A's entries arrive, and A's uploader then exits.
        Deadline.in(Duration.ofMinutes(2)).await("A's entries in A's remote, and A's uploader gone",
                () -> queued(toA).isEmpty() && !packsUnder(remA.resolve("teamA/proj_a")).isEmpty() && uploaderGone(toA));
        assertEquals(List.of(), packsUnder(remA.resolve("teamA/proj_b")), "B's code never reaches A's remote");
        assertTrue(queued(toB).stream().anyMatch(k -> k.startsWith("proj_b/")),
                "B's entries still wait for B's remote: " + queued(toB));
        assertFalse(Files.exists(remB), "nothing created B's missing share");
        List<Path> records = records(remA.resolve("teamA"));
        assertFalse(records.isEmpty(), "A's uploader wrote A's build record");

        // B built last: an uploader of A's remote finishing now must not write B's record there.
        b.cargo(Map.of(), "build", "--release").assertOk("another build of B");
        Map<String, String> uploaderEnv = new java.util.HashMap<>(System.getenv()); // cargo on its PATH
        uploaderEnv.putAll(a.env);
        try (LocalStore s = LocalStore.open(store, 1L << 30);
             ArtifactStore remote = RemoteStores.open(ConfigLoader.load(uploaderEnv, a.dir), uploaderEnv).orElseThrow()) {
            assertEquals(java.util.List.of(), WriteBackRecords.afterUploads(s, toA, remote, uploaderEnv, java.util.Set.of()));
        }
        assertEquals(records, records(remA.resolve("teamA")), "no record of B's build in A's remote");
    }

    private static List<Path> records(Path prefix) throws IOException {
        Path dir = prefix.resolve("kache-builds");
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }

    @Test
    void syncPushSendsOnlyThisProjectsBuildScriptNotTheOtherProjectsOfTheSameCrateName() throws Exception {
        SmallWorkspace a = project("proj_a", Optional.empty());
        SmallWorkspace b = project("proj_b", Optional.empty());
        b.cargo(Map.of(), "build").assertOk("build of B");
        a.cargo(Map.of(), "build").assertOk("build of A");
        Path rem = Files.createDirectories(tmp.resolve("rem"));
        Files.writeString(a.dir.resolve(".kache.toml"), filesystemRemote(rem, "shared"));

        CargoRun.Result plan = CargoRun.run(a.dir, a.env, kache.toString(), "sync", "--push", "--dry-run")
                .assertOk("sync --push --dry-run in A");
        assertTrue(plan.stdout().startsWith("pull 0, push 2"), plan.stdout());
        CargoRun.Result push = CargoRun.run(a.dir, a.env, kache.toString(), "sync", "--push")
                .assertOk("sync --push in A");
        assertTrue(push.stdout().contains("pushed: 2 done"), push.stdout() + push.stderr());

        List<Path> scripts = packsUnder(rem.resolve("shared/build_script_build"));
        assertEquals(1, scripts.size(), "A's build script only, not B's: " + scripts);
        assertEquals(1, packsUnder(rem.resolve("shared/proj_a")).size());
        assertEquals(List.of(), packsUnder(rem.resolve("shared/proj_b")));
        CargoRun.Result json = CargoRun.run(a.dir, a.env, kache.toString(), "sync", "--push", "--json")
                .assertOk("sync --push --json in A, again");
        assertTrue(json.stdout().contains("\"push\": {\"planned\": 0,"), "nothing left to push: " + json.stdout());
    }

    private List<String> queued(RemoteDestination to) {
        try (LocalStore s = LocalStore.open(store, 1L << 30)) {
            return s.pendingUploads().list(to).stream().map(Object::toString).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private boolean uploaderGone(RemoteDestination to) {
        try (LocalStore s = LocalStore.open(store, 1L << 30)) {
            PendingUploads queue = s.pendingUploads();
            Optional<UploaderLock> lock = queue.tryLockUploader(to);
            if (lock.isPresent()) {
                lock.get().close();
            }
            return lock.isPresent();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The entries' packs a filesystem remote holds under {@code dir}, none when it does not exist. */
    static List<Path> packsUnder(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).filter(p -> p.toString().endsWith(".tar.zst")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
