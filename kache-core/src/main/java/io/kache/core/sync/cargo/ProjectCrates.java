package io.kache.core.sync.cargo;

import io.kache.api.ArtifactKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/**
 * Which crates a sync of one project concerns.
 *
 * <p>Names that are not valid crate names are dropped.
 *
 * @param pull the crates whose remote entries to pull; empty means every crate (no
 *     {@code Cargo.lock}, or one without packages)
 * @param push the crates whose local entries to push: the workspace's own, their entries of the
 *     members' packages only ({@link #pushPackages}); empty means every crate (outside a workspace)
 * @param notes what a user should know about how the sets were found, one sentence each
 * @param workspace the cargo workspace, when the sync runs in one
 */
public record ProjectCrates(Optional<Set<String>> pull, Optional<Set<String>> push, List<String> notes,
                            Optional<Workspace> workspace) {

    /**
     * The workspace a sync runs in.
     *
     * @param root the directory of its {@code Cargo.toml} and {@code Cargo.lock}
     * @param targetDirectory cargo's target directory
     * @param members the crate names of its members' targets
     * @param memberPackages its member packages as {@code cargo metadata --no-deps} describes them
     *     (their features and dependencies tell which features a build gives each)
     */
    public record Workspace(Path root, Path targetDirectory, Set<String> members, List<CargoPackage> memberPackages) {
        public Workspace {
            Objects.requireNonNull(root, "root");
            Objects.requireNonNull(targetDirectory, "targetDirectory");
            members = Set.copyOf(members);
            memberPackages = List.copyOf(memberPackages);
        }

        public Workspace(Path root, Path targetDirectory, Set<String> members) {
            this(root, targetDirectory, members, List.of());
        }

        /** The workspace described by {@code metadata} (of {@code --no-deps}). */
        public static Workspace of(CargoMetadata metadata) {
            return new Workspace(metadata.workspaceRoot(), metadata.targetDirectory(), metadata.memberCrates(),
                    metadata.packages().stream().filter(CargoPackage::member).toList());
        }

        /** Its members' features model. */
        public MemberFeatures features() {
            return new MemberFeatures(memberPackages);
        }
    }

    public ProjectCrates(Optional<Set<String>> pull, Optional<Set<String>> push, List<String> notes) {
        this(pull, push, notes, Optional.empty());
    }

    /**
     * The packages of the workspace's members, whose entries of the {@link #push} crates are pushed;
     * empty when unknown (outside a workspace), every package then. A crate name alone does not tell
     * a member's entries from another project's sharing the store: every build script's crate is
     * {@value #BUILD_SCRIPT}, and a member's crate may share its name with another project's.
     */
    public Optional<Set<String>> pushPackages() {
        return workspace.filter(w -> !w.memberPackages().isEmpty())
                .map(w -> Set.copyOf(w.memberPackages().stream().map(CargoPackage::name).toList()));
    }

    /** These crates with another pull set (chosen by a build record). */
    public ProjectCrates pulling(Set<String> crates) {
        return new ProjectCrates(Optional.of(crates), push, notes, workspace);
    }

    /** The crate name rustc gives every build script. */
    public static final String BUILD_SCRIPT = "build_script_build";

    public ProjectCrates {
        pull = pull.map(ProjectCrates::validOnly);
        push = push.map(ProjectCrates::validOnly);
        notes = List.copyOf(notes);
        Objects.requireNonNull(workspace, "workspace");
    }

    // A name rustc would refuse cannot name an entry either; keeping it would only fail the listing.
    private static Set<String> validOnly(Set<String> names) {
        Set<String> valid = new TreeSet<>();
        names.stream().filter(ArtifactKey::isValidCrateName).forEach(valid::add);
        return Collections.unmodifiableSet(valid);
    }

    /** Every crate both ways: {@code --all}. */
    public static ProjectCrates everything() {
        return new ProjectCrates(Optional.empty(), Optional.empty(), List.of());
    }

    /**
     * Finds the crates of the project at {@code cwd} (or of {@code manifestPath}).
     *
     * <p>Pull: every package of the workspace's {@code Cargo.lock} ({@code -} → {@code _}), every
     * target of the members, and the library names of the full graph from
     * {@code cargo metadata --offline} so a package whose {@code [lib] name} differs from its own
     * name is not missed (without it: a note, and {@value #BUILD_SCRIPT} is included in case).
     * Push: the targets of the members ({@code cargo metadata --no-deps}).
     *
     * @throws IOException if {@code manifestPath} does not exist, or {@code cargo metadata --no-deps}
     *     fails on a manifest that exists (the message names the command and cargo's error)
     */
    public static ProjectCrates discover(Path cwd, Optional<Path> manifestPath, Map<String, String> env)
            throws IOException {
        Objects.requireNonNull(cwd, "cwd");
        List<String> notes = new ArrayList<>();
        Optional<Path> manifest = manifestPath.map(cwd::resolve);
        if (manifest.isPresent() && !Files.isRegularFile(manifest.get())) {
            throw new IOException("--manifest-path " + manifest.get() + " does not exist");
        }
        if (manifest.isEmpty() && findManifest(cwd).isEmpty()) {
            notes.add("not in a cargo project (no Cargo.toml in " + cwd + " or above): a push sends every"
                    + " local entry");
            return new ProjectCrates(lockCrates(cwd.resolve("Cargo.lock"), notes), Optional.empty(), notes);
        }
        // The full graph beside the members: two cargo runs of a tenth of a second or more each, and
        // a fresh runner's pull waits for both before it asks the remote anything.
        CompletableFuture<GraphCrates> graph = CompletableFuture.supplyAsync(() -> graphCrates(cwd, manifest, env));
        CargoMetadata members;
        try {
            members = CargoMetadata.read(cwd, manifest, env, true);
        } catch (IOException | RuntimeException e) {
            graph.cancel(false);
            throw e;
        }
        Set<String> own = members.memberCrates();
        Optional<Set<String>> pull = lockCrates(members.workspaceRoot().resolve("Cargo.lock"), notes);
        if (pull.isPresent()) {
            Set<String> crates = new TreeSet<>(pull.get());
            crates.addAll(own);
            GraphCrates found = graph.join();
            crates.addAll(found.crates());
            found.note().ifPresent(notes::add);
            pull = Optional.of(crates);
        }
        return new ProjectCrates(pull, Optional.of(own), notes, Optional.of(Workspace.of(members)));
    }

    /** The crate names of the resolved graph, and why some may be missing. */
    private record GraphCrates(Set<String> crates, Optional<String> note) {
    }

    private static Optional<Set<String>> lockCrates(Path lock, List<String> notes) throws IOException {
        Optional<Set<String>> packages = CargoLock.packageNames(lock);
        if (packages.isEmpty() || packages.get().isEmpty()) {
            notes.add((packages.isEmpty() ? "no Cargo.lock at " : "no packages in ") + lock
                    + ": a pull takes every crate in the remote");
            return Optional.empty();
        }
        Set<String> crates = new TreeSet<>();
        packages.get().forEach(p -> crates.add(CrateNames.of(p)));
        return Optional.of(crates);
    }

    /** Library and build-script crate names of the whole resolved graph, as far as cargo knows it offline. */
    private static GraphCrates graphCrates(Path cwd, Optional<Path> manifest, Map<String, String> env) {
        Set<String> crates = new TreeSet<>();
        try {
            for (CargoPackage p : CargoMetadata.read(cwd, manifest, env, false).packages()) {
                p.targets().stream().filter(t -> t.linkable() || t.buildScript())
                        .forEach(t -> crates.add(t.crateName()));
            }
            return new GraphCrates(crates, Optional.empty());
        } catch (IOException | RuntimeException e) {
            return new GraphCrates(Set.of(BUILD_SCRIPT), Optional.of(e.getMessage()
                    + "; a pull misses dependencies whose [lib] name differs from their package name"));
        }
    }

    private static Optional<Path> findManifest(Path dir) {
        for (Path d = dir; d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("Cargo.toml"))) {
                return Optional.of(d.resolve("Cargo.toml"));
            }
        }
        return Optional.empty();
    }
}
