package io.kache.core.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Map;
import java.util.Optional;

/**
 * The directory the kache server lives in: its socket, lock and log. Another local user must never
 * reach or steer the server, so before anything is created in it the directory must be the
 * server's user's own: a real directory (not a symlink), owned by that uid, with mode 0700 —
 * what the native client checks before it connects. Inside, files are opened without following
 * symlinks, so a link left there never makes the server write elsewhere. Only peers of the
 * directory's owner are served.
 */
public final class ServerDirectory {

    private static final int TYPE_MASK = 0170000;
    private static final int DIRECTORY = 0040000;
    private static final int SYMLINK = 0120000;

    private final Path dir;
    private final UserPrincipal owner;

    private ServerDirectory(Path dir, UserPrincipal owner) {
        this.dir = dir;
        this.owner = owner;
    }

    /**
     * The longest directory kache-client can name a socket in: {@code sun_path} holds 107 bytes, and
     * the socket's name ({@code server-SIZE-MTIME-DEV-INODE-mUMASK.sock}, from the jar) takes about 50.
     */
    static final int MAX_LENGTH = 107 - 1 - 50;

    /**
     * The server directory kache-client uses with {@code env}: {@code KACHE_SERVER_DIR}, else
     * {@code /tmp/kache-UID}. Trailing slashes name the same directory (a symlink with one is still
     * a symlink), as for the client.
     *
     * @throws UnsafeServerDirectoryException if {@code KACHE_SERVER_DIR} is relative: cargo runs
     *     each rustc call in its package's directory, so it would name a directory, and start a
     *     server, per crate; the client uses no server then
     */
    public static Path named(Map<String, String> env, long uid) throws UnsafeServerDirectoryException {
        String configured = env.get("KACHE_SERVER_DIR");
        if (configured == null || configured.isEmpty()) {
            return Path.of("/tmp/kache-" + uid);
        }
        Path dir = Path.of(configured);
        if (!dir.isAbsolute()) {
            throw new UnsafeServerDirectoryException(dir, "is a relative path, another directory for each crate"
                    + " cargo compiles; allowed: an absolute path");
        }
        return dir;
    }

    /**
     * The user's own directory for what every kache process of a build shares (notices, the debug
     * log of calls run in a JVM of their own): the server directory of {@code env} ({@link #named}),
     * or {@code /tmp/kache-UID} when that one is refused, so that these work where no server is used.
     *
     * @throws UnsafeServerDirectoryException if {@code /tmp/kache-UID} is refused too
     */
    public static ServerDirectory ofUser(Map<String, String> env, long uid) throws IOException {
        try {
            return claim(named(env, uid), uid);
        } catch (UnsafeServerDirectoryException e) {
            return claim(named(Map.of(), uid), uid);
        }
    }

    /**
     * Why kache-client uses no server with {@code env} ({@link #named}, judged by {@link #claim}),
     * or empty if it may. A directory not made yet is made, as the client's first call makes it;
     * one that cannot be made is refused, as the client refuses it.
     */
    public static Optional<String> refusal(Map<String, String> env, long uid) {
        Path dir;
        try {
            dir = named(env, uid);
        } catch (UnsafeServerDirectoryException e) {
            return Optional.of(e.getMessage());
        }
        if (dir.toString().length() > MAX_LENGTH) {
            return Optional.of("the server directory " + dir + " is too long for the socket in it (" + dir.toString().length()
                    + " characters; a socket's path holds 107 bytes, so at most about " + MAX_LENGTH + ")");
        }
        try {
            claim(dir, uid);
            return Optional.empty();
        } catch (UnsafeServerDirectoryException e) {
            return Optional.of(e.getMessage());
        } catch (IOException | RuntimeException e) {
            return Optional.of("the server directory " + dir + " cannot be made (" + e + ")");
        }
    }

