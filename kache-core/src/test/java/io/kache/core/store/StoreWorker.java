package io.kache.core.store;

import io.kache.api.ArtifactKey;
import io.kache.core.entry.EntryFile;
import io.kache.core.entry.EntryManifest;
import io.kache.core.entry.OutputFile;
import io.kache.core.hash.Sha256;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * A separate JVM that uses a store the way a rustc wrapper does, for the multi-process tests.
 * Every entry's content is derived from its key, so any process can check what it restores.
 *
 * <pre>
 * stress ROOT WORKDIR ID ITERATIONS SHARED   lock, lookup, restore+verify or put; prints "done N"
 * put-forever ROOT WORKDIR                   puts new entries, printing "stored I" after each
 * put-from ROOT SOURCE                       one put whose first output is SOURCE (e.g. a FIFO)
 * hold-lock ROOT CRATE SEED                  takes a key lock, prints "locked", waits for stdin
 * </pre>
 */
public final class StoreWorker {

    private StoreWorker() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[1]);
        try (LocalStore store = LocalStore.open(root, 1L << 40)) {
            switch (args[0]) {
                case "stress" -> stress(store, Path.of(args[2]), args[3], Integer.parseInt(args[4]),
                        Integer.parseInt(args[5]));
                case "put-forever" -> putForever(store, Path.of(args[2]));
                case "put-from" -> {
                    System.out.println("putting");
                    System.out.flush();
                    store.put(StoreFixtures.key("fifo", "1"), List.of(new OutputFile("libfifo.rlib", Path.of(args[2]))),
                            null, null, Map.of());
                    System.out.println("stored");
                }
                case "hold-lock" -> {
                    try (KeyLock lock = store.lock(StoreFixtures.key(args[2], args[3]), Duration.ofSeconds(30))) {
                        System.out.println("locked");
                        System.out.flush();
                        System.in.read();
                    }
                }
                default -> throw new IllegalArgumentException(args[0]);
            }
        }
        System.out.flush();
    }

    static byte[] contentFor(ArtifactKey key, String file) {
        Random r = new Random((key + file).hashCode());
        byte[] b = new byte[20_000 + r.nextInt(400_000)];
        r.nextBytes(b);
        return b;
    }

    static List<OutputFile> outputsFor(ArtifactKey key, Path dir) throws IOException {
        String crate = key.crateName();
        return List.of(
                StoreFixtures.write(dir, "lib" + crate + ".rlib", contentFor(key, "rlib"), false),
                StoreFixtures.write(dir, "lib" + crate + ".rmeta", contentFor(key, "rmeta"), false),
                StoreFixtures.write(dir, crate + ".d", contentFor(key, "d"), false));
    }

    private static void stress(LocalStore store, Path work, String id, int iterations, int shared) throws Exception {
        Random r = new Random(id.hashCode());
        int done = 0;
        for (int i = 0; i < iterations; i++) {
            ArtifactKey key = r.nextBoolean() ? StoreFixtures.key("shared" + r.nextInt(shared), "k")
                    : StoreFixtures.key("own_" + id, "k" + i);
            try (KeyLock lock = store.lock(key, Duration.ofSeconds(60))) {
                Optional<EntryManifest> hit = store.lookup(key);
                if (hit.isPresent()) {
                    Path target = work.resolve(id).resolve("restore-" + i);
                    store.restore(hit.get(), target);
                    verify(key, hit.get(), target);
                } else {
                    store.put(key, outputsFor(key, work.resolve(id).resolve("out-" + i)), null, null, Map.of());
                }
            }
            done++;
        }
        System.out.println("done " + done);
    }

    private static void verify(ArtifactKey key, EntryManifest m, Path target) throws IOException {
        String crate = key.crateName();
        check(key, target.resolve("lib" + crate + ".rlib"), contentFor(key, "rlib"));
        check(key, target.resolve("lib" + crate + ".rmeta"), contentFor(key, "rmeta"));
        check(key, target.resolve(crate + ".d"), contentFor(key, "d"));
        for (EntryFile f : m.files()) {
            if (!Sha256.of(target.resolve(f.name())).equals(f.sha256())) {
                throw new IllegalStateException("hash mismatch for " + f.name() + " of " + key);
            }
        }
    }

    private static void check(ArtifactKey key, Path file, byte[] expected) throws IOException {
        if (!Arrays.equals(Files.readAllBytes(file), expected)) {
            throw new IllegalStateException("wrong content restored for " + file + " of " + key);
        }
    }

    private static void putForever(LocalStore store, Path work) throws Exception {
        for (int i = 0; ; i++) {
            ArtifactKey key = StoreFixtures.key("forever", "k" + i);
            store.put(key, outputsFor(key, work.resolve("out-" + i)), null, null, Map.of());
            System.out.println("stored " + i);
            System.out.flush();
        }
    }
}
