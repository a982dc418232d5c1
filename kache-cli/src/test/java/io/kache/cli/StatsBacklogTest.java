package io.kache.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kache.api.ArtifactKey;
import io.kache.core.entry.OutputFile;
import io.kache.core.config.ConfigLoader;
import io.kache.core.remote.RemoteDestination;
import io.kache.core.store.LocalStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kache stats} and {@code doctor} show what waits for the remote; {@code stats --reset} zeroes the counters. */
class StatsBacklogTest {

    @TempDir
    Path tmp;
    Map<String, String> env;
    Path store;
    ArtifactKey queued = new ArtifactKey("app", "c".repeat(64));

    @BeforeEach
    void setUp() throws Exception {
        store = tmp.resolve("store");
        Path remote = Files.createDirectories(tmp.resolve("remote"));
        Path config = Files.writeString(tmp.resolve("kache.toml"), "[cache.remote]\ntype = \"filesystem\"\npath = \""
                + remote + "\"\n");
        env = Map.of("KACHE_CACHE_DIR", store.toString(), "HOME", tmp.toString(),
                "XDG_CONFIG_HOME", tmp.resolve("xdg").toString(), "KACHE_CONFIG", config.toString());
        RemoteDestination here = RemoteDestination.of(ConfigLoader.load(env, tmp).remoteSettings().orElseThrow());
        try (LocalStore s = LocalStore.open(store, 1L << 30)) {
            Path f = Files.write(tmp.resolve("libapp.rlib"), new byte[4096]);
            s.put(queued, List.of(new OutputFile("libapp.rlib", f)), null, null, Map.of());
            s.recordHit(4096);
            s.recordMiss();
            s.pendingUploads().add(queued, here);
            // What a build writes when this project's remote failed it.
            s.remoteHealth(here).markFailed("the remote did not answer within 3s");
        }
    }

    private CliRun kache(String... args) {
        return CliRun.of(env, tmp, args);
    }

    @Test
    void statsShowsPendingUploadsAndARemoteLeftAlone() throws Exception {
        CliRun text = kache("stats");
        assertTrue(text.out().contains("pending uploads  1 entry (4.0 KiB), oldest queued "), text.out());
        assertTrue(text.out().contains("remote           unavailable until ")
                && text.out().contains("(the remote did not answer within 3s)"), text.out());

        JsonNode json = new ObjectMapper().readTree(kache("stats", "--json").out());
        assertEquals(1, json.get("pendingUploads").get("count").asInt());
        assertEquals(4096, json.get("pendingUploads").get("bytes").asLong());
        assertTrue(json.get("pendingUploads").get("oldest").isTextual());
        assertTrue(json.get("remoteUnavailable").get("until").isTextual());
    }

    @Test
    void doctorShowsTheBacklog() {
        CliRun doctor = kache("doctor");
        assertTrue(doctor.out().contains("pending uploads: 1 entry") && doctor.out().contains("the remote is unavailable until")
                && doctor.out().contains("kache sync --push"), doctor.out());
    }

    /** What the uploader records when the remote refuses its writes (RemoteHealth): stats and doctor say it. */
    @Test
    void statsAndDoctorShowARemoteThatRefusedUploads() throws Exception {
        RemoteDestination here = RemoteDestination.of(ConfigLoader.load(env, tmp).remoteSettings().orElseThrow());
        Files.writeString(store.resolve("remote-unavailable").resolve(here.id() + ".refused"),
                "access denied: PutObject on /mnt/ro (read-only file system)\n");
        CliRun stats = kache("stats");
        assertTrue(stats.out().contains("refused the upload of entries at ")
                && stats.out().contains("(access denied: PutObject on /mnt/ro (read-only file system))")
                && stats.out().contains("remote_readonly = true"), stats.out());
        assertTrue(kache("doctor").out().contains("refused the upload of entries at "));
    }

    /** stats --json says the refusal the text says: when and why, null when uploads go through. */
    @Test
    void statsJsonShowsARemoteThatRefusedUploads() throws Exception {
        assertTrue(new ObjectMapper().readTree(kache("stats", "--json").out()).get("uploadsRefused").isNull());
        RemoteDestination here = RemoteDestination.of(ConfigLoader.load(env, tmp).remoteSettings().orElseThrow());
        Path marker = store.resolve("remote-unavailable").resolve(here.id() + ".refused");
        Files.writeString(marker, "access denied: PutObject on /mnt/ro (read-only file system)\n");

        JsonNode refused = new ObjectMapper().readTree(kache("stats", "--json").out()).get("uploadsRefused");
        assertEquals("access denied: PutObject on /mnt/ro (read-only file system)", refused.get("why").asText());
        assertEquals(Files.getLastModifiedTime(marker).toInstant().toString(), refused.get("at").asText());
    }

