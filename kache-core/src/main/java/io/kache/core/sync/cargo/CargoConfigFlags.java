package io.kache.core.sync.cargo;

import io.kache.core.hash.Sha256;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlTable;

/**
 * The rustflags a workspace's cargo configuration sets, which cargo passes to every rustc call as
 * arguments (not in the environment, so a wrapper cannot tell them from cargo's own): {@code [build]
 * rustflags} and every {@code [target.<triple or cfg>] rustflags} of the {@code .cargo/config.toml}
 * (or {@code .cargo/config}) files in the workspace root and its parents and in {@code
 * $CARGO_HOME}, and the variables {@code CARGO_BUILD_RUSTFLAGS} and {@code CARGO_TARGET_*_RUSTFLAGS}.
 *
 * <p>What it gives is a digest of these settings as written, not of the flags cargo ends up passing:
 * two configurations that set different flags tell two builds apart, the same configuration read
 * again gives the same digest. Files kache cannot parse are left out (cargo would refuse them anyway).
 */
public final class CargoConfigFlags {

    private CargoConfigFlags() {
    }

    /** A short digest of the rustflags settings seen from {@code workspaceRoot}, or {@code none}. */
    public static String digest(Path workspaceRoot, Map<String, String> env) {
        List<String> settings = new ArrayList<>();
        for (Path file : configFiles(workspaceRoot, env)) {
            TomlParseResult toml;
            try {
                toml = Toml.parse(Files.readString(file, StandardCharsets.UTF_8));
            } catch (IOException | RuntimeException e) {
                continue;
            }
            if (toml.hasErrors()) {
                continue;
            }
            flags(toml, "build").ifPresent(f -> settings.add("build " + f));
            TomlTable targets = toml.getTable("target");
            if (targets != null) {
                for (String name : new java.util.TreeSet<>(targets.keySet())) {
                    if (targets.get(List.of(name)) instanceof TomlTable t) {
                        Object v = t.get("rustflags");
                        String f = text(v);
                        if (f != null) {
                            settings.add("target " + name + " " + f);
                        }
                    }
                }
            }
        }
        Map<String, String> vars = new TreeMap<>();
        env.forEach((k, v) -> {
            if (k.equals("CARGO_BUILD_RUSTFLAGS") || (k.startsWith("CARGO_TARGET_") && k.endsWith("_RUSTFLAGS"))) {
                vars.put(k, v.strip());
            }
        });
        vars.forEach((k, v) -> settings.add(k + "=" + v));
        if (settings.isEmpty()) {
            return "none";
        }
        return Sha256.of(("config\n" + String.join("\n", settings)).getBytes(StandardCharsets.UTF_8)).substring(0, 16);
    }

    private static java.util.Optional<String> flags(TomlTable toml, String table) {
        TomlTable t = toml.getTable(table);
        return t == null ? java.util.Optional.empty() : java.util.Optional.ofNullable(text(t.get("rustflags")));
    }

    /** A string or an array of strings, as cargo takes either, with whitespace normalised; else null. */
    private static String text(Object v) {
        if (v instanceof String s) {
            return String.join(" ", s.strip().split("\\s+"));
        }
        if (v instanceof TomlArray a) {
            List<String> parts = new ArrayList<>();
            for (int i = 0; i < a.size(); i++) {
                parts.add(String.valueOf(a.get(i)));
            }
            return String.join("\u001f", parts);
        }
        return null;
    }

    /** Cargo's configuration files as it reads them from the workspace root: the deepest first, then the home's. */
    static List<Path> configFiles(Path workspaceRoot, Map<String, String> env) {
        Set<Path> files = new LinkedHashSet<>();
        for (Path dir = workspaceRoot.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
            addConfig(dir.resolve(".cargo"), files);
        }
        String cargoHome = env.get("CARGO_HOME");
        String home = env.get("HOME");
        if (cargoHome != null && !cargoHome.isBlank()) {
            addConfig(Path.of(cargoHome), files);
        } else if (home != null && !home.isBlank()) {
            addConfig(Path.of(home, ".cargo"), files);
        }
        return new ArrayList<>(files);
    }

    private static void addConfig(Path dir, Set<Path> files) {
        for (String name : List.of("config.toml", "config")) {
            Path f = dir.resolve(name);
            if (Files.isRegularFile(f)) {
                files.add(f.toAbsolutePath().normalize());
                return; // cargo reads config.toml, else the legacy config, not both
            }
        }
    }
}
