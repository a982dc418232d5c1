package io.kache.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.api.ArtifactKey;
import io.kache.api.ArtifactLayout;
import io.kache.core.entry.EntryManifest;
import io.kache.core.entry.OutputFile;
import io.kache.core.hash.Sha256;
import io.kache.core.store.LocalStore;
import io.kache.core.sync.Direction;
import io.kache.core.sync.SyncResult;
import io.kache.core.sync.TransferOutcome.Status;
import io.kache.testkit.s3.S3TestServer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the library-use example against a real S3 server and keeps the README quoting it. */
class LibraryUseExampleTest {

    @TempDir
    Path tmp;
    S3TestServer server;
    Map<String, String> env = new HashMap<>();
    Path source;

    @BeforeEach
    void setUp() throws Exception {
        server = S3TestServer.start(tmp.resolve("s3"), "AKIDEXAMPLE", "example-secret");
        server.createBucket("cache");
        System.getenv().forEach((k, v) -> {
            if (!k.startsWith("KACHE_") && !k.startsWith("AWS_")) {
                env.put(k, v);
            }
        });
        env.put("XDG_CONFIG_HOME", tmp.resolve("xdg").toString());
        env.put("KACHE_CACHE_DIR", tmp.resolve("store").toString());
        env.put("KACHE_S3_BUCKET", "cache");
        env.put("KACHE_S3_ENDPOINT", server.endpoint().toString());
        env.put("KACHE_S3_ACCESS_KEY", "AKIDEXAMPLE");
        env.put("KACHE_S3_SECRET_KEY", "example-secret");
        source = Files.createDirectories(tmp.resolve("built"));
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    /** Another machine's entry, uploaded as a pack: what a CI build leaves in the bucket. */
    private ArtifactKey publish(String crate, String seed, String content) throws Exception {
        ArtifactKey key = new ArtifactKey(crate, Sha256.of(seed.getBytes(StandardCharsets.UTF_8)));
        Path file = Files.writeString(source.resolve("lib" + crate + "-" + seed + ".rlib"), content);
        try (LocalStore producer = LocalStore.open(tmp.resolve("producer"), 1L << 30)) {
            producer.put(key, List.of(new OutputFile("lib" + crate + ".rlib", file)), new byte[0], new byte[0], Map.of());
            ByteArrayOutputStream pack = new ByteArrayOutputStream();
            producer.exportPack(key, pack, 3);
            server.putObject("cache", ArtifactLayout.withDefaultPrefix().objectName(key), pack.toByteArray());
        }
        return key;
    }

    @Test
    void pullAndRestoreBringsACratesEntriesAndRestoresOne() throws Exception {
        ArtifactKey first = publish("serde", "b", "serde rlib b");
        ArtifactKey second = publish("serde", "a", "serde rlib a");
        publish("serde_json", "c", "not serde");
        ArtifactKey expected = first.cacheKey().compareTo(second.cacheKey()) < 0 ? first : second;
        Path target = tmp.resolve("target/debug/deps");

        EntryManifest restored = LibraryUseExample.pullAndRestore(env, tmp, "serde", target);

        assertEquals(expected, restored.key());
        String content = expected == first ? "serde rlib b" : "serde rlib a";
        assertArrayEquals(content.getBytes(StandardCharsets.UTF_8), Files.readAllBytes(target.resolve("libserde.rlib")));
        try (LocalStore local = LocalStore.open(tmp.resolve("store"), 1L << 30)) {
            assertEquals(List.of(second, first).stream().sorted(java.util.Comparator.comparing(ArtifactKey::cacheKey))
                    .toList(), local.list(Optional.empty()).stream().map(e -> e.key()).toList());
        }
    }

    @Test
    void pullProjectPullsEverythingOutsideACargoProject() throws Exception {
        publish("serde", "a", "one");
        publish("tokio", "b", "two");
        SyncResult result = LibraryUseExample.pullProject(env, Files.createDirectories(tmp.resolve("no-project")));
        assertTrue(result.complete(), result.toString());
        assertEquals(2, result.count(Direction.PULL, Status.DONE));
    }

    @Test
    void theDocumentQuotesTheExampleVerbatim() throws Exception {
        Path root = Path.of(System.getProperty("basedir", ".")).toAbsolutePath();
        while (!Files.isRegularFile(root.resolve("README.md"))) {
            root = root.getParent();
        }
        String doc = Files.readString(root.resolve("README.md"));
        String example = Files.readString(root.resolve(
                "kache-cli/src/test/java/io/kache/examples/LibraryUseExample.java"));
        for (String name : List.of("imports", "pull-and-restore", "sync-project")) {
            String snippet = Snippets.extract(example, name);
            assertTrue(doc.contains("```java\n" + snippet + "```\n"),
                    "README.md must quote snippet '" + name + "' exactly:\n" + snippet);
        }
    }
}
