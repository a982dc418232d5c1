package io.kache.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a cargo config file and replaces it with an edit of what was read, atomically and without
 * losing an edit someone else saved meanwhile.
 *
 * <p>Nothing locks a cargo config: cargo takes no lock on it, and neither do editors, so a lock of
 * kache's would stop only other kache runs. Instead the file is read again just before the rename:
 * if its bytes are no longer those the edit was made from, nothing is written and the caller starts
 * over from the new bytes. What remains is the moment between that check and the rename, not the
 * whole run; an editor that saves in that moment is the one that wins, as between two editors.
 */
final class CargoConfigFile {

    /** How many times a caller starts over before it gives up on a file that keeps changing. */
    static final int ATTEMPTS = 3;

    /**
     * What was read.
     *
     * @param file the file as named (it may be a link)
     * @param bytes its bytes, or empty when there was no file
     * @param text the bytes as text; empty when there was no file
     */
    record Snapshot(Path file, Optional<byte[]> bytes, String text) {
    }

    private CargoConfigFile() {
    }

    /** Reads {@code file}, following links; a missing file reads as empty. */
    static Snapshot read(Path file) throws CargoConfigException {
        try {
            byte[] bytes = Files.readAllBytes(file);
            return new Snapshot(file, Optional.of(bytes),
                    StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString());
        } catch (NoSuchFileException e) {
            return new Snapshot(file, Optional.empty(), "");
        } catch (CharacterCodingException e) {
            throw new CargoConfigException("not UTF-8 text, so not a TOML file", e);
        } catch (AccessDeniedException e) {
            throw new CargoConfigException("cannot be read: permission denied", e);
        } catch (IOException e) {
            throw new CargoConfigException("cannot be read: " + e, e);
        }
    }

    /**
     * Replaces the file (the target of a symlink) with {@code text} atomically, keeping its
     * permissions, if it still holds what {@code read} found.
     *
     * @return false, with nothing written, if the file changed since {@code read}
     */
    static boolean replace(Snapshot read, String text) throws CargoConfigException {
        try {
            Path target = writeTarget(read.file());
            // Replaced by a rename, the file's own mode would not stop kache: a file made read-only
            // (no owner write bit; root too, who could write it anyway) is left as it was, as an
            // editor would leave it.
            if (Files.exists(target) && (!Files.isWritable(target)
                    || !Files.getPosixFilePermissions(target).contains(PosixFilePermission.OWNER_WRITE))) {
                throw new CargoConfigException("is read-only; left as it was (make it writable, or set"
                        + " [build] rustc-wrapper yourself)");
            }
            Files.createDirectories(target.getParent());
            Path temp = Files.createTempFile(target.getParent(), ".kache-init-", ".tmp");
            try {
                Files.writeString(temp, text, StandardCharsets.UTF_8);
                Set<PosixFilePermission> mode = Files.exists(target) ? Files.getPosixFilePermissions(target)
                        : Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                                PosixFilePermission.GROUP_READ, PosixFilePermission.OTHERS_READ);
                Files.setPosixFilePermissions(temp, mode);
                if (!unchanged(read, target)) {
                    return false;
                }
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                return true;
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw new CargoConfigException("cannot be written: " + e, e);
        }
    }

    private static boolean unchanged(Snapshot read, Path target) throws IOException {
        byte[] now;
        try {
            now = Files.readAllBytes(target);
        } catch (NoSuchFileException e) {
            return read.bytes().isEmpty();
        }
        return read.bytes().isPresent() && Arrays.equals(read.bytes().get(), now);
    }

    /**
     * The file to replace: where a symbolic link leads, followed link by link, so the link stays a
     * link even when what it names does not exist yet (a config kept in a dotfiles repository).
     */
    private static Path writeTarget(Path file) throws IOException {
        Path target = file;
        for (int hops = 0; Files.isSymbolicLink(target); hops++) {
            if (hops == 40) {
                throw new IOException(file + ": too many levels of symbolic links");
            }
            target = target.resolveSibling(Files.readSymbolicLink(target));
        }
        return Files.exists(target) ? target.toRealPath() : target;
    }
}
