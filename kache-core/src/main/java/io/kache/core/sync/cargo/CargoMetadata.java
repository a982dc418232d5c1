package io.kache.core.sync.cargo;

import io.kache.core.rustc.Executables;
import io.kache.core.rustc.ToolchainQuery;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What {@code cargo metadata --format-version 1} says about a workspace: its root and packages.
 *
 * @param workspaceRoot the directory holding the workspace's {@code Cargo.toml} and {@code Cargo.lock}
 * @param targetDirectory cargo's target directory for the workspace
 * @param packages the members only ({@code --no-deps}) or every package of the resolved graph
 */
public record CargoMetadata(Path workspaceRoot, Path targetDirectory, List<CargoPackage> packages) {

    /** How long cargo may take; it only reads manifests (and, for the full graph, the lock file). */
    static final Duration TIMEOUT = Duration.ofMinutes(2);

    /** The full graph of a large workspace runs to megabytes; more than this is not metadata kache reads. */
    static final int MAX_OUTPUT_BYTES = 256 << 20;

    public CargoMetadata {
        Objects.requireNonNull(workspaceRoot, "workspaceRoot");
        packages = List.copyOf(packages);
    }

    /**
     * Runs {@code cargo metadata --format-version 1} in {@code cwd} with the call's environment.
     *
     * @param noDeps {@code --no-deps}: members only, never touches the network; otherwise
     *     {@code --offline}, the full graph as far as it is known without the network
     * @throws IOException naming the command and cargo's first error line when cargo fails, is
     *     missing, times out, or prints something that is not metadata
     */
    public static CargoMetadata read(Path cwd, Optional<Path> manifestPath, Map<String, String> env, boolean noDeps)
            throws IOException {
        // The call's cargo, found on the call's PATH: ProcessBuilder would search the JVM's own, the
        // kache server's (started by another shell, maybe another toolchain manager).
        String cargo = env.getOrDefault("CARGO", "cargo");
        Path program = Executables.find(cargo, env, cwd)
                .orElseThrow(() -> new IOException("cargo metadata: no " + cargo + " on the PATH of this call"));
        List<String> command = new ArrayList<>(List.of(program.toString(), "metadata", "--format-version", "1"));
        // --locked: never rewrite the user's Cargo.lock; --offline: never wait on a registry.
        command.addAll(noDeps ? List.of("--no-deps") : List.of("--offline", "--locked"));
        manifestPath.ifPresent(p -> command.addAll(List.of("--manifest-path", p.toString())));
        String shown = String.join(" ", command);
        ToolchainQuery.Answer answer;
        try {
            // Its output to files in the JVM's temporary directory: the call has no store to hand,
            // and the files live as long as cargo runs.
            answer = ToolchainQuery.ask(command, env, cwd, TIMEOUT, MAX_OUTPUT_BYTES,
                    purpose -> Files.createTempFile("kache-metadata-", "." + purpose));
        } catch (IOException e) {
            throw new IOException(shown + ": " + e.getMessage(), e);
        }
        if (!answer.succeeded()) {
            throw new IOException(shown + " failed (exit " + answer.exitCode() + "): "
                    + firstError(new String(answer.stderr(), StandardCharsets.UTF_8)));
        }
        String stdout = new String(answer.stdout(), StandardCharsets.UTF_8);
        try {
            return parse(stdout, noDeps);
        } catch (IllegalArgumentException | ClassCastException | NullPointerException e) {
            throw new IOException(shown + " printed something kache cannot read: " + e.getMessage(), e);
        }
    }

    /** Parses cargo's JSON; {@code membersOnly} when it came from {@code --no-deps}. */
    @SuppressWarnings("unchecked")
    static CargoMetadata parse(String json, boolean membersOnly) {
        Map<String, Object> root = (Map<String, Object>) Json.parse(json);
        Set<Object> members = new HashSet<>((List<Object>) root.get("workspace_members"));
        List<CargoPackage> packages = new ArrayList<>();
        for (Object p : (List<Object>) root.get("packages")) {
            Map<String, Object> pkg = (Map<String, Object>) p;
            List<CargoPackage.Target> targets = new ArrayList<>();
            for (Object t : (List<Object>) pkg.get("targets")) {
                Map<String, Object> target = (Map<String, Object>) t;
                targets.add(new CargoPackage.Target((String) target.get("name"),
                        ((List<Object>) target.get("kind")).stream().map(String.class::cast).toList()));
            }
            boolean member = membersOnly || members.contains(pkg.get("id"));
            packages.add(new CargoPackage((String) pkg.get("name"), member, targets, features(pkg),
                    dependencies(pkg)));
        }
        Path workspaceRoot = Path.of((String) root.get("workspace_root"));
        Object targetDir = root.get("target_directory");
        return new CargoMetadata(workspaceRoot,
                targetDir instanceof String t ? Path.of(t) : workspaceRoot.resolve("target"), packages);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, List<String>> features(Map<String, Object> pkg) {
        Map<String, List<String>> features = new java.util.HashMap<>();
        if (pkg.get("features") instanceof Map<?, ?> table) {
            table.forEach((name, values) -> features.put((String) name,
                    ((List<Object>) values).stream().map(String.class::cast).toList()));
        }
        return features;
    }

    @SuppressWarnings("unchecked")
    private static List<CargoPackage.Dependency> dependencies(Map<String, Object> pkg) {
        List<CargoPackage.Dependency> deps = new ArrayList<>();
        if (pkg.get("dependencies") instanceof List<?> list) {
            for (Object d : list) {
                Map<String, Object> dep = (Map<String, Object>) d;
                Object kind = dep.get("kind");
                deps.add(new CargoPackage.Dependency((String) dep.get("name"),
                        Optional.ofNullable((String) dep.get("rename")), kind instanceof String k ? k : "normal",
                        Boolean.TRUE.equals(dep.get("optional")), !Boolean.FALSE.equals(dep.get("uses_default_features")),
                        dep.get("features") instanceof List<?> f ? f.stream().map(String.class::cast).toList() : List.of()));
            }
        }
        return deps;
    }

    /** The crate names of every target of every member: what this workspace itself compiles. */
    public Set<String> memberCrates() {
        Set<String> crates = new HashSet<>();
        packages.stream().filter(CargoPackage::member)
                .forEach(p -> p.targets().forEach(t -> crates.add(t.crateName())));
        return crates;
    }

    private static String firstError(String stderr) {
        return stderr.lines().filter(l -> l.startsWith("error")).findFirst()
                .or(() -> stderr.lines().filter(l -> !l.isBlank()).findFirst())
                .orElse("(no output)").strip();
    }
}
