package io.kache.core.key;

import io.kache.core.rustc.DepInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns a dep-info into an {@link InputSet} (hashing each file), and checks whether a remembered
 * {@link InputSet} still describes the files and environment of a new call.
 */
public final class InputScanner {

    private InputScanner() {
    }

    /**
     * Hashes every file the dep-info lists, records every env-dep, the other form of each module
     * file that is absent now ({@link ModuleAlternatives}), and the names held by each directory of
     * inputs ({@link DirectoryListings}).
     */
    public static InputSet scan(DepInfo depInfo, KeyContext ctx) throws IOException {
        List<InputSet.InputFile> files = new ArrayList<>();
        List<String> absent = new ArrayList<>();
        Set<String> listed = new HashSet<>();
        for (String input : depInfo.inputs()) {
            Path file = ctx.resolve(input);
            files.add(new InputSet.InputFile(ctx.normalizedPath(input), ctx.hasher().sha256(file)));
            Optional<Path> other = ModuleAlternatives.of(file);
            if (other.isPresent() && !exists(other.get())) {
                absent.add(ctx.normalizedPath(other.get().toString()));
            }
            for (DirectoryListings.Listing listing : DirectoryListings.of(file, ctx)) {
                if (listed.add(listing.inputPath())) {
                    files.add(new InputSet.InputFile(listing.inputPath(), listing.sha256()));
                }
            }
        }
        List<InputSet.EnvValue> env = new ArrayList<>();
        for (DepInfo.EnvDep dep : depInfo.envDeps()) {
            env.add(new InputSet.EnvValue(dep.name(), dep.value().map(ctx.sentinels()::normalize)));
        }
        return new InputSet(files, env, absent, List.of());
    }

    /**
     * Whether every file of {@code remembered} still has its recorded content at this call's
     * paths, every env-dep still has its recorded value in this call's environment, every path
     * that must be absent is, and every directory the outputs embed is this call's directory of
     * that name.
     */
    public static boolean stillMatches(InputSet remembered, KeyContext ctx) throws IOException {
        RecordedListings listings = null;
        if (!remembered.roots().isEmpty()) {
            Map<String, String> local = ctx.sentinels().roots();
            for (InputSet.BoundRoot r : remembered.roots()) {
                if (!r.path().equals(local.get(r.name()))) {
                    return false;
                }
            }
        }
        for (InputSet.EnvValue e : remembered.env()) {
            Optional<String> now = Optional.ofNullable(ctx.env().get(e.name())).map(ctx.sentinels()::normalize);
            if (!now.equals(e.value())) {
                return false;
            }
        }
        for (String path : remembered.absent()) {
            if (exists(Path.of(ctx.sentinels().expand(path)))) {
                return false;
            }
        }
        for (InputSet.InputFile f : remembered.files()) {
            String expanded = ctx.sentinels().expand(f.path());
            if (DirectoryListings.isListing(f.path())) {
                if (!DirectoryListings.sha256(expanded).equals(f.sha256())) {
                    return false;
                }
                continue;
            }
            Path file = Path.of(expanded);
            if (!Files.isRegularFile(file) || !ctx.hasher().sha256(file).equals(f.sha256())) {
                return false;
            }
            if (listings == null) {
                listings = new RecordedListings(remembered);
            }
            if (!listings.cover(file, ctx)) {
                // Recorded before listings were keyed (an older kache's entry): compiled once more.
                return false;
            }
        }
        return true;
    }

    /** The listings an input set holds, asked for each input's directories, each directory once. */
    private static final class RecordedListings {
        private final Set<String> paths = new HashSet<>();
        private final Set<Path> walked = new HashSet<>();

        RecordedListings(InputSet set) {
            for (InputSet.InputFile f : set.files()) {
                if (DirectoryListings.isListing(f.path())) {
                    paths.add(f.path());
                }
            }
        }

        /** Whether the set lists every directory {@code file}'s listings would name ({@link DirectoryListings#of}). */
        boolean cover(Path file, KeyContext ctx) {
            if (!walked.add(file.getParent())) {
                return true; // its directory's chain was asked for another of its files
            }
            for (DirectoryListings.Listing l : DirectoryListings.of(file, ctx)) {
                if (!paths.contains(l.inputPath())) {
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * Whether anything is at {@code path}, as rustc asks when it resolves a module (a directory or a
     * symlink to one counts). java.io: a missing file is a false, not a thrown exception.
     */
    private static boolean exists(Path path) {
        return path.toFile().exists();
    }
}
