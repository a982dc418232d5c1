package io.kache.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kache.core.entry.EntryFile;
import io.kache.core.entry.EntryManifest;
import io.kache.core.entry.OutputFile;
import io.kache.core.hash.Sha256;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real rustc rebuilding a crate over restored outputs (the edit-compile loop after a hit):
 * it must succeed, and the hard-linked blobs must keep their content.
 */
class RustcOverwriteTest {

    @TempDir
    Path tmp;

    @Test
    void rustcReplacesRestoredOutputsWithoutTouchingBlobs() throws Exception {
        assumeTrue(onPath("rustc"), "rustc must be on PATH");
        Path src = tmp.resolve("lib.rs");
        Path first = tmp.resolve("first");
        Files.writeString(src, "pub fn answer() -> u32 { 41 }\n");
        rustc(src, first);
        List<OutputFile> outputs = new ArrayList<>();
        try (var files = Files.list(first)) {
            for (Path p : files.toList()) {
                outputs.add(new OutputFile(p.getFileName().toString(), p));
            }
        }
        try (LocalStore store = LocalStore.open(tmp.resolve("store"), 1L << 30)) {
            EntryManifest m = store.put(StoreFixtures.key("answer", "1"), outputs, null, null, Map.of());
            Path target = tmp.resolve("target");
            store.restore(m, target);
            Files.writeString(src, "pub fn answer() -> u32 { 42 }\n");
            rustc(src, target);
            for (EntryFile f : m.files()) {
                assertEquals(f.sha256(), Sha256.of(store.blobPath(f.sha256())), "blob of " + f.name());
                if (f.name().endsWith(".rlib")) {
                    assertNotEquals(f.sha256(), Sha256.of(target.resolve(f.name())), "rustc wrote a new " + f.name());
                }
            }
        }
    }

    static void rustc(Path src, Path outDir) throws IOException, InterruptedException {
        Files.createDirectories(outDir);
        Process p = new ProcessBuilder("rustc", "--crate-name", "answer", "--crate-type", "lib",
                "--emit=dep-info,metadata,link", "-C", "extra-filename=-x", "--out-dir", outDir.toString(),
                src.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), "rustc failed: " + out);
    }

    static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }
}
