package io.kache.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.api.CorruptedEntryException;
import io.kache.core.pack.HostilePackTest;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The hostile pack corpus imported into a store: refused, and the store left as it was. */
class HostileImportTest {

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.kache.core.pack.HostilePackTest#corpus")
    void importIsRefusedAndLeavesNothing(String name, byte[] pack, String expected) throws Exception {
        Path root = tmp.resolve("store");
        try (LocalStore store = LocalStore.open(root, 1L << 30)) {
            CorruptedEntryException e = assertThrows(CorruptedEntryException.class,
                    () -> store.importPack(HostilePackTest.KEY, new ByteArrayInputStream(pack)));
            assertTrue(e.getMessage().contains(HostilePackTest.KEY.toString()), name + ": " + e.getMessage());
            assertFalse(store.contains(HostilePackTest.KEY));
            assertEquals(List.of(), store.list(Optional.empty()));
            try (Stream<Path> files = Files.walk(root)) {
                List<Path> written = files.filter(Files::isRegularFile)
                        .filter(p -> !p.getFileName().toString().equals("store.lock")).toList();
                assertEquals(List.of(), written, name);
            }
            try (Stream<Path> outside = Files.list(tmp)) {
                assertEquals(List.of(root), outside.toList(), name + ": nothing written beside the store");
            }
        }
    }
}
