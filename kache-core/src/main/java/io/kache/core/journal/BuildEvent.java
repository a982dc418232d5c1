package io.kache.core.journal;

import io.kache.core.rustc.CargoUnit;
import java.util.Objects;
import java.util.Optional;

/**
 * One wrapper call as the build journal remembers it: one short tab-separated line, written by the
 * call itself with one append (see {@link io.kache.core.store.LocalStore#journal()}).
 *
 * @param timeMillis when the call ended (epoch millis)
 * @param build the build it belongs to ({@link BuildId}): one cargo process
 * @param workspace the workspace as the call saw it ({@link WorkspaceSide})
 * @param crate the crate name, or {@code -} when the call named none (a probe)
 * @param kind lib, bin, proc-macro, build-script, test or other; {@code -} when unknown
 * @param key the entry key served or stored, or {@code -}
 * @param outcome what happened
 * @param reason a passthrough's or error's reason, else empty
 * @param compileMillis for a miss the compile's wall time; for a hit the compile time recorded when
 *     the entry was stored (0 when it was stored by a kache that did not record it)
 * @param bytesRestored bytes a hit placed
 * @param remoteGets remote downloads this call made (the read-through)
 * @param remotePuts entries this call queued for the remote (the write-back)
 * @param features the call's {@code --cfg feature="…"} values, sorted and joined by commas; {@code -}
 *     for none, {@link #UNKNOWN_FEATURES} for a line written before kache noted them
 * @param packageName the call's package ({@code CARGO_PKG_NAME}): every build script is crate
 *     {@code build_script_build}, only its package tells them apart; {@link CargoUnit#NONE} when the
 *     call had none, {@link CargoUnit#UNKNOWN} for a line written before kache noted it
 * @param clippy whether the call ran through clippy-driver ({@code cargo clippy}'s workspace wrapper,
 *     the only one kache caches through) and was not passed through: its entry is a clippy's, never a
 *     check's, and a build record tells the two apart by it; false for a line written before kache noted it
 */
