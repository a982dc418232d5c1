package io.kache.core.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Generates files that compress roughly like rustc output: mangled symbol names and metadata
 * strings (very compressible), machine-code-like bytes (somewhat compressible), and zero
 * padding, in mixed sizes from a few KiB to tens of MiB. Deterministic for a seed.
 */
final class RlibLikeData {

    private static final String[] WORDS = {"core", "fmt", "alloc", "vec", "Vec", "iter", "Iterator", "serde",
        "de", "ser", "Deserialize", "Serialize", "impl", "fn", "std", "collections", "hash", "HashMap", "option",
        "Option", "result", "Result", "string", "String", "str", "slice", "ptr", "drop_in_place", "closure",
        "Formatter", "Debug", "Display", "into_iter", "next", "map", "from", "u8", "usize", "Box", "Rc", "Arc"};

    private RlibLikeData() {
    }

    /** Writes files under {@code dir} until about {@code totalBytes}; returns their relative names. */
    static List<String> generate(Path dir, long totalBytes, long seed) throws IOException {
        Random r = new Random(seed);
        List<String> names = new ArrayList<>();
        long written = 0;
        int i = 0;
        while (written < totalBytes) {
            int size = pickSize(r);
            String hash = Long.toHexString(r.nextLong() & 0xffffffffffffL);
            String crate = WORDS[r.nextInt(WORDS.length)].toLowerCase() + "_" + i;
            String name = switch (i % 4) {
                case 0, 1 -> "deps/lib" + crate + "-" + hash + ".rlib";
                case 2 -> "deps/lib" + crate + "-" + hash + ".rmeta";
                default -> "deps/" + crate + "-" + hash + ".d";
            };
            Path p = dir.resolve(name);
            Files.createDirectories(p.getParent());
            try (OutputStream out = Files.newOutputStream(p)) {
                fill(out, size, r);
            }
            names.add(name);
            written += size;
            i++;
        }
        return names;
    }

    private static int pickSize(Random r) {
        double x = r.nextDouble();
        if (x < 0.5) {
            return 2_000 + r.nextInt(60_000);
        }
        if (x < 0.9) {
            return 100_000 + r.nextInt(2_000_000);
        }
        return 5_000_000 + r.nextInt(15_000_000);
    }

    private static void fill(OutputStream out, int size, Random r) throws IOException {
        byte[] block = new byte[64 * 1024];
        int left = size;
        while (left > 0) {
            int n = Math.min(block.length, left);
            int pos = 0;
            while (pos < n) {
                int kind = r.nextInt(10);
                int len = Math.min(n - pos, 64 + r.nextInt(960));
                if (kind < 4) {
                    pos = symbols(block, pos, len, r);
                } else if (kind < 9) {
                    for (int k = 0; k < len; k++) {
                        // Skewed bytes: opcodes and small immediates repeat, like x86 code does.
                        int v = r.nextInt(100);
                        block[pos + k] = (byte) (v < 60 ? r.nextInt(16) : v < 85 ? 0x48 + r.nextInt(8) : r.nextInt(256));
                    }
                    pos += len;
                } else {
                    for (int k = 0; k < len; k++) {
                        block[pos + k] = 0;
                    }
                    pos += len;
                }
            }
            out.write(block, 0, n);
            left -= n;
        }
    }

    private static int symbols(byte[] block, int pos, int len, Random r) {
        int end = pos + len;
        while (pos < end) {
            String w = "_ZN" + WORDS[r.nextInt(WORDS.length)].length() + WORDS[r.nextInt(WORDS.length)] + "17h"
                    + Integer.toHexString(r.nextInt(4096)) + "E";
            byte[] b = w.getBytes(StandardCharsets.US_ASCII);
            int n = Math.min(b.length, end - pos);
            System.arraycopy(b, 0, block, pos, n);
            pos += n;
        }
        return end;
    }
}
