package io.kache.core.hash;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * What identifies one version of a file's content without reading it: device, inode, size,
 * modification and change time. Any write changes mtime and ctime; a rename or a new hard link
 * changes ctime; so a memoized hash is reused only while all five agree.
 */
public record FileIdentity(long dev, long ino, long size, long mtimeNanos, long ctimeNanos) {

    private static final String ATTRIBUTES = "unix:dev,ino,size,lastModifiedTime,ctime";

    /**
     * The identity of {@code file} (following links), or empty where the platform has no
     * {@code unix} attribute view, in which case nothing is memoized.
     */
    public static Optional<FileIdentity> of(Path file) throws IOException {
        Map<String, Object> a;
        try {
            a = Files.readAttributes(file, ATTRIBUTES);
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            return Optional.empty();
        }
        return Optional.of(new FileIdentity((Long) a.get("dev"), (Long) a.get("ino"), (Long) a.get("size"),
                nanos(a.get("lastModifiedTime")), nanos(a.get("ctime"))));
    }

    /** The later of mtime and ctime: when the content or the inode last changed. */
    public long lastChangeNanos() {
        return Math.max(mtimeNanos, ctimeNanos);
    }

    private static long nanos(Object time) {
        return ((FileTime) time).to(TimeUnit.NANOSECONDS);
    }
}
