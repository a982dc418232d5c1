package io.kache.core.sync.records;

import io.kache.core.hash.Sha256;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a build record is for: builds of one workspace with one toolchain, target, profile and set of
 * rustflags and the same features use the same entries, except where their sources differ. Two record slots follow
 * from it ({@link #exactSlot}, {@link #lineSlot}); both are digests, so a record is found by name with
 * one GET, never by listing.
 *
 * @param toolchain digest of the toolchain's release, commit and host ({@link io.kache.core.journal.BuildDigests#toolchain})
 * @param target the {@code --target} triple, or {@code host}
 * @param profile the profile's directory name ({@code debug}, {@code release}, …)
 * @param rustflags digest of {@code RUSTFLAGS}/{@code CARGO_ENCODED_RUSTFLAGS}, or when neither is set
 *     of the rustflags cargo's configuration sets ({@link io.kache.core.sync.cargo.CargoConfigFlags}), or
 *     {@code none}
 * @param lock digest of {@code Cargo.lock}, or {@code none}
 * @param members digest of the workspace members' crate names: which project this is
 * @param features {@link #DEFAULT_FEATURES} when every member has its default features, else a digest
 *     of how the members' features differ from those ({@link BuildFeatures})
 * @param kind what the build's calls emit: {@link #BUILD} (linked outputs: {@code cargo build},
 *     {@code test}, {@code run}), {@link #CHECK} (metadata only: {@code cargo check}, {@code doc},
 *     {@code fix}), {@link #CLIPPY} ({@code cargo clippy}: its members' entries are clippy-driver's),
 *     or {@link #UNKNOWN} for a record written before kinds were told apart
 */
public record BuildIdentity(String toolchain, String target, String profile, String rustflags, String lock,
                            String members, String features, String kind) {

    /** The features of a build with each member's default features; also what a record without the field means. */
    public static final String DEFAULT_FEATURES = "default";
    /** A build whose calls link: {@code cargo build}, {@code test}, {@code run}, {@code bench}. */
    public static final String BUILD = "build";
    /** A build whose calls emit metadata only (except build scripts, proc macros and their dependencies). */
    public static final String CHECK = "check";
    /**
     * A {@code cargo clippy}: a check whose members run through clippy-driver, under keys of their own
     * that a check never uses (and the reverse), so its records are not a check's.
     */
    public static final String CLIPPY = "clippy";
    /** The kind of a record written before kinds were told apart: either. */
    public static final String UNKNOWN = "unknown";

    static final String FORMAT = "kache-build-record-1";

    public BuildIdentity {
        Objects.requireNonNull(toolchain, "toolchain");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(rustflags, "rustflags");
        Objects.requireNonNull(lock, "lock");
        Objects.requireNonNull(members, "members");
        Objects.requireNonNull(features, "features");
        Objects.requireNonNull(kind, "kind");
    }

    /** A {@link #BUILD} identity. */
    public BuildIdentity(String toolchain, String target, String profile, String rustflags, String lock,
                         String members, String features) {
        this(toolchain, target, profile, rustflags, lock, members, features, BUILD);
    }

    /** A {@link #BUILD} identity with every member's default features. */
    public BuildIdentity(String toolchain, String target, String profile, String rustflags, String lock,
                         String members) {
        this(toolchain, target, profile, rustflags, lock, members, DEFAULT_FEATURES);
    }

    /** This identity with other features. */
    public BuildIdentity withFeatures(String other) {
        return new BuildIdentity(toolchain, target, profile, rustflags, lock, members, other, kind);
    }

    /** This identity of another kind. */
    public BuildIdentity withKind(String other) {
        return new BuildIdentity(toolchain, target, profile, rustflags, lock, members, features, other);
    }

    // A build's slots are those kache named before it told kinds apart (their records, of unknown kind,
    // stay readable by builds); a check's and a clippy's are their own.
    private String kindPart() {
        return kind.equals(CHECK) || kind.equals(CLIPPY) ? "\nkind\n" + kind : "";
    }

    // Default features add nothing to a slot's digest: the slots of such builds are those kache
    // named before it told features apart, so their records stay readable.
    private String featuresPart() {
        return features.equals(DEFAULT_FEATURES) ? "" : "\nfeatures\n" + features;
    }

    /** The slot of this exact identity: the newest build with this very lock file. */
    public String exactSlot() {
        return digest(FORMAT + "\nexact\n" + toolchain + "\n" + target + "\n" + profile + "\n" + rustflags + "\n" + lock
                + "\n" + members + featuresPart() + kindPart());
    }

    /**
     * The slot of the workspace's line, whatever its lock file: the newest build of this workspace with
     * this toolchain, target, profile and flags. Read when the exact slot has no record (a dependency
     * was added or bumped): unchanged crates keep their keys.
     */
    public String lineSlot() {
        return digest(FORMAT + "\nline\n" + toolchain + "\n" + target + "\n" + profile + "\n" + rustflags + "\n" + members
                + featuresPart() + kindPart());
    }

    /** Whether a record written for {@code other} may serve this identity through the line slot. */
    boolean sameLine(BuildIdentity other) {
        return toolchain.equals(other.toolchain) && target.equals(other.target) && profile.equals(other.profile)
                && rustflags.equals(other.rustflags) && members.equals(other.members) && features.equals(other.features)
                && sameKind(other);
    }

    /** Whether a record written for {@code other} may serve this identity through the exact slot. */
    boolean sameExact(BuildIdentity other) {
        return sameLine(other) && lock.equals(other.lock);
    }

    /**
     * Whether a record of {@code other}'s kind serves a build of this one: the same kind, or a record
     * of unknown kind (written before kinds counted), which a build finds in its own slots.
     */
    private boolean sameKind(BuildIdentity other) {
        return kind.equals(other.kind) || other.kind.equals(UNKNOWN) || kind.equals(UNKNOWN);
    }

    Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("toolchain", toolchain);
        m.put("target", target);
        m.put("profile", profile);
        m.put("rustflags", rustflags);
        m.put("lock", lock);
        m.put("members", members);
        m.put("features", features);
        m.put("kind", kind);
        return m;
    }

    static BuildIdentity fromJson(Map<?, ?> m) {
        return new BuildIdentity(text(m, "toolchain"), text(m, "target"), text(m, "profile"), text(m, "rustflags"),
                text(m, "lock"), text(m, "members"),
                m.containsKey("features") ? text(m, "features") : DEFAULT_FEATURES,
                m.containsKey("kind") ? text(m, "kind") : UNKNOWN);
    }

    private static String text(Map<?, ?> m, String name) {
        Object v = m.get(name);
        if (!(v instanceof String s) || s.length() > 200) {
            throw new IllegalArgumentException("identity field '" + name + "' is missing or not a short string");
        }
        return s;
    }

    /** A short digest (16 hex) of a file's or text's bytes, for {@link #lock} and {@link #members}. */
    public static String shortDigest(byte[] bytes) {
        return Sha256.of(bytes).substring(0, 16);
    }

    private static String digest(String text) {
        return Sha256.of(text.getBytes(StandardCharsets.UTF_8)).substring(0, 32);
    }
}
