package io.kache.core.sync.records;

import io.kache.core.journal.BuildDigests;
import io.kache.core.journal.WorkspaceSide;
import io.kache.core.rustc.Executables;
import io.kache.core.rustc.ToolchainIdentity;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A build's {@link BuildIdentity}, worked out where the build runs: by a pull from the workspace,
 * the toolchain it finds and the options it was given; by the kache server (a prefetch) from what a
 * wrapper call tells of its build; by a record writer from the journal's calls, whose flags, lock
 * file and members are read here. Also the workspace a build belongs to, which the identity is of.
 */
public final class BuildIdentities {

    private BuildIdentities() {
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
     * defaults when it cannot be read): the same identity {@link JournalRecords#fromJournal} gives the record of
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
     * {@code emitKinds}: the build's kind is {@link BuildIdentity#CLIPPY} under {@code cargo clippy}
     * ({@link BuildKinds#underClippy}: its calls' cargo is a {@code cargo check}), else its cargo
     * command's ({@code check}, {@code doc}: {@link BuildIdentity#CHECK}; others
     * {@link BuildIdentity#BUILD}), else, when the command line cannot be read
     * ({@code KACHE_BUILD_ID}), the call's: metadata only is a check.
     */
    public static BuildIdentity identityOf(WorkspaceSide side, ProjectCrates.Workspace ws, Map<String, String> env,
                                           String build, Set<String> emitKinds) throws IOException {
        Optional<List<String>> command = io.kache.core.journal.BuildId.commandLine(build);
        FeatureRequest features = command.map(FeatureRequest::fromCargoArgs).orElse(FeatureRequest.DEFAULT);
        String kind = BuildKinds.underClippy(env) ? BuildIdentity.CLIPPY : command.flatMap(BuildKinds::ofCommand).orElse(
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

    /** The lock part of an identity ({@link BuildIdentity#lock}): {@code none} without a lock file. */
    static String lockDigest(ProjectCrates.Workspace ws) throws IOException {
        try {
            return BuildIdentity.shortDigest(Files.readAllBytes(ws.root().resolve("Cargo.lock")));
        } catch (NoSuchFileException e) {
            return "none";
        }
    }

    /** The members part of an identity ({@link BuildIdentity#members}). */
    static String membersDigest(ProjectCrates.Workspace ws) {
        return BuildIdentity.shortDigest(String.join("\n", new TreeSet<>(ws.members())).getBytes(StandardCharsets.UTF_8));
    }
}
