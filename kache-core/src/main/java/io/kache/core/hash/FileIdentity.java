package io.kache.core.hash;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
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

    // equals and hashCode by hand: a record's own are bootstrapped through invokedynamic, which cost
    // a fresh kache server milliseconds at the first comparison, in the middle of a build's call.
    @Override
    public boolean equals(Object o) {
        return o instanceof FileIdentity other && dev == other.dev && ino == other.ino && size == other.size
                && mtimeNanos == other.mtimeNanos && ctimeNanos == other.ctimeNanos;
    }

    @Override
    public int hashCode() {
        long h = dev;
        h = h * 31 + ino;
        h = h * 31 + size;
        h = h * 31 + mtimeNanos;
        h = h * 31 + ctimeNanos;
        return Long.hashCode(h);
    }

    /**
     * The identity of {@code file} (following links), or empty where the platform has no
     * {@code unix} attribute view, in which case nothing is memoized.
     */
    public static Optional<FileIdentity> of(Path file) throws IOException {
        return read(file);
    }

    /** The identity of {@code path} itself, a symbolic link's own where it is one (lstat). */
    public static Optional<FileIdentity> ofLink(Path path) throws IOException {
        return read(path, LinkOption.NOFOLLOW_LINKS);
    }

    private static Optional<FileIdentity> read(Path file, LinkOption... options) throws IOException {
        Map<String, Object> a;
        try {
            a = Files.readAttributes(file, ATTRIBUTES, options);
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            return Optional.empty();
        }
        return Optional.of(new FileIdentity((Long) a.get("dev"), (Long) a.get("ino"), (Long) a.get("size"),
                nanos(a.get("lastModifiedTime")), nanos(a.get("ctime"))));
    }

    /**
     * Whether {@code other} is this file with its content unchanged as far as an identity tells:
     * same inode, size and mtime. The ctime is not compared: it also moves when a hard link to the
     * file comes or goes, which leaves the content alone. (A memoized hash needs all five; this is
     * for telling whether a file was written while kache read it.)
     */
    public boolean sameContentAs(FileIdentity other) {
        return dev == other.dev && ino == other.ino && size == other.size && mtimeNanos == other.mtimeNanos;
    }

    /**
     * Whether {@code file} (this identity's) changed after {@code stampNanos}, a time read from
     * {@link FileClock} just before a program started: by its ctime too, which no program can set
     * back (an mtime can be: {@code cp -p}, {@code rsync -a}, {@code tar x}).
     *
     * <p>A file stamped finely by this machine's clock counts from the next tick: a write within the
     * tick of the stamp cannot have come after the program read the file, since rustc's start-up
     * alone takes longer than a tick (over 10 ms before it opens a source), while a file a build
     * script generated just before the compile would otherwise never be stored. A file not stamped
     * so (a network file system, another machine's clock) counts as changed from
     * {@link #COARSE_RACY_WINDOW_NANOS} before.
     */
    public boolean changedSince(long stampNanos, Path file) {
        if (racyWindowNanos(file) == FINE_RACY_WINDOW_NANOS) {
            return lastChangeNanos() > stampNanos;
        }
        return lastChangeNanos() >= stampNanos - COARSE_RACY_WINDOW_NANOS;
    }

    /** The later of mtime and ctime: when the content or the inode last changed. */
    public long lastChangeNanos() {
        return Math.max(mtimeNanos, ctimeNanos);
    }

    /**
     * Whether, at {@code nowNanos} (wall clock), no later write to {@code file} (the file this
     * identity is of) can leave this identity unchanged: a write in the same timestamp tick as the
     * last change could, so what is read before that tick is over must not be remembered by
     * identity (git's "racy" files).
     *
     * <p>How long a tick lasts depends on who stamps the file. A local file system ({@link
     * LocalClockDevices}) that keeps sub-millisecond digits in its ctimes stamps files from this
     * machine's kernel clock, which advances at least every 10 ms (HZ &ge; 100):
     * {@link #FINE_RACY_WINDOW_NANOS}, two such ticks, is past it. Anything else (whole seconds,
     * FAT's two, a network file system stamped by another machine's clock, a file whose ctime
     * happens to be round) gets {@link #COARSE_RACY_WINDOW_NANOS}. The fine window matters on the
     * warm path: cargo hard-links each output it uplifts, which moves the ctime of a file kache just
     * restored, and with only the coarse window every call of the next two seconds would read that
     * file again in full (a 5 MB proc-macro, once per dependent crate).
     */
    public boolean settledAt(long nowNanos, Path file) {
        return nowNanos - lastChangeNanos() > racyWindowNanos(file);
    }

    /** The racy window {@link #settledAt} applies to this identity of {@code file}. */
    public long racyWindowNanos(Path file) {
        // The ctime alone tells who stamps the file: every change sets it from the kernel's clock, while
        // an mtime may come from anywhere (tar x, cp -p, cargo unpacking a registry crate: whole
        // seconds from the archive). Judged by both, an unpacked crate compiled within two seconds
        // counted as changed while rustc ran, and a fresh CARGO_HOME stored none of them (found by review).
        return finelyStamped(ctimeNanos) && LocalClockDevices.stampsLocally(dev, file)
                ? FINE_RACY_WINDOW_NANOS : COARSE_RACY_WINDOW_NANOS;
    }

    /** The racy window of anything not known to be stamped finely by this machine's kernel. */
    public static final long COARSE_RACY_WINDOW_NANOS = 2_000_000_000L;

    /** The racy window of a local file system that keeps sub-millisecond times: see {@link #settledAt}. */
    public static final long FINE_RACY_WINDOW_NANOS = 20_000_000L;

    private static boolean finelyStamped(long nanos) {
        return nanos % 1_000_000L != 0;
    }

    private static long nanos(Object time) {
        return ((FileTime) time).to(TimeUnit.NANOSECONDS);
    }
}