public record BuildEvent(long timeMillis, String build, WorkspaceSide workspace, String crate, String kind,
                         String key, Outcome outcome, String reason, long compileMillis, long bytesRestored,
                         int remoteGets, int remotePuts, String features, String packageName, boolean clippy) {

    /** The line format's version, the first field of every line; lines of another version are skipped. */
    static final String VERSION = "k1";
    /**
     * Fields of a line before the features were noted, before the package was, before clippy-driver was
     * (all still read), and now.
     */
    private static final int FIELDS_BEFORE_FEATURES = 17;
    private static final int FIELDS_BEFORE_PACKAGE = 18;
    private static final int FIELDS_BEFORE_CLIPPY = 19;
    private static final int FIELDS = 20;
    /** The features of a call whose line did not note them. */
    public static final String UNKNOWN_FEATURES = "?";
    private static final String CLIPPY = "clippy";

    /** An event of a call that did not run through clippy-driver. */
    public BuildEvent(long timeMillis, String build, WorkspaceSide workspace, String crate, String kind,
                      String key, Outcome outcome, String reason, long compileMillis, long bytesRestored,
                      int remoteGets, int remotePuts, String features, String packageName) {
        this(timeMillis, build, workspace, crate, kind, key, outcome, reason, compileMillis, bytesRestored,
                remoteGets, remotePuts, features, packageName, false);
    }

    /** An event whose package is not known. */
    public BuildEvent(long timeMillis, String build, WorkspaceSide workspace, String crate, String kind,
                      String key, Outcome outcome, String reason, long compileMillis, long bytesRestored,
                      int remoteGets, int remotePuts, String features) {
        this(timeMillis, build, workspace, crate, kind, key, outcome, reason, compileMillis, bytesRestored,
                remoteGets, remotePuts, features, CargoUnit.UNKNOWN);
    }

    /** An event whose features are not known. */
    public BuildEvent(long timeMillis, String build, WorkspaceSide workspace, String crate, String kind,
                      String key, Outcome outcome, String reason, long compileMillis, long bytesRestored,
                      int remoteGets, int remotePuts) {
        this(timeMillis, build, workspace, crate, kind, key, outcome, reason, compileMillis, bytesRestored,
                remoteGets, remotePuts, UNKNOWN_FEATURES);
    }

    /** What a call did. */
    public enum Outcome {
        /** served from the cache */
        HIT,
        /** compiled and stored */
        STORED,
        /** compiled, but its outputs were not cacheable (or rustc failed) */
        MISS,
        /** run unchanged, not cached, for {@link #reason} */
        PASSTHROUGH,
        /** kache failed and ran rustc directly */
        ERROR;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public BuildEvent {
        Objects.requireNonNull(build, "build");
        Objects.requireNonNull(workspace, "workspace");
        crate = clean(crate);
        kind = clean(kind);
        key = clean(key);
        Objects.requireNonNull(outcome, "outcome");
        reason = reason == null ? "" : clean(reason);
        features = clean(features);
        packageName = clean(packageName);
    }

    /** The unit of the call: its package and kind, which its crate name alone does not tell. */
    public CargoUnit unit() {
        return new CargoUnit(packageName, kind);
    }

    /** The call's features, or empty when the line did not note them. */
    public Optional<java.util.Set<String>> featureSet() {
        if (features.equals(UNKNOWN_FEATURES)) {
            return Optional.empty();
        }
        return Optional.of(features.equals("-") ? java.util.Set.of()
                : new java.util.TreeSet<>(java.util.Arrays.asList(features.split(","))));
    }

    /** The entry key, when the call served or stored one. */
    public Optional<String> entryKey() {
        return key.equals("-") ? Optional.empty() : Optional.of(key);
    }

    /** The line to append, ending in a newline; tabs and line breaks inside values are replaced. */
    public String encode() {
        StringBuilder b = new StringBuilder(200);
        b.append(VERSION).append('\t').append(timeMillis).append('\t').append(clean(build)).append('\t');
        workspace.appendTo(b);
        b.append('\t').append(crate).append('\t').append(kind).append('\t').append(key).append('\t')
                .append(outcome.label()).append('\t').append(reason).append('\t').append(compileMillis)
                .append('\t').append(bytesRestored).append('\t').append(remoteGets).append('\t').append(remotePuts)
                .append('\t').append(features).append('\t').append(packageName).append('\t')
                .append(clippy ? CLIPPY : "-").append('\n');
        return b.toString();
    }

    /** The event of one journal line, or empty for a torn, foreign or other-version line. */
    public static Optional<BuildEvent> parse(String line) {
        String[] f = line.split("\t", -1);
        if (f.length < FIELDS_BEFORE_FEATURES || f.length > FIELDS || !f[0].equals(VERSION)) {
            return Optional.empty();
        }
        try {
            Outcome outcome = Outcome.valueOf(f[11].toUpperCase(java.util.Locale.ROOT));
            return Optional.of(new BuildEvent(Long.parseLong(f[1]), f[2],
                    new WorkspaceSide(f[3], f[4], f[5], f[6], f[7]), f[8], f[9], f[10], outcome, f[12],
                    Long.parseLong(f[13]), Long.parseLong(f[14]), Integer.parseInt(f[15]), Integer.parseInt(f[16]),
                    f.length > FIELDS_BEFORE_FEATURES ? f[17] : UNKNOWN_FEATURES,
                    f.length > FIELDS_BEFORE_PACKAGE ? f[18] : CargoUnit.UNKNOWN,
                    f.length > FIELDS_BEFORE_CLIPPY && f[19].equals(CLIPPY)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    static String clean(String s) {
        if (s == null || s.isEmpty()) {
            return "-";
        }
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                if (b == null) {
                    b = new StringBuilder(s.substring(0, i));
                }
                b.append('?');
            } else if (b != null) {
                b.append(c);
            }
        }
        return b == null ? s : b.toString();
    }
}
