package io.kache.core.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** A local store made to fail as a full disk would, whoever runs the test (root ignores permissions). */
public final class StoreFaults {

    private StoreFaults() {
    }

    /** Replaces the store's temp directory by a file: every file it stages (an import's blobs) fails to open. */
    public static void cannotTakeFiles(Path storeRoot) throws IOException {
        Path tmp = storeRoot.resolve(StoreLayout.TMP);
        try (Stream<Path> left = Files.list(tmp)) {
            for (Path p : left.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(tmp);
        Files.writeString(tmp, "not a directory");
    }
}
