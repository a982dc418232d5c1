package io.kache.cli;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import com.sun.management.OperatingSystemMXBean;
import io.kache.api.ArtifactKey;
import io.kache.api.ArtifactLayout;
import io.kache.core.Invocation;
import io.kache.core.entry.EntryFile;
import io.kache.core.entry.EntryManifest;
import io.kache.core.hash.Sha256;
import io.kache.core.key.CacheKeyRecipe;
import io.kache.core.key.InputSet;
import io.kache.core.pack.PackWriter;
import io.kache.core.store.LocalStore;
import io.kache.core.sync.cargo.ProjectCrates;
import io.kache.core.sync.records.BuildIdentity;
import io.kache.core.sync.records.BuildRecord;
import io.kache.core.sync.records.BuildIdentities;
import io.kache.s3.aws.UrlConnectionKeepAlive;
import io.kache.testkit.s3.S3ServerFiles;
import io.kache.testkit.s3.S3TestServer;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Benchmark of {@code kache sync --pull} (the command, run in-process) against raw parallel GETs of
 * the same objects through the same SDK, HTTP client and concurrency, from an S3 server in a JVM
 * of its own ({@link BenchS3Server}), in a network namespace behind a rate-limited veth pair with
 * a latency added to each request when {@code bench/sync.sh} can set one up, else on loopback;
 * then how a pull grows with the history in the bucket. Not a test: a program printing side-by-side figures, wall time and the CPU time of
 * both processes. Run it with {@code bench/sync.sh}, which starts this JVM with the flags
 * {@code bin/kache} runs the command with.
 *
 * <p>Arguments: {@code [entries=500] [history=1,10,50] [concurrency=16] [rounds=5]}; system
 * properties {@code bench.netns}, {@code bench.host}, {@code bench.latencyMs} and {@code bench.network}
 * (a description) place the server.
 */
public final class SyncBenchmark {

    private static final String ACCESS = "AKIDBENCH";
    private static final String SECRET = "bench-secret";
    private static final int CRATES = 100;
    /** Unmeasured runs of each variant before the measured rounds; -Dwarmups=N changes it. */
    private static final int WARM_UP_RUNS = Integer.getInteger("warmups", 6);
    /** The attribute names the wrapper records an entry's call key and inputs under (EntryAttributes). */
    private static final String CALL_KEY = "call-key";
    private static final String INPUTS = "inputs";
    private static final OperatingSystemMXBean OS =
            (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    /**
     * One measured run: wall seconds, CPU seconds of this process and of the server's, and the TCP
     * connections opened on the machine meanwhile (-1 where Linux's counter is not readable).
     */
    record Run(double wall, double cpu, double serverCpu, long connections) {
    }

    private final Path dir;
    private final ServerProcess server;
    private final int concurrency;
    private final Map<String, List<ArtifactKey>> datasets = new HashMap<>();
    private final Map<ArtifactKey, String> callKeys = new HashMap<>();

    private SyncBenchmark(Path dir, ServerProcess server, int concurrency) {
        this.dir = dir;
        this.server = server;
        this.concurrency = concurrency;
    }

    public static void main(String[] args) throws Exception {
        int entries = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        int[] history = Stream.of((args.length > 1 ? args[1] : "1,10,50").split(","))
                .mapToInt(Integer::parseInt).toArray();
        int concurrency = args.length > 2 ? Integer.parseInt(args[2]) : 16;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        // As kache's S3 clients do before their first request: the JDK reads the bound once per
        // JVM, and the raw GETs run first, so without this they would keep five idle connections
        // and sync all of them.
        UrlConnectionKeepAlive.reserve();
        Path dir = Files.createTempDirectory("kache-sync-bench");
        try (ServerProcess server = ServerProcess.start(dir.resolve("s3"))) {
            SyncBenchmark bench = new SyncBenchmark(dir, server, concurrency);
            System.out.printf(Locale.ROOT, "machine: %d cores, java %s; this JVM: %s; S3Proxy in a JVM of its"
                    + " own at %s; concurrency %d; store and server files in %s%n", Runtime.getRuntime().availableProcessors(),
                    System.getProperty("java.version"),
                    String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()), server.endpoint(),
                    concurrency, dir);
            System.out.printf(Locale.ROOT, "network: %s%n", System.getProperty("bench.network",
                    "loopback, no rate limit, no added latency"));
            try {
                bench.headline(entries, rounds);
                bench.history(history);
            } finally {
                for (Path store : bench.stores) {
                    deleteTree(store);
                }
            }
        } finally {
            deleteTree(dir);
        }
    }

