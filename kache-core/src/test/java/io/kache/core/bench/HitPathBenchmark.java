package io.kache.core.bench;

import io.kache.api.ArtifactKey;
import io.kache.core.entry.EntryManifest;
import io.kache.core.entry.OutputFile;
import io.kache.core.hash.Sha256;
import io.kache.core.store.LocalStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Cost of one cache hit (lookup + restore of a typical lib entry: 3 MB rlib, 1 MB rmeta, 2 KB
 * dep-info) in a freshly started JVM, with the launcher's flags, against an empty JVM. Run with
 * {@code bench/hit.sh}. Arguments: [work dir (default bench-out/hit)] [runs (default 15)].
 */
public final class HitPathBenchmark {

    private HitPathBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args.length > 0 ? args[0] : "bench-out/hit").toAbsolutePath();
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        Path root = work.resolve("store");
        Path out = work.resolve("out");
        Files.createDirectories(out);
        ArtifactKey key = new ArtifactKey("serde_json", Sha256.of("hit".getBytes(StandardCharsets.UTF_8)));
        Random r = new Random(1);
        List<OutputFile> outputs = new ArrayList<>();
        outputs.add(write(out, "libserde_json-0123abcd.rlib", 3_000_000, r));
        outputs.add(write(out, "libserde_json-0123abcd.rmeta", 1_000_000, r));
        outputs.add(write(out, "serde_json-0123abcd.d", 2_000, r));
        try (LocalStore store = LocalStore.open(root, 50L << 30)) {
            EntryManifest m = store.put(key, outputs, new byte[0], new byte[200], Map.of("emit", "link"));
            System.out.printf(Locale.ROOT, "entry: %d files, %.1f MB; %d fresh JVMs each (-XX:TieredStopAtLevel=1"
                    + " -XX:+UseSerialGC), medians%n", m.files().size(), m.totalSize() / 1e6, runs);
        }
        long[] noop = new long[runs];
        long[] hit = new long[runs];
        long[][] inside = new long[4][runs];
        for (int i = 0; i < runs; i++) {
            noop[i] = run(List.of("noop"))[0];
            long[] h = run(List.of(root.toString(), key.crateName(), key.cacheKey(),
                    work.resolve("target" + i).toString()));
            hit[i] = h[0];
            for (int k = 0; k < 4; k++) {
                inside[k][i] = h[k + 1];
            }
        }
        System.out.printf(Locale.ROOT, "empty JVM process:            %6.1f ms%n", median(noop) / 1e3);
        System.out.printf(Locale.ROOT, "hit process (JVM + hit):      %6.1f ms  (+%.1f ms over the empty JVM)%n",
                median(hit) / 1e3, (median(hit) - median(noop)) / 1e3);
        System.out.printf(Locale.ROOT, "inside main: total %.1f ms = open+lookup %.1f + restore %.1f + count %.1f%n",
                median(inside[0]) / 1e3, median(inside[1]) / 1e3, median(inside[2]) / 1e3, median(inside[3]) / 1e3);
    }

    /** Wall time of the process in µs, then what it printed. */
    private static long[] run(List<String> args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto", "-cp",
                System.getProperty("java.class.path"), HitPathProbe.class.getName()));
        cmd.addAll(args);
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String printed = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (p.waitFor() != 0) {
            throw new IOException("probe failed");
        }
        long wall = (System.nanoTime() - t0) / 1000;
        long[] v = Arrays.stream(printed.split(" ")).mapToLong(Long::parseLong).toArray();
        long[] all = new long[v.length + 1];
        all[0] = wall;
        System.arraycopy(v, 0, all, 1, v.length);
        return all;
    }

    private static OutputFile write(Path dir, String name, int size, Random r) throws IOException {
        byte[] b = new byte[size];
        r.nextBytes(b);
        Path p = dir.resolve(name);
        Files.write(p, b);
        return new OutputFile(name, p);
    }

    private static double median(long[] v) {
        long[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
