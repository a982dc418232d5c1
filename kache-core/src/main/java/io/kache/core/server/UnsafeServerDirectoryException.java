package io.kache.core.server;

import java.io.IOException;
import java.nio.file.Path;

/** The server's directory is not the server user's own, so the server does not start there. */
public final class UnsafeServerDirectoryException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient Path directory;

    public UnsafeServerDirectoryException(Path directory, String problem) {
        super("the server directory " + directory + " " + problem);
        this.directory = directory;
    }

    public Path directory() {
        return directory;
    }
}
