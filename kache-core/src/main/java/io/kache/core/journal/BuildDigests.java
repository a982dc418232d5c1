package io.kache.core.journal;

import io.kache.core.hash.Sha256;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Short digests that name a build's toolchain and flags the same way in the wrapper (which knows
 * the banner of the rustc cargo runs) and in {@code kache sync} (which asks {@code rustc -vV}).
 */
public final class BuildDigests {

    private BuildDigests() {
    }

    /**
     * The toolchain of a {@code rustc -vV} banner: its {@code release}, {@code commit-hash} and
     * {@code host} lines (the same through the rustup proxy and the toolchain's own binary).
     */
    public static String toolchain(String banner) {
        StringBuilder b = new StringBuilder();
        for (String line : banner.split("\n")) {
            String l = line.strip();
            if (l.startsWith("release:") || l.startsWith("commit-hash:") || l.startsWith("host:")) {
                b.append(l).append('\n');
            }
        }
        return b.length() == 0 ? "-" : short16(b.toString());
    }

    /** The host triple of a banner, or empty. */
    public static java.util.Optional<String> host(String banner) {
        for (String line : banner.split("\n")) {
            String l = line.strip();
            if (l.startsWith("host:")) {
                return java.util.Optional.of(l.substring("host:".length()).strip());
            }
        }
        return java.util.Optional.empty();
    }

    /**
     * The extra flags cargo passes every rustc from its environment ({@code CARGO_ENCODED_RUSTFLAGS},
     * else {@code RUSTFLAGS}, cargo's own order): {@code none}, or a digest. Flags from cargo's config
     * files are not seen here; they still change every entry key.
     */
    public static String rustflags(Map<String, String> env) {
        String encoded = env.get("CARGO_ENCODED_RUSTFLAGS");
        String flags = encoded != null ? encoded.replace('\u001f', ' ') : env.get("RUSTFLAGS");
        if (flags == null || flags.isBlank()) {
            return "none";
        }
        return short16(String.join(" ", flags.strip().split("\\s+")));
    }

    static String short16(String text) {
        return Sha256.of(text.getBytes(StandardCharsets.UTF_8)).substring(0, 16);
    }
}
