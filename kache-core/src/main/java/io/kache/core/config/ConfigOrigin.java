package io.kache.core.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where one configuration value came from: an environment variable, a line of a config file, or
 * kache's default.
 *
 * @param kind which layer supplied the value
 * @param name the environment variable's name, the file's path, or {@code default}
 * @param line the 1-based line in the file, or 0 when unknown or not a file
 */
public record ConfigOrigin(Kind kind, String name, int line) {

    /** The layers, from weakest to strongest. */
    public enum Kind { DEFAULT, FILE, ENV }

    /** The origin of every value nobody set. */
    public static final ConfigOrigin DEFAULT = new ConfigOrigin(Kind.DEFAULT, "default", 0);

    public ConfigOrigin {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        if (line < 0) {
            throw new IllegalArgumentException("line must not be negative: " + line);
        }
    }

    public static ConfigOrigin env(String variable) {
        return new ConfigOrigin(Kind.ENV, variable, 0);
    }

    public static ConfigOrigin file(Path file, int line) {
        return new ConfigOrigin(Kind.FILE, file.toString(), line);
    }

    /** What {@code kache config} shows as the source: the variable name, the file path, or {@code default}. */
    public String source() {
        return name;
    }

    /** Where to look, for error messages: {@code environment variable X} or {@code /path/.kache.toml:3}. */
    public String location() {
        return switch (kind) {
            case ENV -> "environment variable " + name;
            case FILE -> line > 0 ? name + ":" + line : name;
            case DEFAULT -> name;
        };
    }

    @Override
    public String toString() {
        return location();
    }
}
