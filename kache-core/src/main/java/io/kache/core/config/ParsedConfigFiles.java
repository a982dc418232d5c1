package io.kache.core.config;

import io.kache.core.hash.FileIdentity;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Config files this JVM has parsed, kept by path and {@link FileIdentity}: the kache server takes
 * every call of a build, and an unchanged file, however large, is parsed once rather than per call.
 * Only the file layer is kept; the environment is applied per call on top of it.
 *
 * <p>A file is read again as soon as its identity changes: any write changes its ctime, even one
 * that keeps its size and puts its mtime back. A file changed within
 * {@link FileIdentity#settledAt racy window} of the parse is not kept, for the reason the hash memo
 * gives: a second write in the same coarse clock tick could leave the identity as it was.
 * Thread-safe.
 */
final class ParsedConfigFiles {

    /** More distinct files than any server sees; beyond it the memory starts over. */
    static final int MAX_FILES = 64;

    private record Parsed(FileIdentity identity, ConfigFileValues values) {
    }

    private final Map<Path, Parsed> parsed = new ConcurrentHashMap<>();
    private final LongSupplier wallClockNanos;
    private final AtomicLong parses = new AtomicLong();

    /** @param wallClockNanos the clock the racy window is judged by; null for the system clock */
    ParsedConfigFiles(LongSupplier wallClockNanos) {
        this.wallClockNanos = wallClockNanos;
    }

    /** The one instance of this JVM, made on first use (never, in a call without a config file). */
    static ParsedConfigFiles shared() {
        return Shared.INSTANCE;
    }

    private static final class Shared {
        static final ParsedConfigFiles INSTANCE = new ParsedConfigFiles(null);
    }

    /**
     * What {@code file} sets: as parsed before if its identity is the same, else parsed now.
     *
     * @throws ConfigException as {@link ConfigFileReader#read}; a file that fails is not kept
     */
    ConfigFileValues read(Path file) {
        Optional<FileIdentity> before = identity(file);
        Parsed known = parsed.get(file);
        if (known != null && before.isPresent() && known.identity().equals(before.get())) {
            return known.values();
        }
        parses.incrementAndGet();
        ConfigFileValues values = ConfigFileReader.read(file);
        Optional<FileIdentity> after = identity(file);
        if (after.isPresent() && after.equals(before) && settled(after.get(), file)) {
            if (parsed.size() >= MAX_FILES) {
                parsed.clear();
            }
            parsed.put(file, new Parsed(after.get(), values));
        }
        return values;
    }

    /** How many times a file was parsed (or tried), for tests. */
    long parses() {
        return parses.get();
    }

    private boolean settled(FileIdentity id, Path file) {
        long now = wallClockNanos == null ? System.currentTimeMillis() * 1_000_000L : wallClockNanos.getAsLong();
        return id.settledAt(now, file);
    }

    private static Optional<FileIdentity> identity(Path file) {
        try {
            return FileIdentity.of(file);
        } catch (IOException e) {
            // The parse reports what is wrong with the file; without an identity nothing is kept.
            return Optional.empty();
        }
    }
}
