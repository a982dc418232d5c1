package io.kache.core.store;

import io.kache.api.ArtifactKey;
import io.kache.core.entry.OutputFile;
import io.kache.core.hash.Sha256;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Builds keys and rustc-like output directories for store tests. */
final class StoreFixtures {

    private StoreFixtures() {
    }

    static ArtifactKey key(String crate, String seed) {
        return new ArtifactKey(crate, Sha256.of(seed.getBytes(StandardCharsets.UTF_8)));
    }

    /** Deterministic pseudo-random bytes for {@code seed}. */
    static byte[] bytes(String seed, int size) {
        byte[] b = new byte[size];
        new Random(seed.hashCode()).nextBytes(b);
        return b;
    }

    /** A lib crate's outputs: an rlib, an rmeta and a dep-info file, contents derived from {@code seed}. */
    static List<OutputFile> libOutputs(Path dir, String crate, String seed, int rlibSize) throws IOException {
        Files.createDirectories(dir);
        List<OutputFile> out = new ArrayList<>();
        out.add(write(dir, "lib" + crate + "-1234.rlib", bytes(seed + "rlib", rlibSize), false));
        out.add(write(dir, "lib" + crate + "-1234.rmeta", bytes(seed + "rmeta", rlibSize / 4 + 1), false));
        out.add(write(dir, crate + "-1234.d", ("lib" + crate + ".rlib: src/lib.rs\n" + seed)
                .getBytes(StandardCharsets.UTF_8), false));
        return out;
    }

    static OutputFile write(Path dir, String name, byte[] content, boolean executable) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.write(p, content);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(executable ? "rwxr-xr-x" : "rw-r--r--"));
        return new OutputFile(name, p);
    }
}
