package io.kache.core.key;

/**
 * A call key and the paths on disk it was computed from besides the call's sources and externs.
 * Computed once rustc's start stamp is read, so that whatever happens at those paths while rustc
 * runs can be told after the compile, and the entry kept out.
 *
 * @param key the call key
 * @param paths what it read, and where it found nothing
 */
public record CallKey(String key, ReadPaths paths) {

    /** This key, having also read {@code more}. */
    public CallKey with(ReadPaths more) {
        return new CallKey(key, paths.plus(more));
    }
}
