package io.kache.core.sync.records;

import com.fasterxml.jackson.jr.ob.JSON;
import io.kache.api.ArtifactKey;
import io.kache.api.ArtifactLayout;
import io.kache.core.sync.cargo.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * A build record: which entries one build of a workspace used. A small JSON object in
 * {@code {prefix}/kache-builds/{slot}.json}:
 * <pre>
 * {"format":"kache-build-record-1","created":1765000000000,"build":"…",
 *  "identity":{"toolchain":…,"target":…,"profile":…,"rustflags":…,"lock":…,"members":…},
 *  "entries":["serde/0123…cdef", …]}
 * </pre>
 * A record only chooses what to download: every entry is still fetched by its key and verified.
 * Decoding trusts nothing: at most {@link #MAX_BYTES} bytes and {@link #MAX_ENTRIES} entries, each
 * {@code crate/key} must be a name {@link ArtifactLayout#parse} accepts; anything else refuses the
 * whole record ({@link InvalidRecordException}).
 *
 * @param created when it was written (epoch millis)
 * @param build the build it describes ({@link io.kache.core.journal.BuildId})
 * @param identity what the build was
 * @param entries the entries the build used (hits and stored), in the order it used them (a
 *     {@link LinkedHashSet}), else sorted by name
 */
public record BuildRecord(long created, String build, BuildIdentity identity, Set<ArtifactKey> entries) {

    /** A record larger than this is refused unread. */
    public static final int MAX_BYTES = 4 << 20;
    /** A record naming more entries is refused. */
    public static final int MAX_ENTRIES = 50_000;

    public BuildRecord {
        Objects.requireNonNull(build, "build");
        Objects.requireNonNull(identity, "identity");
        // In the order given when it has one (a LinkedHashSet: the order the build used them, which a
        // prefetch follows, cargo's order rather than the names'); otherwise sorted by name, so that
        // a record's bytes are the same for the same entries.
        Set<ArtifactKey> ordered;
        if (entries instanceof LinkedHashSet<ArtifactKey>) {
            ordered = new LinkedHashSet<>(entries);
        } else {
            ordered = new TreeSet<>(java.util.Comparator.comparing(ArtifactKey::crateName)
                    .thenComparing(ArtifactKey::cacheKey));
            ordered.addAll(entries);
        }
        entries = Collections.unmodifiableSet(ordered);
    }

    /** A record refused as a whole: truncated, oversized, of another format, or naming what no entry can be named. */
    public static final class InvalidRecordException extends Exception {
        InvalidRecordException(String message) {
            super(message);
        }
    }

    public byte[] encode() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", BuildIdentity.FORMAT);
        m.put("created", created);
        m.put("build", build);
        m.put("identity", identity.toJson());
        List<String> names = new ArrayList<>();
        entries.forEach(k -> names.add(k.crateName() + "/" + k.cacheKey()));
        m.put("entries", names);
        try {
            return JSON.std.asBytes(m);
        } catch (IOException e) {
            throw new IllegalStateException("encoding a build record failed", e);
        }
    }

    /**
     * Decodes a record read from a remote.
     *
     * @throws InvalidRecordException for anything but a well-formed record within the limits
     */
    public static BuildRecord decode(byte[] bytes) throws InvalidRecordException {
        if (bytes.length > MAX_BYTES) {
            throw new InvalidRecordException("larger than " + MAX_BYTES + " bytes");
        }
        // Any well-formed prefix: the names are checked against the layout whatever it is.
        ArtifactLayout check = ArtifactLayout.withDefaultPrefix();
        try {
            Object parsed = Json.parse(new String(bytes, StandardCharsets.UTF_8));
            if (!(parsed instanceof Map<?, ?> m)) {
                throw new InvalidRecordException("not a JSON object");
            }
            if (!BuildIdentity.FORMAT.equals(m.get("format"))) {
                throw new InvalidRecordException("format is not " + BuildIdentity.FORMAT);
            }
            if (!(m.get("created") instanceof Number created) || !(m.get("build") instanceof String build)
                    || build.length() > 100 || !(m.get("identity") instanceof Map<?, ?> identity)
                    || !(m.get("entries") instanceof List<?> names)) {
                throw new InvalidRecordException("missing or mistyped fields");
            }
            if (names.size() > MAX_ENTRIES) {
                throw new InvalidRecordException("more than " + MAX_ENTRIES + " entries");
            }
            // In the record's order: the build's, which the prefetch follows.
            Set<ArtifactKey> keys = new LinkedHashSet<>();
            for (Object n : names) {
                if (!(n instanceof String name) || name.length() > 200) {
                    throw new InvalidRecordException("an entry that is not a short string");
                }
                keys.add(check.parse(check.prefix() + "/" + name + ArtifactLayout.SUFFIX)
                        .orElseThrow(() -> new InvalidRecordException("names '" + printable(name)
                                + "', which is no entry name")));
            }
            return new BuildRecord(created.longValue(), build, BuildIdentity.fromJson(identity), keys);
        } catch (IllegalArgumentException e) {
            throw new InvalidRecordException(e.getMessage());
        }
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        s.codePoints().limit(80).forEach(c -> b.append(c < 0x20 || c == 0x7f ? '?' : (char) c));
        return b.toString();
    }
}
