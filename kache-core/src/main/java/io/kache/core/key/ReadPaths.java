package io.kache.core.key;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The paths on disk a key part was computed from besides the call's sources and externs, as the
 * checks after the compile need them: the native link inputs ({@link LinkInputs}) and clippy's
 * configuration ({@link ClippyInputs}). Whatever happens at them while rustc runs may be what it read,
 * and then the entry is not stored.
 *
 * @param read the files and directories that were there: each must be unchanged after the compile
 *     (one gone has changed: what rustc read is no longer there to tell)
 * @param noFile the paths looked at where no file was (a library, a linker script or a configuration
 *     not there): each must still hold none after the compile
 * @param noDirectory the directories that were not there: each must still be none after the compile
 *     (cargo names a build script's {@code OUT_DIR} before it exists, which then never counts)
 */
public record ReadPaths(List<Path> read, List<Path> noFile, List<Path> noDirectory) {

    public ReadPaths {
        read = List.copyOf(read);
        noFile = List.copyOf(noFile);
        noDirectory = List.copyOf(noDirectory);
    }

    /** These paths and {@code more}'s. */
    public ReadPaths plus(ReadPaths more) {
        return new ReadPaths(joined(read, more.read), joined(noFile, more.noFile), joined(noDirectory, more.noDirectory));
    }

    private static List<Path> joined(List<Path> a, List<Path> b) {
        List<Path> both = new ArrayList<>(a);
        both.addAll(b);
        return both;
    }
}
