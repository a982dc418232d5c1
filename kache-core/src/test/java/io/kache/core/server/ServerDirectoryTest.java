package io.kache.core.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which directory a {@code KACHE_SERVER_DIR} names, and whether kache-client uses it: as the client decides. */
class ServerDirectoryTest {

    private static final long UID = new com.sun.security.auth.module.UnixSystem().getUid();

    @TempDir
    Path tmp;

    @Test
    void unsetOrEmptyNamesTheUsersDirectoryInTmp() throws Exception {
        assertEquals(Path.of("/tmp/kache-" + UID), ServerDirectory.named(Map.of(), UID));
        assertEquals(Path.of("/tmp/kache-" + UID), ServerDirectory.named(Map.of("KACHE_SERVER_DIR", ""), UID));
    }

    @Test
    void aRelativePathNamesNoServerDirectory() {
        UnsafeServerDirectoryException e = assertThrows(UnsafeServerDirectoryException.class,
                () -> ServerDirectory.named(Map.of("KACHE_SERVER_DIR", "target/kache"), UID));
        assertTrue(e.getMessage().contains("target/kache is a relative path"), e.getMessage());
        assertTrue(ServerDirectory.refusal(Map.of("KACHE_SERVER_DIR", "target/kache"), UID).orElseThrow()
                .contains("relative path"));
    }

    @Test
    void aSymlinkIsRefusedWithATrailingSlashToo() throws Exception {
        Path real = Files.createDirectory(tmp.resolve("real"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path link = Files.createSymbolicLink(tmp.resolve("link"), real);
        for (String value : new String[] {link.toString(), link + "/", link + "//"}) {
            assertEquals(link, ServerDirectory.named(Map.of("KACHE_SERVER_DIR", value), UID), value);
            String why = ServerDirectory.refusal(Map.of("KACHE_SERVER_DIR", value), UID).orElseThrow();
            assertTrue(why.contains(link + " is a symbolic link"), why);
        }
        assertEquals(Optional.empty(), ServerDirectory.refusal(Map.of("KACHE_SERVER_DIR", real + "/"), UID));
    }

    @Test
    void aDirectoryNotMadeYetIsMadeAndOneThatCannotBeIsRefused() throws Exception {
        Path dir = tmp.resolve("a/b");
        assertEquals(Optional.empty(), ServerDirectory.refusal(Map.of("KACHE_SERVER_DIR", dir.toString()), UID));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        String why = ServerDirectory.refusal(Map.of("KACHE_SERVER_DIR", "/proc/kache-test/server"), UID).orElseThrow();
        assertTrue(why.contains("/proc/kache-test/server cannot be made"), why);
    }

    /** A directory too long for a socket path in it means no server for kache-client: said so, not silently. */
    @Test
    void aDirectoryTooLongForASocketPathIsRefusedAndSaidSo() {
        String longDir = "/tmp/" + "d".repeat(ServerDirectory.MAX_LENGTH);
        String why = ServerDirectory.refusal(Map.of("KACHE_SERVER_DIR", longDir), UID).orElseThrow();
        assertTrue(why.contains("too long"), why);
        assertFalse(Files.exists(Path.of(longDir)), "nothing made for it");
    }
}