    /**
     * Creates {@code dir} with mode 0700 when absent, then checks that it belongs to {@code uid}
     * alone. Its parents are created as usual when missing.
     *
     * @throws UnsafeServerDirectoryException if the directory is a symlink, not a directory,
     *     owned by another uid or open to others; nothing was created in it
     */
    public static ServerDirectory claim(Path dir, long uid) throws IOException {
        Path absolute = dir.toAbsolutePath();
        if (absolute.getParent() != null) {
            Files.createDirectories(absolute.getParent());
        }
        try {
            Files.createDirectory(absolute, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
        } catch (FileAlreadyExistsException e) {
            // Anything already there, ours or not, is judged below like any existing directory.
        }
        Map<String, Object> a = Files.readAttributes(absolute, "unix:mode,uid", LinkOption.NOFOLLOW_LINKS);
        Optional<String> problem = problem((Integer) a.get("mode"), (Integer) a.get("uid"), uid);
        if (problem.isPresent()) {
            throw new UnsafeServerDirectoryException(absolute, problem.get());
        }
        return new ServerDirectory(absolute, Files.getOwner(absolute, LinkOption.NOFOLLOW_LINKS));
    }

    /**
     * Why a directory with {@code mode} (as {@code lstat} gives it) owned by {@code ownerUid} is no
     * place for the server of {@code uid}, or empty if it is.
     */
    static Optional<String> problem(int mode, int ownerUid, long uid) {
        int type = mode & TYPE_MASK;
        if (type == SYMLINK) {
            return Optional.of("is a symbolic link; allowed: a directory of its own");
        }
        if (type != DIRECTORY) {
            return Optional.of("is not a directory");
        }
        if (Integer.toUnsignedLong(ownerUid) != uid) {
            return Optional.of("is owned by uid " + Integer.toUnsignedLong(ownerUid) + ", not by this user (uid "
                    + uid + ")");
        }
        if ((mode & 077) != 0) {
            return Optional.of(String.format("can be entered by others (mode %04o); allowed: mode 0700", mode & 07777));
        }
        return Optional.empty();
    }

    public Path path() {
        return dir;
    }

    /** Whether {@code peer} is the directory's owner: the one user the server serves. */
    boolean admits(UserPrincipal peer) {
        // The JDK's Unix principals are equal exactly when their uids are (names play no part).
        return owner.equals(peer);
    }

    /** Opens (creating) the lock file {@code name}; a symlink there is an error, never followed. */
    FileChannel openLock(String name) throws IOException {
        Path file = dir.resolve(name);
        try {
            return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            // The JDK reports O_NOFOLLOW's ELOOP as a plain IOException.
            if (Files.isSymbolicLink(file)) {
                throw new UnsafeServerDirectoryException(dir, "holds a symbolic link named " + name);
            }
            throw e;
        }
    }

    /** Appends {@code line} to the file {@code name}, created if needed; a symlink there is an error, never followed. */
    public void append(String name, String line) throws IOException {
        appendAndMeasure(name, line);
    }

    /**
     * Appends {@code line} to the file {@code name} as {@link #append} does, and returns the size of
     * the file it appended to, right after: read from the open file, not from the name, which another
     * process may have renamed meanwhile.
     */
    public long appendAndMeasure(String name, String line) throws IOException {
        try (FileChannel file = FileChannel.open(dir.resolve(name), StandardOpenOption.CREATE,
                StandardOpenOption.APPEND, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            // One write of the whole line: with O_APPEND, lines of processes side by side never interleave.
            ByteBuffer bytes = StandardCharsets.UTF_8.encode(line);
            while (bytes.hasRemaining()) {
                file.write(bytes);
            }
            return file.size();
        }
    }

    /**
     * Renames the file {@code name} to {@code name.1}, replacing an older one, if it holds more than
     * {@code maxBytes}. The rename is atomic: a process appending at once writes to the old file or
     * to a new one. Of two processes that both found the file too long, the second finds the new,
     * short file under the name and leaves it: it does not push the first one's rotated file out.
     */
    public void rotate(String name, long maxBytes) throws IOException {
        Path file = dir.resolve(name);
        try {
            if (Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).size() <= maxBytes) {
                return;
            }
            Files.move(file, dir.resolve(name + ".1"), StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException e) {
            // Renamed by another process, and nothing appended since: the next line starts the new file.
        }
    }

    /** Deletes the entry {@code name} — a symlink itself, not what it points to. */
    void delete(String name) throws IOException {
        Files.deleteIfExists(dir.resolve(name));
    }
}