    /** Mixed entries: sync vs raw GETs, median of {@code rounds} alternating runs after warm-up runs of each. */
    private void headline(int entries, int rounds) throws Exception {
        long bytes = generate("mixed", entries, true);
        System.out.printf(Locale.ROOT, "%n== pull of %d mixed entries, %s packed, over %d crates ==%n", entries,
                mib(bytes), Math.min(CRATES, entries));
        // Unmeasured runs of each first, as JMH warms up: with one, every variant was still getting
        // faster round after round while the JIT compiled, the sync path (more code) longest; with
        // three, the server's JIT still sped the first measured rounds up.
        for (int i = 0; i < WARM_UP_RUNS; i++) {
            raw("mixed");
            raw("mixed", dir);
            rawPull("mixed", dir);
            rawUnpacked("mixed", dir);
            sync("mixed", dir);
        }
        Optional<Path> tmpfs = tmpfs();
        List<Run> raws = new ArrayList<>();
        List<Run> saved = new ArrayList<>();
        List<Run> rawPulls = new ArrayList<>();
        List<Run> syncs = new ArrayList<>();
        List<Run> memory = new ArrayList<>();
        List<Run> listings = new ArrayList<>();
        List<Run> unpackedRaws = new ArrayList<>();
        Optional<Path> launcher = Optional.ofNullable(System.getProperty("bench.launcher")).map(Path::of);
        List<Run> newServer = new ArrayList<>();
        List<Run> upServer = new ArrayList<>();
        List<Run> ownJvm = new ArrayList<>();
        List<Run> ownJvmC1 = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            if (launcher.isPresent()) {
                // Short: the socket's path must fit a sockaddr_un (107 bytes), or the client runs a JVM.
                Path serverDir = Files.createTempDirectory(Path.of("/tmp"), "ks");
                stores.add(serverDir);
                newServer.add(launched("mixed", dir, launcher.get(), Launch.server(serverDir)));
                upServer.add(launched("mixed", dir, launcher.get(), Launch.server(serverDir)));
                stopServer(serverDir);
                ownJvm.add(launched("mixed", dir, launcher.get(), Launch.ownJvm("")));
                ownJvmC1.add(launched("mixed", dir, launcher.get(), Launch.ownJvm("-XX:TieredStopAtLevel=1")));
            }
            listings.add(lists("mixed"));
            raws.add(raw("mixed"));
            saved.add(raw("mixed", dir));
            rawPulls.add(rawPull("mixed", dir));
            unpackedRaws.add(rawUnpacked("mixed", dir));
            syncs.add(sync("mixed", dir));
            pulledStore = lastStore;
            if (tmpfs.isPresent()) {
                memory.add(sync("mixed", tmpfs.get()));
            }
        }
        Run raw = median(raws);
        Run save = median(saved);
        Run floor = median(rawPulls);
        Run sync = median(syncs);
        line("raw parallel GETs", raw, bytes, raws);
        line("raw GETs saved to files", save, bytes, saved);
        line("raw LISTs + saved GETs", floor, bytes, rawPulls);
        Run unpackedRaw = median(unpackedRaws);
        line("raw GETs + unpack floor", unpackedRaw, bytes, unpackedRaws);
        line("kache sync --pull", sync, bytes, syncs);
        Run listing = median(listings);
        System.out.printf(Locale.ROOT, "%-22s %6.2f s %14s  cpu %5.2f s   (runs: %s; part of sync's time, overlapped with its"
                + " GETs; S3Proxy walks the whole bucket for each crate's LIST, S3 does not)%n",
                "its " + Math.min(CRATES, datasets.get("mixed").size()) + " LISTs alone", listing.wall, "", listing.cpu,
                String.join(", ", listings.stream().map(r -> String.format(Locale.ROOT, "%.2f", r.wall)).toList()));
        System.out.printf(Locale.ROOT, "sync / raw throughput        %5.2fx  (goal >= 0.9 under the network model)%n", raw.wall / sync.wall);
        System.out.printf(Locale.ROOT, "raw LISTs+GETs / raw         %5.2fx  (no pull that lists each crate and keeps the"
                + " bytes does better here)%n", raw.wall / floor.wall);
        System.out.printf(Locale.ROOT, "sync / raw LISTs+GETs        %5.2fx  (what kache's own work costs)%n",
                floor.wall / sync.wall);
        System.out.printf(Locale.ROOT, "sync / saved-GETs throughput %5.2fx  (both write the packs to the local disk)%n",
                save.wall / sync.wall);
        double mb = bytes / (double) (1 << 20);
        System.out.printf(Locale.ROOT, "cpu per pulled MiB: raw GETs %.1f ms, raw LISTs+saved GETs %.1f ms, kache sync"
                + " %.1f ms (it also unpacks and verifies every entry)%n", raw.cpu * 1000 / mb, floor.cpu * 1000 / mb,
                sync.cpu * 1000 / mb);
        System.out.printf(Locale.ROOT, "sync cpu/MiB / raw GETs'      %5.2fx  (goal <= 1.5)%n", sync.cpu / raw.cpu);
        System.out.printf(Locale.ROOT, "sync cpu/MiB / raw pull's     %5.2fx%n", sync.cpu / floor.cpu);
        System.out.printf(Locale.ROOT, "unpack floor: %.1f ms cpu per pulled MiB (%.2fx raw GETs'); sync / floor: %.2fx"
                + " throughput, %.2fx cpu  (the floor decompresses, hashes and writes each body, as a pull that"
                + " keeps verified files must)%n", unpackedRaw.cpu * 1000 / mb, unpackedRaw.cpu / raw.cpu,
                unpackedRaw.wall / sync.wall, sync.cpu / unpackedRaw.cpu);
        if (!newServer.isEmpty()) {
            line("bin/kache sync --pull", median(newServer), bytes, newServer);
            line("  server already up", median(upServer), bytes, upServer);
            line("  KACHE_NO_SERVER=1", median(ownJvm), bytes, ownJvm);
            line("    and C1 only", median(ownJvmC1), bytes, ownJvmC1);
            System.out.printf(Locale.ROOT, "(as users run it: bin/kache hands sync to a kache server it starts, whose cpu is"
                    + " counted; \"server already up\" is the next pull through that server; KACHE_NO_SERVER=1 runs it in a"
                    + " JVM of its own, the full JIT, and \"C1 only\" as the launcher ran sync before)%n");
            System.out.printf(Locale.ROOT, "new server / JVM of its own, C1 only  %5.2fx wall, %5.2fx cpu (same run)%n",
                    median(newServer).wall / median(ownJvmC1).wall, median(newServer).cpu / median(ownJvmC1).cpu);
            System.out.printf(Locale.ROOT, "bin/kache sync, new server / raw throughput %5.2fx (start-up and JIT included,"
                    + " the raw GETs' not); server up %5.2fx%n", raw.wall / median(newServer).wall, raw.wall / median(upServer).wall);
        }
        Run unpack = unpackAll("mixed");
        line("first lookups after it", unpack, bytes, List.of(unpack));
        System.out.printf(Locale.ROOT, "(the pull unpacked and verified every entry as it downloaded: a build's lookups"
                + " read one manifest each)%n");
        if (!memory.isEmpty()) {
            Run mem = median(memory);
            line("sync, store on tmpfs", mem, bytes, memory);
            System.out.printf(Locale.ROOT, "tmpfs sync / raw throughput  %5.2fx  (without the local disk)%n", raw.wall / mem.wall);
        }
        tmpfs.ifPresent(SyncBenchmark::deleteQuietly);
    }

    /**
     * What a team's history costs a fresh pull: the bucket holds the entries one build needs (one
     * small entry per crate of the Cargo.lock) and, for each multiplier k, k - 1 other builds' worth
     * of entries of the same crates (other commits, profiles, flags), each pushed with its build
     * record, as {@code kache sync --push} and the write-back leave them. The measured pull runs in
     * a workspace whose identity (toolchain, target, profile, flags, Cargo.lock, members) is the
     * needed build's, so its record applies and it downloads only that build's entries. Against the
     * raw GETs of only the needed entries: a pull that follows what the build needs stays flat. The
     * same pull outside a workspace (a Cargo.lock alone: no identity, so no record) shows the
     * listing rule, which takes every entry of the project's crates.
     */
    private void history(int[] multipliers) throws Exception {
        System.out.printf(Locale.ROOT, "%n== history: %d entries a build needs (4-64 KiB, one per crate), bucket holding"
                + " k builds' worth, each with its build record, one run each ==%n", CRATES);
        System.out.printf(Locale.ROOT, "%8s %8s %8s %8s %10s %9s %9s %12s %9s %9s %s%n", "history", "objects",
                "records", "pulled", "pulled", "pull s", "cpu s", "needed raw s", "pull/raw", "vs 1x",
                "| listing rule (no record): pulled, pull s, vs 1x");
        generate("warm", 200, false);
        raw("warm");
        sync("warm", dir);
        double first = -1;
        double firstListed = -1;
        for (int k : multipliers) {
            String name = "history" + k;
            generate(name, CRATES * k, false);
            List<ArtifactKey> needed = datasets.get(name).subList(0, CRATES);
            Path workspace = workspace(name);
            int records = records(name, k, workspace);
            Run raw = raw(name, needed, null);
            Run sync = sync(name, dir, workspace);
            if (pulledCount.get(name) != CRATES) {
                throw new IllegalStateException("the pull did not follow the build record: " + pulledCount.get(name)
                        + " entries pulled, " + CRATES + " recorded");
            }
            long pulled = pulledBytes.get(name);
            int pulledEntries = pulledCount.get(name);
            if (first < 0) {
                first = sync.wall;
            }
            Run listed = sync(name, dir, dir.resolve("project-" + name));
            if (firstListed < 0) {
                firstListed = listed.wall;
            }
            System.out.printf(Locale.ROOT, "%7dx %8d %8d %8d %10s %9.2f %9.2f %12.2f %8.2fx %8.2fx | %6d %7.2f %6.2fx%n",
                    k, datasets.get(name).size(), records, pulledEntries, mib(pulled), sync.wall, sync.cpu, raw.wall,
                    sync.wall / raw.wall, sync.wall / first, pulledCount.get(name), listed.wall,
                    listed.wall / firstListed);
        }
        System.out.printf(Locale.ROOT, "(goal: pull time flat in k: the pull reads its build's record, two GETs at most,"
                + " and downloads only its entries; the listing rule, a pull with no record, takes every entry of the"
                + " project's crates and grows with k)%n");
    }

    /**
     * A workspace whose build the history's needed entries are: one member and the dataset's
     * Cargo.lock, so that {@code kache sync --pull} in it has an identity and reads its record.
     */
    private Path workspace(String name) throws IOException {
        Path ws = Files.createDirectories(dir.resolve("workspace-" + name));
        Files.writeString(ws.resolve("Cargo.toml"), "[package]\nname = \"bench-app\"\nversion = \"0.1.0\"\n"
                + "edition = \"2021\"\n\n[workspace]\n");
        Files.createDirectories(ws.resolve("src"));
        Files.writeString(ws.resolve("src/lib.rs"), "");
        Files.copy(dir.resolve("project-" + name).resolve("Cargo.lock"), ws.resolve("Cargo.lock"));
        return ws;
    }

    /**
     * The build records a team's pushes leave: the needed build's (its first {@link #CRATES}
     * entries) under the identity a pull in {@code workspace} computes, and one for each other
     * build of the history (the next {@link #CRATES} entries each), which differ from it as
     * history does: another commit (another Cargo.lock, the same line), another profile, other
     * flags. The needed build is pushed last, as the newest. Returns the records' objects written.
     */
    private int records(String name, int k, Path workspace) throws Exception {
        Map<String, String> env = syncEnv(name, Files.createTempDirectory(dir, "identity-"));
        ProjectCrates.Workspace ws = ProjectCrates.discover(workspace, Optional.empty(), env).workspace().orElseThrow();
        BuildIdentity needed;
        try (LocalStore store = LocalStore.open(Path.of(env.get("KACHE_CACHE_DIR")), 1L << 40)) {
            needed = BuildIdentities.identityHere(ws, store, env, Optional.empty(), "debug");
        }
        ArtifactLayout layout = ArtifactLayout.withDefaultPrefix();
        List<ArtifactKey> keys = datasets.get(name);
        Set<String> objects = new TreeSet<>();
        for (int j = 1; j <= k; j++) {
            int build = j % k; // builds 1 .. k-1 first, the needed build (0) last
            BuildIdentity id = switch (build % 3) {
                case 0 -> build == 0 ? needed : otherCommit(needed, build);
                case 1 -> new BuildIdentity(needed.toolchain(), needed.target(), "release", needed.rustflags(),
                        needed.lock(), needed.members());
                default -> new BuildIdentity(needed.toolchain(), needed.target(), needed.profile(),
                        BuildIdentity.shortDigest(("-C opt-level=" + build).getBytes(StandardCharsets.UTF_8)),
                        needed.lock(), needed.members());
            };
            BuildRecord record = new BuildRecord(System.currentTimeMillis(), "bench-" + build, id,
                    new java.util.HashSet<>(keys.subList(build * CRATES, (build + 1) * CRATES)));
            byte[] bytes = record.encode();
            for (String slot : List.of(id.exactSlot(), id.lineSlot())) {
                server.files().putObject(bucket(name), layout.recordName(slot), bytes);
                objects.add(slot);
            }
        }
        return objects.size();
    }

    private static BuildIdentity otherCommit(BuildIdentity id, int build) {
        return new BuildIdentity(id.toolchain(), id.target(), id.profile(), id.rustflags(),
                BuildIdentity.shortDigest(("lock of commit " + build).getBytes(StandardCharsets.UTF_8)), id.members());
    }

    /**
     * Packs {@code n} entries into a bucket of their own, behind the server's back (S3Proxy's
     * file-system LIST walks the whole bucket, which S3 does not), and writes a Cargo.lock naming
     * their crates: the command pulls exactly those, one LIST per crate.
     */
    private long generate(String name, int n, boolean mixed) throws IOException {
        server.files().createBucket(bucket(name));
        Random random = new Random(n * 31L + name.hashCode());
        ArtifactLayout layout = ArtifactLayout.withDefaultPrefix();
        List<ArtifactKey> keys = new ArrayList<>();
        long total = 0;
        PackWriter writer = new PackWriter(3);
        for (int i = 0; i < n; i++) {
            String crate = String.format(Locale.ROOT, "crate_%03d", i % CRATES);
            // As the wrapper records them: the call key and the input set, which the entry key
            // hashes, so that a pull also writes the call-key index file a build finds the entry by.
            String callKey = Sha256.of((name + i + "-call").getBytes(StandardCharsets.UTF_8));
            InputSet inputs = inputs(new Random(i), crate);
            ArtifactKey key = new ArtifactKey(crate, CacheKeyRecipe.entryKey(callKey, inputs));
            byte[] rlib = content(random, size(random, mixed));
            byte[] dep = ("deps of " + key + "\n").repeat(4).getBytes(StandardCharsets.UTF_8);
            EntryManifest m = new EntryManifest(key, List.of(
                    new EntryFile("lib" + crate + ".rlib", rlib.length, false, Sha256.of(rlib)),
                    new EntryFile(crate + ".d", dep.length, false, Sha256.of(dep))), new byte[0], new byte[0],
                    Map.of(CALL_KEY, callKey, INPUTS, inputs.encode()));
            ByteArrayOutputStream out = new ByteArrayOutputStream(rlib.length / 2 + 1024);
            writer.write(m, f -> new ByteArrayInputStream(f.name().endsWith(".d") ? dep : rlib), out);
            server.files().putObject(bucket(name), layout.objectName(key), out.toByteArray());
            total += out.size();
            keys.add(key);
            callKeys.put(key, callKey);
        }
        datasets.put(name, keys);
        Path project = Files.createDirectories(dir.resolve("project-" + name));
        StringBuilder lock = new StringBuilder("version = 4\n");
        for (int c = 0; c < Math.min(CRATES, n); c++) {
            lock.append(String.format(Locale.ROOT, "%n[[package]]%nname = \"crate-%03d\"%nversion = \"0.1.0\"%n", c));
        }
        Files.writeString(project.resolve("Cargo.lock"), lock);
        return total;
    }

    /** A crate's source files (a dozen, with their hashes) and two environment variables, as rustc reports them. */
    private static InputSet inputs(Random random, String crate) {
        List<InputSet.InputFile> files = new ArrayList<>();
        for (int f = 0; f < 12; f++) {
            byte[] seed = new byte[16];
            random.nextBytes(seed);
            files.add(new InputSet.InputFile("/work/" + crate + "/src/module_" + f + ".rs", Sha256.of(seed)));
        }
        return new InputSet(files, List.of(new InputSet.EnvValue("CARGO_PKG_VERSION", Optional.of("0.1.0")),
                new InputSet.EnvValue("CARGO_PKG_NAME", Optional.of(crate))));
    }

    /** Mixed: 60% 4-64 KiB, 30% 0.5-2 MiB, 10% 4-12 MiB (unpacked); small: 4-64 KiB. */
    private static int size(Random r, boolean mixed) {
        double p = mixed ? r.nextDouble() : 0;
        if (p < 0.6) {
            return 4096 + r.nextInt(60 * 1024);
        }
        if (p < 0.9) {
            return 512 * 1024 + r.nextInt(1536 * 1024);
        }
        return 4 * 1024 * 1024 + r.nextInt(8 * 1024 * 1024);
    }

    /** Sixteen symbols: zstd packs it to about half, as it does real rlibs. */
    private static byte[] content(Random r, int size) {
        byte[] b = new byte[size];
        r.nextBytes(b);
        for (int i = 0; i < size; i++) {
            b[i] = (byte) ('a' + (b[i] & 0x0f));
        }
        return b;
    }

    /** {@code kache sync --pull} in-process, into a fresh store under {@code storeParent}. */
    /** Entries and packed bytes each dataset's last sync pulled. */
    private final Map<String, Integer> pulledCount = new HashMap<>();
    private final Map<String, Long> pulledBytes = new HashMap<>();

    /** Bytes of the store's blobs, what a pull wrote. */
    private static long storeBytes(Path store) throws IOException {
        try (Stream<Path> files = Files.walk(store.resolve("blobs"))) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    /** The local stores of the runs, removed when the benchmark ends. */
    private final List<Path> stores = new ArrayList<>();
    /** The local store the last sync pulled into, and the last one on the disk. */
    private Path lastStore;
    private Path pulledStore;

    private Run sync(String name, Path storeParent) throws Exception {
        return sync(name, storeParent, dir.resolve("project-" + name));
    }

    /** The environment of a pull from {@code name}'s bucket with its home (and store) in {@code home}. */
    private Map<String, String> syncEnv(String name, Path home) {
        Map<String, String> env = new HashMap<>();
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        env.put("HOME", home.toString());
        // The toolchain as the user has it (rustup's proxies find it through these, not the fresh HOME).
        String userHome = System.getProperty("user.home");
        env.put("RUSTUP_HOME", System.getenv().getOrDefault("RUSTUP_HOME", userHome + "/.rustup"));
        env.put("CARGO_HOME", System.getenv().getOrDefault("CARGO_HOME", userHome + "/.cargo"));
        env.put("KACHE_CACHE_DIR", home.resolve("store").toString());
        env.put("KACHE_S3_BUCKET", bucket(name));
        env.put("KACHE_S3_ENDPOINT", server.endpoint().toString());
        env.put("KACHE_S3_ACCESS_KEY", ACCESS);
        env.put("KACHE_S3_SECRET_KEY", SECRET);
        env.put("KACHE_S3_CONCURRENCY", Integer.toString(concurrency));
        return env;
    }

    /** {@code kache sync --pull} in-process in {@code cwd}, into a fresh store under {@code storeParent}. */
    private Run sync(String name, Path storeParent, Path cwd) throws Exception {
        Path home = Files.createTempDirectory(storeParent, "home-");
        Map<String, String> env = syncEnv(name, home);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Run run = measure(() -> KacheCli.run(new Invocation(List.of("sync", "--pull"), env,
                cwd, InputStream.nullInputStream(), new PrintStream(out, true),
                new PrintStream(OutputStream.nullOutputStream()))) == 0);
        java.util.regex.Matcher pulled = java.util.regex.Pattern.compile("pulled: (\\d+) done").matcher(out.toString());
        if (!pulled.find() || Integer.parseInt(pulled.group(1)) == 0 || out.toString().contains(" failed: ")) {
            throw new IllegalStateException("sync did not pull:\n" + out);
        }
        pulledCount.put(name, Integer.parseInt(pulled.group(1)));
        pulledBytes.put(name, storeBytes(home.resolve("store")));
        ArtifactKey first = datasets.get(name).get(0);
        try (LocalStore store = LocalStore.open(home.resolve("store"), 1L << 40)) {
            if (store.callKeyIndex().candidates(callKeys.get(first)).isEmpty()) {
                throw new IllegalStateException("sync did not record the call key of " + first);
            }
        }
        // Deleted at the end, not now: see settle().
        stores.add(home);
        lastStore = home.resolve("store");
        return run;
    }

    /** How a launched pull runs: through a kache server in {@code serverDir}, or in a JVM of its own with {@code javaOpts}. */
    private record Launch(Optional<Path> serverDir, String javaOpts) {
        static Launch server(Path serverDir) {
            return new Launch(Optional.of(serverDir), "");
        }

        static Launch ownJvm(String javaOpts) {
            return new Launch(Optional.empty(), javaOpts);
        }
    }

    /**
     * {@code kache sync --pull} as users run it: {@code launcher} (bin/kache) in the project, into a
     * fresh store under {@code storeParent}: handed to the kache server of the launch's directory
     * (started by the call if none is up; its CPU is the server's), or in a JVM of its own
     * ({@code KACHE_NO_SERVER=1}; its CPU is what this JVM's waited-for children used).
     */
    private Run launched(String name, Path storeParent, Path launcher, Launch launch) throws Exception {
        Path home = Files.createTempDirectory(storeParent, "home-");
        Map<String, String> env = syncEnv(name, home);
        env.put("KACHE_JAVA_OPTS", launch.javaOpts());
        launch.serverDir().ifPresentOrElse(d -> env.put("KACHE_SERVER_DIR", d.toString()),
                () -> env.put("KACHE_NO_SERVER", "1"));
        Optional.ofNullable(System.getenv("JAVA_HOME")).ifPresent(j -> env.put("JAVA_HOME", j));
        Path output = home.resolve("sync.out");
        ProcessBuilder pb = new ProcessBuilder(launcher.toString(), "sync", "--pull")
                .directory(dir.resolve("project-" + name).toFile())
                .redirectErrorStream(true).redirectOutput(output.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        int[] exit = new int[1];
        Run run = measure(() -> {
            exit[0] = pb.start().waitFor();
            return true;
        }, () -> launchCpuNanos(launch));
        String out = Files.readString(output);
        if (exit[0] != 0 || !out.contains(" done") || out.contains(" failed: ")) {
            throw new IllegalStateException("bin/kache sync did not pull (exit " + exit[0] + "):\n" + out);
        }
        stores.add(home);
        return run;
    }

    /** The CPU time so far of what runs a launched pull: the kache server of its directory, or this JVM's children. */
    private static long launchCpuNanos(Launch launch) throws IOException {
        if (launch.serverDir().isEmpty()) {
            return childrenCpuNanos();
        }
        return kacheServer(launch.serverDir().get())
                .flatMap(p -> p.info().totalCpuDuration()).map(java.time.Duration::toNanos).orElse(0L);
    }

    private static Optional<ProcessHandle> kacheServer(Path serverDir) {
        String marker = "__server " + serverDir + "/";
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().arguments().map(a -> String.join(" ", a).contains(marker)).orElse(false))
                .findFirst();
    }

    /** Ends the kache server of {@code serverDir}, so that its JIT's work does not land on the next run. */
    private static void stopServer(Path serverDir) throws Exception {
        Optional<ProcessHandle> p = kacheServer(serverDir);
        if (p.isPresent()) {
            p.get().destroy();
            p.get().onExit().get(30, TimeUnit.SECONDS);
        }
    }

    /** CPU time of this JVM's children that ended and were waited for ({@code cutime + cstime} of /proc/self/stat). */
    private static long childrenCpuNanos() throws IOException {
        String stat = Files.readString(Path.of("/proc/self/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // Fields 16 and 17 of stat(5), counted from the state (field 3) here; in clock ticks of 10 ms.
        return (Long.parseLong(fields[13]) + Long.parseLong(fields[14])) * 10_000_000L;
    }

    /** Looks up every entry of the dataset in a store sync pulled into: the unpacking a pull defers to first use. */
    private Run unpackAll(String name) throws Exception {
        try (LocalStore store = LocalStore.open(pulledStore, Long.MAX_VALUE)) {
            return measure(() -> {
                for (ArtifactKey k : datasets.get(name)) {
                    if (store.lookup(k).isEmpty()) {
                        return false;
                    }
                }
                return true;
            });
        }
    }

    /** GETs every object of the dataset, {@code concurrency} at once, bytes read and dropped. */
    private Run raw(String name) throws Exception {
        return raw(name, null);
    }

    /**
     * GETs every object of the dataset, {@code concurrency} at once, each saved to a file of its
     * own under a fresh directory in {@code saveUnder} (or dropped when null): the least any
     * download that keeps the bytes does.
     */
    /** The settings kache's AWS backend uses for S3-compatible servers (see AwsClientFactory). */
    private S3Client s3Client() {
        return S3Client.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .region(Region.of(S3TestServer.REGION))
                .endpointOverride(server.endpoint())
                .forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS, SECRET)))
                .build();
    }

    /**
     * One LIST per crate of the dataset, {@code concurrency} at once, as sync's plan does and the
     * raw GETs do not: what knowing what to fetch costs against this server.
     */
    private Run lists(String name) throws Exception {
        ArtifactLayout layout = ArtifactLayout.withDefaultPrefix();
        Set<String> crates = new TreeSet<>();
        datasets.get(name).forEach(k -> crates.add(k.crateName()));
        try (S3Client s3 = s3Client()) {
            ExecutorService pool = Executors.newFixedThreadPool(concurrency);
            try {
                return measure(() -> {
                    List<Future<Integer>> listings = new ArrayList<>();
                    for (String crate : crates) {
                        listings.add(pool.submit(() -> {
                            int n = 0;
                            for (var page : s3.listObjectsV2Paginator(b -> b.bucket(bucket(name))
                                    .prefix(layout.cratePrefix(crate)))) {
                                n += page.keyCount();
                            }
                            return n;
                        }));
                    }
                    int listed = 0;
                    for (Future<Integer> f : listings) {
                        listed += f.get();
                    }
                    return listed == datasets.get(name).size();
                });
            } finally {
                pool.shutdownNow();
            }
        }
    }

    private Run raw(String name, Path saveUnder) throws Exception {
        return raw(name, datasets.get(name), saveUnder);
    }

    private Run raw(String name, List<ArtifactKey> keys, Path saveUnder) throws Exception {
        ArtifactLayout layout = ArtifactLayout.withDefaultPrefix();
        try (S3Client s3 = s3Client()) {
            ExecutorService pool = Executors.newFixedThreadPool(concurrency);
            try {
                Path target = saveUnder == null ? null : Files.createTempDirectory(saveUnder, "raw-");
                Run run = measure(() -> {
                    List<Future<Long>> gets = new ArrayList<>();
                    for (ArtifactKey k : keys) {
                        gets.add(pool.submit(() -> {
                            String object = layout.objectName(k);
                            if (target == null) {
                                try (InputStream in = s3.getObject(b -> b.bucket(bucket(name)).key(object))) {
                                    return in.transferTo(OutputStream.nullOutputStream());
                                }
                            }
                            return save(s3, bucket(name), object, target);
                        }));
                    }
                    for (Future<Long> f : gets) {
                        f.get();
                    }
                    return true;
                });
                if (target != null) {
                    stores.add(target);
                }
                return run;
            } finally {
                pool.shutdownNow();
            }
        }
    }

    /**
     * The least a pull does with the same SDK and concurrency: one LIST per crate, and the GET of
     * each object listed, saved to a file, started as soon as its crate's listing returned, as
     * sync overlaps them. No checks, no store, no call-key index: the floor of sync's time on this
     * machine and server.
     */
    private Run rawPull(String name, Path saveUnder) throws Exception {
        ArtifactLayout layout = ArtifactLayout.withDefaultPrefix();
        Set<String> crates = new TreeSet<>();
        datasets.get(name).forEach(k -> crates.add(k.crateName()));
        try (S3Client s3 = s3Client()) {
            ExecutorService listing = Executors.newFixedThreadPool(concurrency);
            ExecutorService getting = Executors.newFixedThreadPool(concurrency);
            try {
                Path target = Files.createTempDirectory(saveUnder, "raw-pull-");
                Run run = measure(() -> {
                    List<Future<List<Future<Long>>>> listings = new ArrayList<>();
                    for (String crate : crates) {
                        listings.add(listing.submit(() -> {
                            List<Future<Long>> gets = new ArrayList<>();
                            for (var page : s3.listObjectsV2Paginator(b -> b.bucket(bucket(name))
                                    .prefix(layout.cratePrefix(crate)))) {
                                for (S3Object object : page.contents()) {
                                    gets.add(getting.submit(() -> save(s3, bucket(name), object.key(), target)));
                                }
                            }
                            return gets;
                        }));
                    }
                    int pulled = 0;
                    for (Future<List<Future<Long>>> crate : listings) {
                        for (Future<Long> get : crate.get()) {
                            get.get();
                            pulled++;
                        }
                    }
                    return pulled == datasets.get(name).size();
                });
                stores.add(target);
                return run;
            } finally {
                listing.shutdownNow();
                getting.shutdownNow();
            }
        }
    }

    /** GETs {@code object} into a file of its own under {@code dir}, in the 256 KiB pieces kache writes packs in. */
    /**
     * The raw GETs of the dataset with the least that unpacking and verifying them takes: each body
     * decompressed, SHA-256 hashed and written to a file as it streams (no tar, no store, no checks).
     * What no pull that keeps verified files can go below, in time and CPU.
     */
    private Run rawUnpacked(String name, Path saveUnder) throws Exception {
        ArtifactLayout layout = ArtifactLayout.withDefaultPrefix();
        try (S3Client s3 = s3Client()) {
            ExecutorService pool = Executors.newFixedThreadPool(concurrency);
            try {
                Path target = Files.createTempDirectory(saveUnder, "raw-unpacked-");
                Run run = measure(() -> {
                    List<Future<Long>> gets = new ArrayList<>();
                    for (ArtifactKey k : datasets.get(name)) {
                        gets.add(pool.submit(() -> {
                            String object = layout.objectName(k);
                            MessageDigest digest = Sha256.newDigest();
                            try (InputStream in = new DigestInputStream(new ZstdInputStreamNoFinalizer(
                                    s3.getObject(b -> b.bucket(bucket(name)).key(object))), digest);
                                 OutputStream out = Files.newOutputStream(target.resolve(object.replace('/', '-')))) {
                                return in.transferTo(out) + digest.digest().length;
                            }
                        }));
                    }
                    for (Future<Long> f : gets) {
                        f.get();
                    }
                    return true;
                });
                stores.add(target);
                return run;
            } finally {
                pool.shutdownNow();
            }
        }
    }

    private static long save(S3Client s3, String bucket, String object, Path dir) throws IOException {
        try (InputStream in = s3.getObject(b -> b.bucket(bucket).key(object));
             OutputStream out = new BufferedOutputStream(Files.newOutputStream(dir.resolve(object.replace('/', '-'))),
                     256 * 1024)) {
            return in.transferTo(out);
        }
    }

    private Run measure(Callable<Boolean> work) throws Exception {
        return measure(work, OS::getProcessCpuTime);
    }

    /** The CPU time, in nanoseconds, of whatever does a measured run's work. */
    @FunctionalInterface
    private interface CpuClock {
        long nanos() throws IOException;
    }

    /** {@link #measure(Callable)} with the work's CPU read from {@code clock}. */
    private Run measure(Callable<Boolean> work, CpuClock clock) throws Exception {
        settle();
        long cpu = clock.nanos();
        long serverCpu = server.cpuNanos();
        long opened = connectionsOpened();
        long begin = System.nanoTime();
        if (!work.call()) {
            throw new IllegalStateException("a measured run failed");
        }
        double wall = (System.nanoTime() - begin) / 1e9;
        long openedAfter = connectionsOpened();
        return new Run(wall, (clock.nanos() - cpu) / 1e9, (server.cpuNanos() - serverCpu) / 1e9,
                opened < 0 || openedAfter < 0 ? -1 : openedAfter - opened);
    }

    /** TCP connections this machine opened since it started (ActiveOpens in /proc/net/snmp), or -1. */
    private static long connectionsOpened() {
        try {
            List<String> tcp = Files.readAllLines(Path.of("/proc/net/snmp")).stream()
                    .filter(l -> l.startsWith("Tcp:")).toList();
            List<String> names = List.of(tcp.get(0).split(" "));
            return Long.parseLong(tcp.get(1).split(" ")[names.indexOf("ActiveOpens")]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * Gives every measured run the same start: earlier runs' dirty pages written out, the clean
     * page cache dropped where that is allowed (as root), the heap collected. Without it each run
     * paid for the previous ones' writeback, and on a VM a growing page cache makes every further
     * written page dearer: it penalised whichever variant ran later and wrote more. Earlier runs'
     * files stay until the end: ext4 skips inodes freed in the last minute when it allocates, so
     * deleting thousands of files between runs made every later file and directory creation
     * dearer, the more so the more runs went before, and sync creates the most.
     */
    private static void settle() throws Exception {
        new ProcessBuilder("sync").inheritIO().start().waitFor();
        Path dropCaches = Path.of("/proc/sys/vm/drop_caches");
        if (Files.isWritable(dropCaches)) {
            try {
                Files.writeString(dropCaches, "1");
            } catch (IOException e) {
                // Not allowed in this container: clean pages cost less than dirty ones anyway.
            }
        }
        System.gc();
    }

    private static void line(String label, Run run, long bytes, List<Run> all) {
        System.out.printf(Locale.ROOT, "%-22s %6.2f s %8.1f MiB/s  cpu %5.2f s + server %5.2f s  %3d conns  (runs: %s)%n",
                label, run.wall, bytes / run.wall / (1 << 20), run.cpu, run.serverCpu, run.connections,
                String.join(", ", all.stream()
                        .map(r -> String.format(Locale.ROOT, "%.2f", r.wall)).toList()));
    }

    private static Optional<Path> tmpfs() {
        try {
            Path shm = Path.of("/dev/shm");
            return Files.isWritable(shm) ? Optional.of(Files.createTempDirectory(shm, "kache-sync-bench")) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static String bucket(String dataset) {
        return "bench-" + dataset;
    }

    private static Run median(List<Run> runs) {
        return runs.stream().sorted(Comparator.comparingDouble(Run::wall)).toList().get(runs.size() / 2);
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1 << 20));
    }

    private static void deleteQuietly(Path root) {
        try {
            deleteTree(root);
        } catch (IOException e) {
            System.err.println("could not delete " + root + ": " + e.getMessage());
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /**
     * {@link BenchS3Server} in a child JVM with the JIT's defaults, as a server runs; the
     * benchmark's objects are written into its directory behind its back, through {@link #files()}.
     */
    private static final class ServerProcess implements AutoCloseable {
        private final Process process;
        private final URI endpoint;
        private final S3ServerFiles files;

        private ServerProcess(Process process, URI endpoint, S3ServerFiles files) {
            this.process = process;
            this.endpoint = endpoint;
            this.files = files;
        }

        static ServerProcess start(Path directory) throws IOException {
            Files.createDirectories(directory);
            String java = ProcessHandle.current().info().command().orElse("java");
            // Its own flags, not this JVM's: bench/sync.sh gives this one the command's.
            // bench/sync.sh names the network namespace the server runs in, its address there, and
            // the latency it adds to every request; without them, loopback.
            List<String> command = new ArrayList<>();
            String netns = System.getProperty("bench.netns", "");
            if (!netns.isEmpty()) {
                command.addAll(List.of("ip", "netns", "exec", netns));
            }
            command.addAll(List.of(java, "-Xmx2g", "-XX:+UseParallelGC",
                    "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", System.getProperty("java.class.path"),
                    BenchS3Server.class.getName(), directory.toString(), ACCESS, SECRET,
                    System.getProperty("bench.host", "127.0.0.1"), System.getProperty("bench.latencyMs", "0")));
            Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            try {
                String line = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8)).readLine();
                if (line == null || !line.startsWith("http://")) {
                    throw new IOException("the S3 server process did not print its endpoint, but: " + line);
                }
                return new ServerProcess(process, URI.create(line.trim()), S3ServerFiles.in(directory));
            } catch (IOException | RuntimeException e) {
                process.destroyForcibly();
                throw e;
            }
        }

        URI endpoint() {
            return endpoint;
        }

        S3ServerFiles files() {
            return files;
        }

        long cpuNanos() {
            return process.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
        }

        @Override
        public void close() throws Exception {
            try {
                files.close();
                process.getOutputStream().close();
                process.waitFor(30, TimeUnit.SECONDS);
            } finally {
                // A no-op once it has ended; otherwise it must not outlive the benchmark.
                process.destroyForcibly();
            }
        }
    }
}
