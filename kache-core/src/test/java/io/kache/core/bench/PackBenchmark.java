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
import java.util.Arrays;
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
        System.out.printf(Locale.ROOT, "data: %d files, %.1f MB rlib-like, zstd level %d, best and median of %d interleaved runs, %s%n",
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

            Path unpackDir = work.resolve("unpacked");
            Path importRoot = work.resolve("import-store");
            Step none = () -> { };
            // Steps of one group run interleaved, run after run, so they share the machine's ups and downs.
            Result[] pack = interleaved(runs,
                    new Case(none, () -> {
                        try (OutputStream out = Files.newOutputStream(ours)) {
                            store.exportPack(key, out, LEVEL);
                        }
                    }),
                    new Case(none, () -> {
                        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(ours), 1 << 20)) {
                            new PackWriter(LEVEL, 2).write(m, f -> Files.newInputStream(data.resolve(f.name())), out);
                        }
                    }),
                    new Case(none, () -> shell("tar -C '" + data + "' -cf - . | zstd -" + LEVEL + " -q -f -o '" + cli
                            + "'")));
            // The default (one worker) pack is what the unpack runs read.
            try (OutputStream out = Files.newOutputStream(ours)) {
                store.exportPack(key, out, LEVEL);
            }
            Result[] unpack = interleaved(runs,
                    new Case(() -> deleteTree(importRoot), () -> {
                        try (LocalStore fresh = LocalStore.open(importRoot, Long.MAX_VALUE);
                             InputStream in = Files.newInputStream(ours)) {
                            fresh.importPack(key, in);
                        }
                    }),
                    new Case(() -> deleteTree(unpackDir), () -> {
                        try (InputStream in = Files.newInputStream(ours)) {
                            new DirectoryUnpacker(PackLimits.defaults()).unpack(in, Optional.of(key), "bench", unpackDir);
                        }
                    }),
                    new Case(() -> {
                        deleteTree(unpackDir);
                        Files.createDirectories(unpackDir);
                    }, () -> shell("zstd -d -q -c '" + cli + "' | tar -C '" + unpackDir + "' -xf -")));
            Result packOurs = pack[0];
            Result packOursMt = pack[1];
            Result packCli = pack[2];
            Result importOurs = unpack[0];
            Result unpackOurs = unpack[1];
            Result unpackCli = unpack[2];

            long oursSize = Files.size(ours);
            long cliSize = Files.size(cli);
            System.out.printf(Locale.ROOT, "%-44s %9s %9s %8s %9s %8s%n", "", "best", "MB/s", "vs CLI", "median",
                    "vs CLI");
            row("pack+compress  kache export (1 zstd worker)", packOurs, rawBytes, packCli);
            row("pack+compress  kache (2 zstd workers)", packOursMt, rawBytes, packCli);
            row("pack+compress  tar -c | zstd -" + LEVEL, packCli, rawBytes, packCli);
            row("decompress+unpack  kache import (verified)", importOurs, rawBytes, unpackCli);
            row("decompress+unpack  kache unpack to dir", unpackOurs, rawBytes, unpackCli);
            row("decompress+unpack  zstd -d | tar -x", unpackCli, rawBytes, unpackCli);
            System.out.printf(Locale.ROOT, "compressed size: kache %.1f MB (ratio %.2f), CLI %.1f MB (ratio %.2f),"
                    + " kache/CLI %.3f%n", oursSize / 1e6, (double) rawBytes / oursSize, cliSize / 1e6,
                    (double) rawBytes / cliSize, (double) oursSize / cliSize);
            System.out.printf(Locale.ROOT, "goal <= 1.20x (best / median): pack %.2fx / %.2fx, unpack (import) %.2fx /"
                    + " %.2fx, unpack (dir) %.2fx / %.2fx%n",
                    packOurs.best / packCli.best, packOurs.median / packCli.median,
                    importOurs.best / unpackCli.best, importOurs.median / unpackCli.median,
                    unpackOurs.best / unpackCli.best, unpackOurs.median / unpackCli.median);
        }
    }

    private record Result(double best, double median) {
    }

    private record Case(Step setup, Step step) {
    }

    @FunctionalInterface
    private interface Step {
        void run() throws Exception;
    }

    /**
     * One warm-up of each case, then {@code runs} rounds running every case once, in turn; the
     * untimed setup runs before each timed step.
     */
    private static Result[] interleaved(int runs, Case... cases) throws Exception {
        double[][] times = new double[cases.length][runs];
        for (Case c : cases) {
            c.setup().run();
            c.step().run();
        }
        for (int i = 0; i < runs; i++) {
            for (int k = 0; k < cases.length; k++) {
                cases[k].setup().run();
                long t0 = System.nanoTime();
                cases[k].step().run();
                times[k][i] = (System.nanoTime() - t0) / 1e9;
            }
        }
        Result[] results = new Result[cases.length];
        for (int k = 0; k < cases.length; k++) {
            double[] t = times[k].clone();
            Arrays.sort(t);
            results[k] = new Result(t[0], t[t.length / 2]);
        }
        return results;
    }

    private static void row(String label, Result r, long bytes, Result cli) {
        System.out.printf(Locale.ROOT, "%-44s %8.3fs %9.0f %7.2fx %8.3fs %7.2fx%n", label, r.best,
                bytes / 1e6 / r.best, r.best / cli.best, r.median, r.median / cli.median);
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
