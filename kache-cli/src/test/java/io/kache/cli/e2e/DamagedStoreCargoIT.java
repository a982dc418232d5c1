package io.kache.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.core.store.LocalStore;
import io.kache.testkit.SpyRustc;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A blob changed in place in the store, as a disk error or a stray tool would: the bytes keep their
 * name and size, even their mtime ({@code touch -r}). The build's output is still right, the
 * damaged crate compiles, and the store heals so the next build hits again. Through a JVM per call
 * here, through the server in {@link ServerDamagedStoreCargoIT}.
 */
class DamagedStoreCargoIT {

    private static final String EXPECTED = "Hello, kache generated=42 flavor=plain tokens=3\n";

    @TempDir
    Path tmp;

    private SpyRustc spy;
    private Path store;
    private DemoWorkspace ws;

    Path launcher(Path binDir) throws Exception {
        return KacheLauncher.create(binDir);
    }

    Map<String, String> launcherEnv() {
        return Map.of();
    }

    @BeforeEach
    void setUp() throws Exception {
        Path kache = launcher(Files.createDirectories(tmp.resolve("bin")));
        spy = SpyRustc.create(tmp.resolve("spy"));
        store = tmp.resolve("store");
        ws = DemoWorkspace.copyTo(tmp.resolve("ws"), kache, spy, store, Files.createDirectories(tmp.resolve("xdg")));
        ws.env.putAll(launcherEnv());
        ws.cargo("build").assertOk("cold build");
        assertEquals(EXPECTED, ws.runApp(ws.dir.resolve("target"), "debug"));
        spy.takeCompiled();
    }

    @Test
    void aGreetingChangedInTheRlibBlobIsNeverServed() throws Exception {
        Path blob = blobOf("libcore_lib-", ".rlib");
        replaceKeepingMtime(blob, "Hello,", "Jello,");
        rebuildFromCleanIsRightAndHeals("core_lib");
    }

    @Test
    void aGreetingChangedInTheExecutableBlobIsNeverServed() throws Exception {
        Path blob = blobOf("app-", "");
        replaceKeepingMtime(blob, "Hello,", "Jello,");
        rebuildFromCleanIsRightAndHeals("app");
    }

    @Test
    void aByteFlippedInTheProcMacroBlobIsNeverServed() throws Exception {
        Path blob = blobOf("libmacros-", ".so");
        FileTime mtime = Files.getLastModifiedTime(blob);
        try (RandomAccessFile f = new RandomAccessFile(blob.toFile(), "rw")) {
            long middle = f.length() / 2;
            f.seek(middle);
            int b = f.read();
            f.seek(middle);
            f.write(b ^ 0xff);
        }
        Files.setLastModifiedTime(blob, mtime);
        rebuildFromCleanIsRightAndHeals("macros");
    }

    @Test
    void aTruncatedRlibBlobIsNeverServed() throws Exception {
        Path blob = blobOf("libcore_lib-", ".rlib");
        try (RandomAccessFile f = new RandomAccessFile(blob.toFile(), "rw")) {
            f.setLength(f.length() / 2);
        }
        rebuildFromCleanIsRightAndHeals("core_lib");
    }

    private void rebuildFromCleanIsRightAndHeals(String damagedCrate) throws Exception {
        ws.cargo("clean").assertOk("clean");
        CargoRun.Result build = ws.cargo("build").assertOk("build over a damaged store");
        assertEquals(EXPECTED, ws.runApp(ws.dir.resolve("target"), "debug"), "the damaged bytes never reach the program");
        List<String> compiled = spy.takeCompiled();
        assertTrue(compiled.contains(damagedCrate), "the damaged entry compiles again: " + compiled);
        assertFalse(build.stdout().contains("kache"), "nothing of kache's on stdout: " + build.stdout());

        try (Stream<Path> evidence = Files.list(store.resolve("quarantine"))) {
            assertEquals(1, evidence.filter(p -> p.toString().endsWith(".failed")).count(),
                    "the damaged blob is kept as evidence");
        }
        ws.cargo("clean").assertOk("clean again");
        ws.cargo("build").assertOk("build after the store healed");
        assertEquals(List.of(), spy.takeCompiled(), "the recompile healed the store: everything hits");
        assertEquals(EXPECTED, ws.runApp(ws.dir.resolve("target"), "debug"));
    }

    /** The store's blob holding the output in {@code target/debug/deps} named {@code prefix…suffix}. */
    private Path blobOf(String prefix, String suffix) throws Exception {
        Path deps = ws.dir.resolve("target/debug/deps");
        Path output;
        try (Stream<Path> files = Files.list(deps)) {
            output = files.filter(p -> {
                String n = p.getFileName().toString();
                return n.startsWith(prefix) && (suffix.isEmpty() ? !n.contains(".") : n.endsWith(suffix));
            }).findFirst().orElseThrow(() -> new AssertionError("no " + prefix + "*" + suffix + " in " + deps));
        }
        String sha = sha256(Files.readAllBytes(output));
        try (LocalStore s = LocalStore.open(store, 1L << 34)) {
            // Through the server, a build's last entries land just after it.
            assertTrue(s.awaitStoresInFlight(java.time.Duration.ofSeconds(60)), "stores in flight landed");
        }
        Path blob = store.resolve("blobs").resolve(sha.substring(0, 2)).resolve(sha);
        assertTrue(Files.isRegularFile(blob), "the store holds " + output.getFileName() + " as " + blob);
        return blob;
    }

    /** Replaces every occurrence of {@code from} by {@code to} (same length) in place, mtime put back. */
    private static void replaceKeepingMtime(Path file, String from, String to) throws IOException {
        FileTime mtime = Files.getLastModifiedTime(file);
        byte[] content = Files.readAllBytes(file);
        byte[] needle = from.getBytes(StandardCharsets.US_ASCII);
        byte[] replacement = to.getBytes(StandardCharsets.US_ASCII);
        int found = 0;
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            for (int i = 0; i + needle.length <= content.length; i++) {
                if (java.util.Arrays.equals(content, i, i + needle.length, needle, 0, needle.length)) {
                    f.seek(i);
                    f.write(replacement);
                    found++;
                }
            }
        }
        assertTrue(found > 0, "'" + from + "' occurs in " + file);
        Files.setLastModifiedTime(file, mtime);
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
