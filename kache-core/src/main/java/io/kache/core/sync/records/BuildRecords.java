package io.kache.core.sync.records;

import io.kache.api.ArtifactKey;
import io.kache.api.ArtifactStore;
import io.kache.api.CorruptedEntryException;
import io.kache.api.StoreException;
import io.kache.core.journal.BuildDigests;
import io.kache.core.journal.BuildEvent;
import io.kache.core.journal.WorkspaceSide;
import io.kache.core.rustc.Executables;
import io.kache.core.rustc.ToolchainIdentity;
import io.kache.core.store.BuildJournal;
import io.kache.core.store.LocalStore;
import io.kache.core.sync.cargo.CargoConfigFlags;
import io.kache.core.sync.cargo.CargoMetadata;
import io.kache.core.sync.cargo.FeatureRequest;
import io.kache.core.sync.cargo.ProjectCrates;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The remote's memory of builds: {@code kache sync --push} writes, from the local build journal,
 * which entries the newest build of this workspace used; {@code kache sync --pull} reads the record
 * of its own identity (two GETs at most: the exact slot, then the workspace's line) and downloads
 * only those entries. A missing, foreign, stale or hostile record costs at most what it would have
 * saved: the pull falls back to the listing rule, or a build misses.
 */
public final class BuildRecords {

    private BuildRecords() {
    }

    /** What a pull chose: the record used, if any, and one line per record read, for the user. */
    public record Choice(Optional<BuildRecord> record, Optional<String> slot, List<String> notes) {
        public Choice {
            notes = List.copyOf(notes);
        }
    }

    /**
     * The identity a build of {@code ws} would have here: the toolchain {@code rustc -vV} (or
     * {@code $RUSTC}) answers in the workspace, {@code target} (else {@code CARGO_BUILD_TARGET}, else
     * the host), the profile's directory, {@code RUSTFLAGS} (else the rustflags of cargo's
     * configuration), the lock file, the members and the features {@code features} gives them.
     */
    public static BuildIdentity identityHere(ProjectCrates.Workspace ws, LocalStore local, Map<String, String> env,
                                             Optional<String> target, String profileDir, FeatureRequest features)
            throws IOException {
        return identityHere(ws, local, env, target, profileDir, features, BuildIdentity.BUILD);
    }

    /**
     * {@link #identityHere} of a build of {@code kind} ({@link BuildIdentity#BUILD}, {@link BuildIdentity#CHECK}
     * or {@link BuildIdentity#CLIPPY}).
     */
    public static BuildIdentity identityHere(ProjectCrates.Workspace ws, LocalStore local, Map<String, String> env,
                                             Optional<String> target, String profileDir, FeatureRequest features,
                                             String kind) throws IOException {
        String rustc = env.getOrDefault("RUSTC", "rustc");
        Path binary = Executables.find(rustc, env, ws.root())
                .orElseThrow(() -> new IOException("no " + rustc + " on PATH to tell the toolchain"));
        String banner = new ToolchainIdentity(local.toolchainMemo()).banner(binary, env, ws.root());
        String triple = target.or(() -> Optional.ofNullable(env.get("CARGO_BUILD_TARGET")).filter(s -> !s.isBlank()))
                .orElse("host");
        return new BuildIdentity(BuildDigests.toolchain(banner), triple, profileDir,
                rustflags(BuildDigests.rustflags(env), ws, env), lockDigest(ws), membersDigest(ws),
                BuildFeatures.requested(ws, features), kind);
    }

    /** {@link #identityHere} for a build with every member's default features. */
    public static BuildIdentity identityHere(ProjectCrates.Workspace ws, LocalStore local, Map<String, String> env,
                                             Optional<String> target, String profileDir) throws IOException {
        return identityHere(ws, local, env, target, profileDir, FeatureRequest.DEFAULT);
    }

    /**
     * The identity of the build a wrapper call belongs to, from what the call tells of it (toolchain,
     * target, profile and flags, as the journal notes them), its workspace, cargo's configuration and
     * the feature options of the build's cargo command (read from {@code /proc} while it runs; the
     * defaults when it cannot be read): the same identity {@link #fromJournal} gives the record of
     * that build. The kache server reads the record of a build that misses with it, to prefetch the
     * build's entries.
     *
     * @param env the call's environment
     * @param build the build's id ({@link io.kache.core.journal.BuildId}): cargo's process
     */
    public static BuildIdentity identityOf(WorkspaceSide side, ProjectCrates.Workspace ws, Map<String, String> env,
                                           String build) throws IOException {
        return identityOf(side, ws, env, build, Set.of());
    }

    /**
     * {@link #identityOf(WorkspaceSide, ProjectCrates.Workspace, Map, String)} of a call that emits
     * {@code emitKinds}: the build's kind is its cargo command's ({@code check}, {@code doc}:
     * {@link BuildIdentity#CHECK}; {@code clippy}: {@link BuildIdentity#CLIPPY}; others
     * {@link BuildIdentity#BUILD}), else, when the
     * command line cannot be read ({@code KACHE_BUILD_ID}), the call's: metadata only is a check.
     */
    public static BuildIdentity identityOf(WorkspaceSide side, ProjectCrates.Workspace ws, Map<String, String> env,
                                           String build, Set<String> emitKinds) throws IOException {
        Optional<List<String>> command = io.kache.core.journal.BuildId.commandLine(build);
        FeatureRequest features = command.map(FeatureRequest::fromCargoArgs).orElse(FeatureRequest.DEFAULT);
        String kind = command.flatMap(BuildKinds::ofCommand).orElse(
                emitKinds.contains("metadata") && !emitKinds.contains("link") ? BuildIdentity.CHECK : BuildIdentity.BUILD);
        return new BuildIdentity(side.toolchain(), side.triple(), side.profile(), rustflags(side.flags(), ws, env),
                lockDigest(ws), membersDigest(ws), BuildFeatures.requested(ws, features), kind);
    }

    /**
     * The flags part of an identity: {@code RUSTFLAGS}/{@code CARGO_ENCODED_RUSTFLAGS} when set (cargo
     * then ignores its configuration's), else the rustflags cargo's configuration sets for {@code ws}.
     */
    static String rustflags(String envFlags, ProjectCrates.Workspace ws, Map<String, String> env) {
        return envFlags.equals("none") ? CargoConfigFlags.digest(ws.root(), env) : envFlags;
    }

    /**
     * The workspace whose build writes to {@code targetDir}: its parent, confirmed by {@code cargo
     * metadata --no-deps} (run with {@code env}). Empty when the target directory lies elsewhere
     * ({@code CARGO_TARGET_DIR}) or no workspace claims it.
     */
    public static Optional<ProjectCrates.Workspace> workspaceOf(Path targetDir, Map<String, String> env)
            throws IOException {
        Path root = targetDir.getParent();
        if (root == null) {
            return Optional.empty();
        }
        return workspaceAt(root, env).filter(ws -> ws.targetDirectory().normalize().equals(targetDir.normalize()));
    }

    /**
     * The workspace {@code cargo metadata --no-deps} (run with {@code env}) finds from {@code dir},
     * whatever its target directory; empty when {@code dir} has no {@code Cargo.toml}.
     */
    public static Optional<ProjectCrates.Workspace> workspaceAt(Path dir, Map<String, String> env) throws IOException {
        if (!Files.isRegularFile(dir.resolve("Cargo.toml"))) {
            return Optional.empty();
        }
        CargoMetadata metadata = CargoMetadata.read(dir, Optional.empty(), env, true);
        return Optional.of(ProjectCrates.Workspace.of(metadata));
    }

    /** The directory cargo names a profile's output after: {@code dev}/{@code test} → debug, {@code bench} → release. */
    public static String profileDir(String profile) {
        return switch (profile) {
            case "dev", "test" -> "debug";
            case "bench" -> "release";
            default -> profile;
        };
    }

    /**
     * Reads the record for {@code id}: the exact slot, else the workspace's line. A record that
     * cannot be read, is refused by {@link BuildRecord#decode} or was written for another identity
     * is ignored, and said so once. A remote that does not answer within {@code deadline} (the
     * build's {@code remote_deadline}) is not waited for: the pull lists instead.
     */
    public static Choice choose(ArtifactStore remote, BuildIdentity id, Duration deadline) {
        List<String> notes = new ArrayList<>();
        // A check or a clippy reads its own slots, then those of builds, where only a record of unknown kind (written
        // before kinds counted) serves it; a build's own slots are those, so it reads two slots at most.
        List<String> slots = new ArrayList<>(List.of(id.exactSlot(), id.lineSlot()));
        BuildIdentity legacy = id.withKind(BuildIdentity.UNKNOWN);
        if (!id.exactSlot().equals(legacy.exactSlot())) {
            slots.addAll(List.of(legacy.exactSlot(), legacy.lineSlot()));
        }
        for (String slot : slots) {
            boolean exact = slot.equals(id.exactSlot()) || slot.equals(legacy.exactSlot());
            boolean own = slot.equals(id.exactSlot()) || slot.equals(id.lineSlot());
            Optional<byte[]> bytes;
            try {
                bytes = readWithin(remote, slot, deadline);
            } catch (java.util.concurrent.TimeoutException e) {
                notes.add("build record " + slot + " not read: the remote did not answer within " + deadline
                        + "; listing instead");
                break;
            } catch (CorruptedEntryException e) {
                notes.add("build record " + slot + " ignored: " + e.getMessage());
                continue;
            } catch (StoreException e) {
                notes.add("build record " + slot + " could not be read (" + e.getMessage() + "); listing instead");
                break;
            }
            if (bytes.isEmpty()) {
                continue;
            }
            try {
                BuildRecord r = BuildRecord.decode(bytes.get());
                boolean fits = exact ? id.sameExact(r.identity()) : id.sameLine(r.identity());
                if (!own && !r.identity().kind().equals(BuildIdentity.UNKNOWN)) {
                    continue; // a build's record, in its own slot: not a check's
                }
                if (!fits) {
                    notes.add("build record " + slot + " ignored: it was written for another build identity");
                    continue;
                }
                if (r.entries().isEmpty()) {
                    // Chooses nothing: as if there were none (an older kache wrote one after a push that failed).
                    notes.add("build record " + slot + " ignored: it names no entries");
                    continue;
                }
                notes.add("build record used: " + slot + (exact ? "" : " (this workspace's newest build, another Cargo.lock)")
                        + (own ? "" : " (written before kinds of build counted)")
                        + ", " + r.entries().size() + " entries, written " + java.time.Instant.ofEpochMilli(r.created()));
                return new Choice(Optional.of(r), Optional.of(slot), notes);
            } catch (BuildRecord.InvalidRecordException e) {
                notes.add("build record " + slot + " ignored: " + e.getMessage());
            }
        }
        if (notes.isEmpty()) {
            notes.add("no build record for this workspace, toolchain, target, profile, rustflags, features and kind:"
                    + " listing the crates of Cargo.lock");
        }
        return new Choice(Optional.empty(), Optional.empty(), notes);
    }

    /**
     * The records of the newest build of {@code ws} in the local journal (the last
     * {@link BuildJournal#KEEP_DAYS} days): every entry it hit or stored, with the identity its calls
     * saw, one record per profile and kind of build among its calls (a {@code KACHE_BUILD_ID} may span
     * {@code cargo build}, {@code cargo build --release} and {@code cargo check}), builds first. Empty
     * when the journal has no build of this workspace. The kind of a call is told from its entry in
     * {@code local} ({@link BuildKinds#of}).
     */
    public static List<BuildRecord> fromJournal(LocalStore local, ProjectCrates.Workspace ws,
                                                Map<String, String> env) throws IOException {
        List<BuildEvent> events = local.journal().read(System.currentTimeMillis()
                - Duration.ofDays(BuildJournal.KEEP_DAYS).toMillis());
        Set<String> dirs = new LinkedHashSet<>();
        dirs.add(ws.targetDirectory().toString());
        try {
            dirs.add(ws.targetDirectory().toRealPath().toString());
        } catch (IOException e) {
            // No target directory yet: no build either.
        }
        List<BuildEvent> mine = events.stream().filter(e -> dirs.contains(e.workspace().targetDir())).toList();
        if (mine.isEmpty()) {
            return List.of();
        }
        String build = mine.get(mine.size() - 1).build();
        List<BuildEvent> ofBuild = mine.stream().filter(e -> e.build().equals(build)).toList();
        List<BuildEvent> used = new ArrayList<>();
        for (BuildEvent e : ofBuild) {
            if ((e.outcome() == BuildEvent.Outcome.HIT || e.outcome() == BuildEvent.Outcome.STORED)
                    && e.entryKey().isPresent() && ArtifactKey.isValidCrateName(e.crate())
                    && ArtifactKey.isValidCacheKey(e.key())) {
                used.add(e);
            }
        }
        Set<String> memberPackages = Set.copyOf(ws.memberPackages().stream()
                .map(io.kache.core.sync.cargo.CargoPackage::name).toList());
        Map<String, List<BuildEvent>> byProfile = new java.util.LinkedHashMap<>();
        used.forEach(e -> byProfile.computeIfAbsent(e.workspace().profile(), p -> new ArrayList<>()).add(e));
        List<BuildRecord> records = new ArrayList<>();
        for (String kind : List.of(BuildIdentity.BUILD, BuildIdentity.CHECK, BuildIdentity.CLIPPY)) {
            for (List<BuildEvent> profile : byProfile.values()) {
                List<BuildEvent> group = BuildKinds.of(profile, k -> facts(local, k), memberPackages)
                        .getOrDefault(kind, List.of());
                if (group.isEmpty()) {
                    continue;
                }
                // In the journal's order, the order the build's calls ended: a prefetch fetches them so,
                // ahead of cargo asking for them in about that order.
                Set<ArtifactKey> keys = new LinkedHashSet<>();
                group.forEach(e -> keys.add(new ArtifactKey(e.crate(), e.key())));
                String triple = group.stream().map(e -> e.workspace().triple()).filter(t -> !t.equals("host"))
                        .findFirst().orElse("host");
                BuildIdentity id = new BuildIdentity(mostCommon(group, e -> e.workspace().toolchain()), triple,
                        group.get(0).workspace().profile(),
                        rustflags(mostCommon(group, e -> e.workspace().flags()), ws, env), lockDigest(ws),
                        membersDigest(ws), BuildFeatures.observed(ws, group), kind);
                records.add(new BuildRecord(System.currentTimeMillis(), build, id, keys));
            }
        }
        return records;
    }

    /**
     * {@code record} (a build's, from {@link #fromJournal}) carried on from the previous record of its
     * identity in {@code remote} (its exact slot, else its line's: one GET, two at most): this build's
     * entries plus the previous record's that this build did not replace ({@link RecordMerge}), so a
     * build that recompiled one member still names every unchanged crate. What an entry is (its unit)
     * is read from {@code local}. Without a previous record, or when it cannot be read, {@code record}
     * itself. Never throws.
     *
     * @param ws the workspace: a clippy's first record carries on the check's entries of non-members only
     * @param notes told one line when a previous record was carried on
     */
    public static BuildRecord withPrevious(ArtifactStore remote, BuildRecord record, LocalStore local,
                                           ProjectCrates.Workspace ws, java.util.function.Consumer<String> notes) {
        Optional<BuildRecord> previous = previous(remote, record.identity());
        if (previous.isEmpty() && record.identity().kind().equals(BuildIdentity.CLIPPY)) {
            // A clippy's first record after a check in the same target directory: cargo found the
            // non-members the check compiled fresh (only members run through clippy-driver), so the clippy
            // never journaled them. The check's record names them; its members' entries a clippy never uses.
            previous = previous(remote, record.identity().withKind(BuildIdentity.CHECK)).map(r -> {
                Set<ArtifactKey> others = new LinkedHashSet<>();
                r.entries().stream().filter(k -> !memberEntry(k, ws, local)).forEach(others::add);
                return new BuildRecord(r.created(), r.build(), r.identity(), others);
            }).filter(r -> !r.entries().isEmpty());
        }
        if (previous.isEmpty() && record.identity().kind().equals(BuildIdentity.CHECK)) {
            // A check's first record after builds in the same target directory: cargo found the build
            // scripts and proc macros the builds compiled fresh (a check compiles them as a build does),
            // so the check never journaled them. The build's record names them.
            previous = previous(remote, record.identity().withKind(BuildIdentity.BUILD)).map(r -> {
                Set<ArtifactKey> tools = new LinkedHashSet<>();
                r.entries().stream().filter(k -> facts(local, k).map(RecordMerge.Facts::hostTool).orElse(false))
                        .forEach(tools::add);
                return new BuildRecord(r.created(), r.build(), r.identity(), tools);
            }).filter(r -> !r.entries().isEmpty());
        }
        if (previous.isEmpty()) {
            return record;
        }
        // A build's previous record may be of unknown kind (written before kinds counted, perhaps by a
        // check): its entries the store knows to be metadata only are of no use to a build.
        boolean build = record.identity().kind().equals(BuildIdentity.BUILD);
        LinkedHashSet<ArtifactKey> merged = RecordMerge.merge(List.copyOf(record.entries()),
                previous.get().entries(), k -> facts(local, k), f -> build && f.metadataOnly());
        int carried = (int) merged.stream().filter(k -> !record.entries().contains(k)).count();
        notes.accept("carried on " + carried + " of the previous record's " + previous.get().entries().size()
                + " entries (of build " + previous.get().build() + "), which this build did not replace");
        return new BuildRecord(record.created(), record.build(), record.identity(), merged);
    }

    /** The record now in {@code id}'s exact slot, else its line's, if it is one of this identity (or line). */
    private static Optional<BuildRecord> previous(ArtifactStore remote, BuildIdentity id) {
        for (String slot : List.of(id.exactSlot(), id.lineSlot())) {
            try {
                Optional<byte[]> bytes = remote.readRecord(slot, BuildRecord.MAX_BYTES);
                if (bytes.isEmpty()) {
                    continue;
                }
                BuildRecord r = BuildRecord.decode(bytes.get());
                boolean fits = slot.equals(id.exactSlot()) ? id.sameExact(r.identity()) : id.sameLine(r.identity());
                if (fits && !r.entries().isEmpty()) {
                    return Optional.of(r);
                }
            } catch (StoreException | BuildRecord.InvalidRecordException | RuntimeException e) {
                // Unreadable: this build's record stands alone, as before records carried on.
            }
        }
        return Optional.empty();
    }

    /**
     * Whether {@code key} is a member's entry: of a member's crate, or a member's build script (every
     * package's is {@code build_script_build}: its package tells, where the store has it; else not a
     * member's, at worst a download).
     */
    private static boolean memberEntry(ArtifactKey key, ProjectCrates.Workspace ws, LocalStore local) {
        if (!key.crateName().equals(ProjectCrates.BUILD_SCRIPT)) {
            return ws.members().contains(key.crateName());
        }
        try {
            Optional<String> pkg = local.lookup(key)
                    .map(m -> m.attributes().get(io.kache.core.store.EntryInfo.PACKAGE_ATTRIBUTE));
            return pkg.isPresent() && ws.memberPackages().stream().anyMatch(p -> p.name().equals(pkg.get()));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** What the local store tells of an entry, or empty when it does not have it. */
    static Optional<RecordMerge.Facts> facts(LocalStore local, ArtifactKey key) {
        try {
            return local.lookup(key).flatMap(RecordMerge.Facts::of);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * Writes {@code record} to its exact slot and its workspace's line. A record naming no entries is
     * never written: it would choose nothing, and replace a record that chooses something.
     *
     * @return the slots written; none for a record without entries
     * @throws StoreException the remote's refusal or failure (the line slot is then not written)
     */
    public static List<String> write(ArtifactStore remote, BuildRecord record) throws StoreException {
        if (record.entries().isEmpty()) {
            return List.of();
        }
        byte[] bytes = record.encode();
        remote.writeRecord(record.identity().exactSlot(), bytes);
        remote.writeRecord(record.identity().lineSlot(), bytes);
        return List.of(record.identity().exactSlot(), record.identity().lineSlot());
    }

    /**
     * What became of a pushed build's record.
     *
     * @param slots the slots written; none when it was not written
     * @param note one line for the user: written where with how many entries, or why not
     * @param failed whether the remote failed to take it: the push is then incomplete
     */
    public record Pushed(List<String> slots, String note, boolean failed) {
        public Pushed {
            slots = List.copyOf(slots);
        }
    }

    /**
     * Writes the record of a build whose entries {@code result}'s push sent, naming only entries the
     * remote is known to have: those pushed now, those the push's listing found there, and of the others
     * (not in the local store, or of a crate the listing did not cover) those a HEAD finds there,
     * {@code concurrency} at a time. An entry
     * whose push failed or was skipped is left out. A record left with no entry is not written: it would
     * choose nothing, and replace a record that chooses something. Never throws.
     */
    public static Pushed afterPush(ArtifactStore remote, BuildRecord record, io.kache.core.sync.SyncResult result,
                                   int concurrency) {
        if (result.refusal(io.kache.core.sync.Direction.PUSH).isPresent()) {
            return new Pushed(List.of(), "not written: the remote refused the push", false);
        }
        Set<ArtifactKey> pushed = new java.util.HashSet<>();
        Set<ArtifactKey> notThere = new java.util.HashSet<>();
        for (io.kache.core.sync.TransferOutcome o : result.outcomes()) {
            if (o.transfer().direction() == io.kache.core.sync.Direction.PUSH) {
                (o.status() == io.kache.core.sync.TransferOutcome.Status.DONE ? pushed : notThere)
                        .add(o.transfer().key());
            }
        }
        Set<ArtifactKey> candidates = new LinkedHashSet<>(record.entries());
        candidates.removeAll(notThere);
        Set<ArtifactKey> known = new java.util.HashSet<>(pushed);
        known.addAll(result.listedInRemote());
        Set<ArtifactKey> kept = RemotePresence.filter(remote, candidates, known, concurrency);
        if (kept.isEmpty()) {
            return new Pushed(List.of(), "not written: none of the build's " + record.entries().size()
                    + " entries is known to be in the remote", false);
        }
        try {
            List<String> slots = write(remote, new BuildRecord(record.created(), record.build(), record.identity(), kept));
            return new Pushed(slots, "written " + String.join(" and ", slots) + ": " + kept.size() + " entries", false);
        } catch (StoreException | RuntimeException e) {
            return new Pushed(List.of(), "not written: " + e.getMessage(), true);
        }
    }

    private static Optional<byte[]> readWithin(ArtifactStore remote, String slot, Duration deadline)
            throws StoreException, java.util.concurrent.TimeoutException {
        java.util.concurrent.FutureTask<Optional<byte[]>> read = new java.util.concurrent.FutureTask<>(
                () -> remote.readRecord(slot, BuildRecord.MAX_BYTES));
        Thread t = new Thread(read, "kache-record-read");
        t.setDaemon(true);
        t.start();
        try {
            return read.get(deadline.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            t.interrupt();
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.util.concurrent.TimeoutException("interrupted");
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof StoreException s) {
                throw s;
            }
            throw new IllegalStateException("reading build record " + slot + " failed", e.getCause());
        }
    }

    private static String mostCommon(List<BuildEvent> events, Function<BuildEvent, String> field) {
        Map<String, Integer> counts = new HashMap<>();
        events.forEach(e -> counts.merge(field.apply(e), 1, Integer::sum));
        return counts.entrySet().stream().max(Map.Entry.<String, Integer>comparingByValue()
                .thenComparing(Map.Entry.comparingByKey())).map(Map.Entry::getKey).orElse("-");
    }

    static String lockDigest(ProjectCrates.Workspace ws) throws IOException {
        try {
            return BuildIdentity.shortDigest(Files.readAllBytes(ws.root().resolve("Cargo.lock")));
        } catch (NoSuchFileException e) {
            return "none";
        }
    }

    static String membersDigest(ProjectCrates.Workspace ws) {
        return BuildIdentity.shortDigest(String.join("\n", new TreeSet<>(ws.members())).getBytes(StandardCharsets.UTF_8));
    }
}
