package io.kache.core.remote.filesystem;

import io.kache.api.StoreAccessDeniedException;
import io.kache.api.StoreException;
import io.kache.api.StoreMisconfiguredException;
import io.kache.api.StoreUnavailableException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Maps the JDK's file errors to the store's exception tree, by exception type and by asking the
 * file system, never by reading message text.
 */
final class FilesystemErrors {

    private final Path root;

    FilesystemErrors(Path root) {
        this.root = root;
    }

    /**
     * @param e what the JDK threw
     * @param path the file or directory the operation touched
     * @param operation what was attempted, e.g. {@code read} or {@code write}
     */
    StoreException map(IOException e, Path path, String operation) {
        if (e instanceof StoreException s) {
            return s;
        }
        if (e instanceof AccessDeniedException || (e instanceof FileSystemException && isReadOnly(path))) {
            return new StoreAccessDeniedException(path.toString(), operation,
                    "check the permissions of the shared directory " + root, e);
        }
        if (!Files.isDirectory(root)) {
            return missingRoot();
        }
        return new StoreUnavailableException(operation + " of " + path + " failed: " + e, e);
    }

    /** The shared directory is gone or was never there: a configuration problem, not a transient one. */
    StoreMisconfiguredException missingRoot() {
        String problem = Files.exists(root) ? "is not a directory" : "does not exist";
        return new StoreMisconfiguredException("shared directory " + root + " " + problem
                + " (remote type filesystem, [cache.remote] path); create or mount it");
    }

    // EROFS arrives as a plain FileSystemException; the file store knows whether it is read-only.
    private boolean isReadOnly(Path path) {
        for (Path p = path; p != null; p = p.getParent()) {
            if (Files.exists(p)) {
                try {
                    return Files.getFileStore(p).isReadOnly();
                } catch (IOException e) {
                    return false;
                }
            }
        }
        return false;
    }
}
