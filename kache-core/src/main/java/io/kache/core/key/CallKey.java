package io.kache.core.key;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A call key and the paths on disk it was computed from besides the call's sources and externs:
 * the native link inputs ({@link LinkInputs}) and, for clippy, its configuration file
 * ({@link ClippyInputs}). Computed once rustc's start stamp is read, so that whatever happens at
 * those paths while rustc runs can be told after the compile, and the entry kept out.
 *
 * @param key the call key
 * @param read the files and directories that were there: each must be unchanged after the compile
 *     (one gone has changed: what rustc read is no longer there to tell)
 * @param noFile the paths looked at where no file was (a library or linker script not there): each
 *     must still hold none after the compile
 * @param noDirectory the search directories that were not there: each must still be none after the
 *     compile (cargo names a build script's {@code OUT_DIR} before it exists, which then never counts)
 */
public record CallKey(String key, List<Path> read, List<Path> noFile, List<Path> noDirectory) {

    public CallKey {
        read = List.copyOf(read);
        noFile = List.copyOf(noFile);
        noDirectory = List.copyOf(noDirectory);
    }

    /** This key, having also read {@code moreRead} and found none at {@code moreNoFile} and {@code moreNoDirectory}. */
    public CallKey with(List<Path> moreRead, List<Path> moreNoFile, List<Path> moreNoDirectory) {
        return new CallKey(key, joined(read, moreRead), joined(noFile, moreNoFile),
                joined(noDirectory, moreNoDirectory));
    }

    private static List<Path> joined(List<Path> a, List<Path> b) {
        List<Path> both = new ArrayList<>(a);
        both.addAll(b);
        return both;
    }
}
