package io.kache.core.sync.records;

import io.kache.api.ArtifactKey;
import io.kache.core.journal.BuildEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The kind of a build ({@link BuildIdentity#kind}): what a reader tells from the cargo command it
 * belongs to, and what a writer tells from the entries its calls used.
 */
final class BuildKinds {

    private BuildKinds() {
    }

    /**
     * The kind of build a cargo command line runs: its first known subcommand after the global options
     * ({@code cargo -q check}, a wrapper's {@code cargo hack check} too); empty when none is known.
     */
    static Optional<String> ofCommand(List<String> args) {
        Set<String> takesValue = Set.of("-C", "--config", "-Z", "--color", "--explain");
        for (int i = 1; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--")) {
                break;
            }
            if (a.startsWith("-")) {
                if (takesValue.contains(a)) {
                    i++;
                }
                continue;
            }
            switch (a) {
                case "check", "c", "doc", "d", "fix" -> {
                    return Optional.of(BuildIdentity.CHECK);
                }
                case "clippy" -> {
                    return Optional.of(BuildIdentity.CLIPPY);
                }
                case "build", "b", "test", "t", "run", "r", "bench", "rustc", "install" -> {
                    return Optional.of(BuildIdentity.BUILD);
                }
                default -> {
                    // Not a subcommand kache knows (a plugin's name): look on.
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Whether a call runs under {@code cargo clippy}: clippy runs its build as a {@code cargo check}
     * (the command line a call's cargo shows) with {@code CLIPPY_ARGS} set, for members and
     * non-members alike, so the environment tells what the command line does not.
     */
    static boolean underClippy(Map<String, String> env) {
        return env.containsKey("CLIPPY_ARGS");
    }

    /**
     * The calls of one build and profile by the kind of build they belong to. A call whose entry holds
     * metadata only is a check's; one that links is a build's, except that a check compiles build
     * scripts, proc macros and their dependencies fully too. So build scripts, proc macros and entries
     * the store does not have go with every kind present; a linked entry of a crate no call checked goes
     * with the check too; and only a linked executable, or a member's crate both checked and linked, says
     * a build ran beside a check: a check links a dependency of a build script or a proc macro too
     * ({@code libc} for {@code cc}), which the build's own dependency of that name is checked beside.
     * Calls that show no kind are a build's.
     *
     * <p>A call that ran through clippy-driver ({@link BuildEvent#clippy}) is a clippy's alone: its key is
     * never a check's or a build's. Beside such calls, the calls a check would take are the clippy's too
     * (a clippy compiles non-members, their build scripts and proc macros as a check does), except a
     * member's: a member's call not through clippy-driver is a check's that ran beside the clippy
     * (a {@code KACHE_BUILD_ID} spanning both), and only a member's metadata-only entry says one did.
     *
     * @param members the workspace's member packages: a crate of another package checked and linked
     *     says nothing of a build
     */
    static Map<String, List<BuildEvent>> of(List<BuildEvent> calls,
                                               Function<ArtifactKey, Optional<RecordMerge.Facts>> facts,
                                               java.util.Set<String> members) {
        Map<BuildEvent, String> kindOf = new HashMap<>();
        Set<String> checked = new HashSet<>();
        boolean clippy = false;
        boolean checkBesideClippy = false;
        for (BuildEvent e : calls) {
            Optional<RecordMerge.Facts> f = e.kind().equals("build-script") || e.kind().equals("proc-macro")
                    ? Optional.empty() : facts.apply(new ArtifactKey(e.crate(), e.key()));
            String k = f.isEmpty() ? "either" : f.get().metadataOnly() ? BuildIdentity.CHECK : BuildIdentity.BUILD;
            kindOf.put(e, k);
            if (k.equals(BuildIdentity.CHECK)) {
                checked.add(e.crate());
            }
            clippy |= e.clippy();
            checkBesideClippy |= !e.clippy() && k.equals(BuildIdentity.CHECK) && members.contains(e.packageName());
        }
        boolean checking = !checked.isEmpty() || clippy;
        boolean built = calls.stream().anyMatch(e -> kindOf.get(e).equals(BuildIdentity.BUILD)
                && (checked.contains(e.crate()) && members.contains(e.packageName())
                    || e.kind().equals("bin") || e.kind().equals("test")));
        Map<String, List<BuildEvent>> out = new HashMap<>();
        for (BuildEvent e : calls) {
            if (e.clippy()) {
                out.computeIfAbsent(BuildIdentity.CLIPPY, x -> new ArrayList<>()).add(e);
                continue;
            }
            String k = kindOf.get(e);
            // With no build beside it, every linked entry is the check's own (a build script's dependency).
            boolean toCheck = checking && (k.equals(BuildIdentity.CHECK) || k.equals("either")
                    || k.equals(BuildIdentity.BUILD) && (!built || !checked.contains(e.crate())));
            boolean toBuild = (!checking || built) && !k.equals(BuildIdentity.CHECK);
            if (toCheck && clippy && !members.contains(e.packageName())) {
                out.computeIfAbsent(BuildIdentity.CLIPPY, x -> new ArrayList<>()).add(e);
            }
            if (toCheck && (!clippy || checkBesideClippy)) {
                out.computeIfAbsent(BuildIdentity.CHECK, x -> new ArrayList<>()).add(e);
            }
            if (toBuild) {
                out.computeIfAbsent(BuildIdentity.BUILD, x -> new ArrayList<>()).add(e);
            }
        }
        return out;
    }
}