    /** An upload the remote rejected (a missing bucket, a proxy): stats and doctor name it and the fix, not write access. */
    @Test
    void statsAndDoctorShowARemoteThatRejectedUploads() throws Exception {
        RemoteDestination here = RemoteDestination.of(ConfigLoader.load(env, tmp).remoteSettings().orElseThrow());
        try (LocalStore s = LocalStore.open(store, 1L << 30)) {
            s.remoteHealth(here).markWriteRejected("bucket 'build-cache' does not exist at http://127.0.0.1:9000");
        }
        CliRun stats = kache("stats");
        assertTrue(stats.out().contains("rejected the upload of entries at ")
                && stats.out().contains("(bucket 'build-cache' does not exist at http://127.0.0.1:9000)")
                && stats.out().contains("fix what the error names"), stats.out());
        assertFalse(stats.out().contains("write access"), stats.out());
        assertTrue(kache("doctor").out().contains("rejected the upload of entries at "));
        JsonNode refused = new ObjectMapper().readTree(kache("stats", "--json").out()).get("uploadsRefused");
        assertEquals("bucket 'build-cache' does not exist at http://127.0.0.1:9000", refused.get("why").asText());
        assertEquals("rejected", refused.get("kind").asText());
    }

    /** sync --push answers "no remote is configured": doctor must not send the user there. */
    @Test
    void doctorSaysEntriesQueuedForARemoteConfiguredEarlierWaitForIt() throws Exception {
        Map<String, String> noRemote = new HashMap<>(env);
        noRemote.remove("KACHE_CONFIG");
        CliRun doctor = CliRun.of(noRemote, tmp, "doctor");
        assertTrue(doctor.out().contains("pending uploads: 1 entry") && doctor.out().contains("no remote is configured now")
                && doctor.out().contains("configure that remote again and run kache sync --push"), doctor.out());
        assertFalse(doctor.out().contains("sends them now"), doctor.out());

        RemoteDestination elsewhere = RemoteDestination.of(io.kache.api.RemoteSettings.filesystem(tmp.resolve("old")));
        try (LocalStore s = LocalStore.open(store, 1L << 30)) {
            s.pendingUploads().add(new ArtifactKey("lib", "d".repeat(64)), elsewhere);
        }
        CliRun both = kache("doctor");
        assertTrue(both.out().contains("1 for this remote: kache sync --push sends them now; 1 for another remote"),
                both.out());
    }

    @Test
    void doctorFailsOnAServerDirectoryBuildsRefuse() throws Exception {
        Path open = Files.createDirectories(tmp.resolve("server-open"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxr-xr-x"));
        Map<String, String> withDir = new HashMap<>(env);
        withDir.put("KACHE_SERVER_DIR", open.toString());
        CliRun doctor = CliRun.of(withDir, tmp, "doctor");
        assertTrue(doctor.out().contains("  FAIL  server directory: ") && doctor.out().contains("mode 0755")
                && doctor.out().contains("every rustc call starts a JVM") && doctor.out().contains("chmod 700"),
                doctor.out());
        assertFalse(doctor.out().contains("all checks passed"), doctor.out());
        assertEquals(1, doctor.exit(), doctor.out());

        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwx------"));
        CliRun fixed = CliRun.of(withDir, tmp, "doctor");
        assertTrue(fixed.out().contains("  ok    server directory: " + open), fixed.out());
    }

    @Test
    void resetZeroesTheCountersAndSaysSinceWhen() throws Exception {
        CliRun reset = kache("stats", "--reset");
        assertTrue(reset.out().contains("hits             1") && reset.out().contains("counters reset"), reset.out());
        JsonNode after = new ObjectMapper().readTree(kache("stats", "--json").out());
        assertEquals(0, after.get("hits").asLong());
        assertEquals(0, after.get("misses").asLong());
        assertEquals(1, after.get("entries").asLong(), "entries are not counters");
        assertTrue(after.get("countingSince").isTextual(), after.toString());
    }
}
