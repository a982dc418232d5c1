package io.kache.core.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A sandbox for config tests: a fake HOME and working directory under one temp directory, and an
 * environment map that starts with only HOME set, so the machine's real config never leaks in.
 */
final class ConfigFixture {

    final Path root;
    final Path home;
    final Path cwd;
    final Map<String, String> env = new HashMap<>();

    ConfigFixture(Path root) {
        this.root = root.toAbsolutePath();
        this.home = mkdirs(this.root.resolve("home"));
        this.cwd = mkdirs(this.root.resolve("work/project/src"));
        env.put("HOME", home.toString());
    }

    ConfigFixture env(String name, String value) {
        env.put(name, value);
        return this;
    }

    /** Writes {@code toml} as {@code dir/.kache.toml} and returns the file. */
    Path projectFile(Path dir, String toml) {
        return write(dir.resolve(".kache.toml"), toml);
    }

    Path write(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            return Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    KacheConfig load() {
        return new ConfigLoader(env, cwd, Set::of).load();
    }

    /** The configuration of a call whose search for {@code .kache.toml} starts from {@code projectSearch}. */
    KacheConfig load(List<Path> projectSearch) {
        return new ConfigLoader(env, cwd, projectSearch, Set::of, ParsedConfigFiles.shared()).load();
    }

    static Path mkdirs(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
