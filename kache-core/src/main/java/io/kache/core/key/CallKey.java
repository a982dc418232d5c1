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
 * @param absent the paths looked at where nothing was: each must still be empty after the compile
 *     (cargo names a build script's {@code OUT_DIR} before it exists, which then never counts)
 */
public record CallKey(String key, List<Path> read, List<Path> absent) {

    public CallKey {
        read = List.copyOf(read);
        absent = List.copyOf(absent);
    }

    /** This key, having read {@code moreRead} and found {@code moreAbsent} empty too. */
    public CallKey with(List<Path> moreRead, List<Path> moreAbsent) {
        List<Path> r = new ArrayList<>(read);
        r.addAll(moreRead);
        List<Path> a = new ArrayList<>(absent);
        a.addAll(moreAbsent);
        return new CallKey(key, r, a);
    }
}
