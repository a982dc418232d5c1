package io.kache.core.hash;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which devices hold a file system that this machine's kernel stamps: a local one, whose file
 * times come from the kernel clock {@link FileIdentity#settledAt} reasons about. A network or
 * user-space file system (NFS, SMB, FUSE, 9p, virtiofs) may be stamped by another machine's
 * clock, so it is not one of them. Asked once per device per process: finding a file's mount
 * reads the mount table.
 */
final class LocalClockDevices {

    /** File system types whose times the local kernel sets (overlay: those of its local layers). */
    static final Set<String> LOCAL_TYPES = Set.of("ext2", "ext3", "ext4", "xfs", "btrfs", "tmpfs", "f2fs", "zfs",
            "bcachefs", "overlay", "jfs", "reiserfs");

    private static final ConcurrentHashMap<Long, Boolean> BY_DEVICE = new ConcurrentHashMap<>();

    private LocalClockDevices() {
    }

    /** Whether device {@code dev}, which holds {@code file}, is a local file system. */
    static boolean stampsLocally(long dev, Path file) {
        Boolean known = BY_DEVICE.get(dev);
        if (known != null) {
            return known;
        }
        boolean local = isLocalType(type(file));
        BY_DEVICE.put(dev, local);
        return local;
    }

    static boolean isLocalType(String type) {
        return LOCAL_TYPES.contains(type);
    }

    private static String type(Path file) {
        try {
            return Files.getFileStore(file).type();
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
