package io.kache.core.bench;

import io.kache.api.ArtifactKey;
import io.kache.core.entry.EntryManifest;
import io.kache.core.entry.OutputFile;
import io.kache.core.hash.Sha256;
import io.kache.core.pack.DirectoryUnpacker;
import io.kache.core.pack.PackLimits;
import io.kache.core.pack.PackWriter;
import io.kache.core.store.LocalStore;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Our pack+compress and decompress+unpack against {@code tar | zstd} on ~200 MB of rlib-like
 * files, same level, warm page cache, best of several runs. Run with {@code bench/pack.sh}.
 *
 * <p>Arguments: [work dir (default bench-out/pack)] [MB (default 200)] [runs (default 3)].
 */
public final class PackBenchmark {

    private static final int LEVEL = 3;

    private PackBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args.length > 0 ? args[0] : "bench-out/pack").toAbsolutePath();
        long megabytes = args.length > 1 ? Long.parseLong(args[1]) : 200;
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        deleteTree(work);
        Path data = work.resolve("data");
        List<String> names = RlibLikeData.generate(data, megabytes * 1_000_000, 42);
        long rawBytes = 0;
        for (String n : names) {
            rawBytes += Files.size(data.resolve(n));
        }
        System.out.printf(Locale.ROOT, "data: %d files, %.1f MB rlib-like, zstd level %d, best of %d runs, %s%n",
                names.size(), rawBytes / 1e6, LEVEL, runs, zstdVersion());

        ArtifactKey key = new ArtifactKey("bench", Sha256.of("bench".getBytes(StandardCharsets.UTF_8)));
        List<OutputFile> outputs = new ArrayList<>();
        for (String n : names) {
            outputs.add(new OutputFile(n, data.resolve(n)));
        }
        try (LocalStore store = LocalStore.open(work.resolve("store"), Long.MAX_VALUE)) {
            EntryManifest m = store.put(key, outputs, null, null, Map.of());
            Path ours = work.resolve("ours.tar.zst");
            Path cli = work.resolve("cli.tar.zst");

            Step none = () -> { };
            Result packOurs = best(runs, none, () -> {
                try (OutputStream out = Files.newOutputStream(ours)) {
                    store.exportPack(key, out, LEVEL);
                }
            });
            Result packOursMt = best(runs, none, () -> {
                try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(ours), 1 << 20)) {
                    new PackWriter(LEVEL, 2).write(m, f -> Files.newInputStream(data.resolve(f.name())), out);
                }
            });
            Result packCli = best(runs, none, () -> shell("tar -C '" + data + "' -cf - . | zstd -" + LEVEL
                    + " -q -f -o '" + cli + "'"));
            // Leave the single-threaded pack in place for the unpack runs.
            try (OutputStream out = Files.newOutputStream(ours)) {
                store.exportPack(key, out, LEVEL);
            }

            Path unpackDir = work.resolve("unpacked");
            Path s = work.resolve("import-store");
            Result importOurs = best(runs, () -> deleteTree(s), () -> {
                try (LocalStore fresh = LocalStore.open(s, Long.MAX_VALUE); InputStream in = Files.newInputStream(ours)) {
                    fresh.importPack(key, in);
                }
            });
            Result unpackOurs = best(runs, () -> deleteTree(unpackDir), () -> {
                try (InputStream in = Files.newInputStream(ours)) {
                    new DirectoryUnpacker(PackLimits.defaults()).unpack(in, Optional.of(key), "bench", unpackDir);
                }
            });
            Result unpackCli = best(runs, () -> {
                deleteTree(unpackDir);
                Files.createDirectories(unpackDir);
            }, () -> {
                shell("zstd -d -q -c '" + cli + "' | tar -C '" + unpackDir + "' -xf -");
            });

            long oursSize = Files.size(ours);
            long cliSize = Files.size(cli);
            System.out.printf(Locale.ROOT, "%-44s %9s %9s %8s%n", "", "time", "MB/s", "vs CLI");
            row("pack+compress  kache export (1 zstd worker)", packOurs, rawBytes, packCli);
            row("pack+compress  kache (2 zstd workers)", packOursMt, rawBytes, packCli);
            row("pack+compress  tar -c | zstd -" + LEVEL, packCli, rawBytes, packCli);
            row("decompress+unpack  kache import (verified)", importOurs, rawBytes, unpackCli);
            row("decompress+unpack  kache unpack to dir", unpackOurs, rawBytes, unpackCli);
            row("decompress+unpack  zstd -d | tar -x", unpackCli, rawBytes, unpackCli);
            System.out.printf(Locale.ROOT, "compressed size: kache %.1f MB (ratio %.2f), CLI %.1f MB (ratio %.2f),"
                    + " kache/CLI %.3f%n", oursSize / 1e6, (double) rawBytes / oursSize, cliSize / 1e6,
                    (double) rawBytes / cliSize, (double) oursSize / cliSize);
            System.out.printf(Locale.ROOT, "goal <= 1.20x: pack %.2fx, unpack (import) %.2fx, unpack (dir) %.2fx%n",
                    packOurs.seconds / packCli.seconds, importOurs.seconds / unpackCli.seconds,
                    unpackOurs.seconds / unpackCli.seconds);
        }
    }

    private record Result(double seconds) {
    }

    @FunctionalInterface
    private interface Step {
        void run() throws Exception;
    }

    /** Best time of {@code runs} runs of {@code step} after one warm-up; {@code setup} runs untimed before each. */
    private static Result best(int runs, Step setup, Step step) throws Exception {
        setup.run();
        step.run();
        double best = Double.MAX_VALUE;
        for (int i = 0; i < runs; i++) {
            setup.run();
            long t0 = System.nanoTime();
            step.run();
            best = Math.min(best, (System.nanoTime() - t0) / 1e9);
        }
        return new Result(best);
    }

    private static void row(String label, Result r, long bytes, Result cli) {
        System.out.printf(Locale.ROOT, "%-44s %8.3fs %9.0f %7.2fx%n", label, r.seconds, bytes / 1e6 / r.seconds,
                r.seconds / cli.seconds);
    }

    private static void shell(String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("bash", "-o", "pipefail", "-c", command).inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IOException("failed: " + command);
        }
    }

    private static String zstdVersion() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("zstd", "--version").redirectErrorStream(true).start();
        String v = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        p.waitFor();
        return v;
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }
}
