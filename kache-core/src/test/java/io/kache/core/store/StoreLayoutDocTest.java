package io.kache.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docs/store.md shows the store's directory as one table, and it is the table of the code. */
class StoreLayoutDocTest {

    private static final Pattern ROW = Pattern.compile("^\\| `([^`/]+)[^`]*` \\|", Pattern.MULTILINE);

    @TempDir
    Path temp;

    @Test
    void theDocumentedTableNamesExactlyWhatStoreLayoutDefines() throws IOException {
        Path doc = Path.of("..", "docs", "store.md");
        assertTrue(Files.isRegularFile(doc), "run from the kache-core module: " + doc.toAbsolutePath());
        Matcher m = ROW.matcher(Files.readString(doc));
        Set<String> documented = new TreeSet<>();
        while (m.find()) {
            documented.add(m.group(1));
        }
        assertEquals(new TreeSet<>(StoreLayout.NAMES), documented);
    }

    @Test
    void everyPathTheLayoutGivesIsUnderOneOfItsNames() {
        StoreLayout layout = new StoreLayout(temp);
        for (Path p : new Path[] {layout.blobsDir(), layout.locksDir(), layout.tmpDir(), layout.quarantineDir(),
                layout.storeLock(), layout.counters(), layout.passthroughReasons(), layout.hashes(),
                layout.callKeysDir(), layout.pendingDir(), layout.uploaderLock("0123456789abcdef"), layout.uploaderLog(),
                layout.toolchainsDir(), layout.remoteUnavailable("0123456789abcdef"), layout.blob("ab".repeat(32)),
                layout.newTemp("x")}) {
            Path rel = temp.relativize(p);
            assertTrue(StoreLayout.NAMES.contains(rel.getName(0).toString()), rel.toString());
        }
    }
}
