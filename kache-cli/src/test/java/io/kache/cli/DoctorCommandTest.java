package io.kache.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.api.ArtifactKey;
import io.kache.testkit.s3.FaultProxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kache doctor} against a real S3 server on loopback: healthy, wrong secret, stopped, read-only. */
class DoctorCommandTest {

    @TempDir
    Path tmp;
    SyncWorld world;
    SyncWorld.Machine m;

    @BeforeEach
    void setUp() throws Exception {
        world = new SyncWorld(tmp);
        m = world.machine("m");
        m.put(SyncWorld.key("app", "1"), 1_000);
    }

    @AfterEach
    void tearDown() {
        world.close();
    }

    private static String check(CliRun run, String name) {
        return run.out().lines().filter(l -> l.contains("  " + name + ": ")).findFirst()
                .orElseThrow(() -> new AssertionError("no check '" + name + "' in\n" + run.out()));
    }

    private static String fixAfter(CliRun run, String name) {
        List<String> lines = run.out().lines().toList();
        for (int i = 0; i < lines.size() - 1; i++) {
            if (lines.get(i).contains("  " + name + ": ")) {
                return lines.get(i + 1);
            }
        }
        throw new AssertionError("no check '" + name + "' in\n" + run.out());
    }

    @Test
    void aHealthyRemotePassesEveryCheckAndTheProbeIsRemoved() throws Exception {
        CliRun run = m.kache("doctor");
        assertEquals(0, run.exit(), run.toString());
        assertTrue(run.out().contains("env KACHE_S3_ACCESS_KEY"), "names the credential source:\n" + run.out());
        assertTrue(run.out().contains("access key id ****TEST"), "the id's last four characters:\n" + run.out());
        assertFalse(run.all().contains(SyncWorld.ACCESS_KEY), "never the whole id: it is half of a credential");
        assertFalse(run.all().contains(SyncWorld.SECRET_KEY), "never the secret");
        for (String name : List.of("local store writable", "local store consistent", "remote list", "remote put",
                "remote get", "remote delete")) {
            assertTrue(check(run, name).startsWith("  ok  "), check(run, name));
        }
        assertTrue(run.out().contains("all checks passed"));
        try (Stream<Path> files = Files.walk(world.server.directory())) {
            assertTrue(files.noneMatch(p -> p.toString().contains(RemoteProbe.PROBE_CRATE + "/")
                    && Files.isRegularFile(p)), "the probe object is deleted");
        }
    }

    /** The keys a credential_process profile prints; the KACHE pair blanked so the profile answers. */
    private Map<String, String> credentialProcessProfile(String client) throws Exception {
        Path script = tmp.resolve("creds.sh");
        Files.writeString(script, "#!/bin/sh\necho '{\"Version\": 1, \"AccessKeyId\": \"" + SyncWorld.ACCESS_KEY
                + "\", \"SecretAccessKey\": \"" + SyncWorld.SECRET_KEY + "\"}'\n");
        Files.setPosixFilePermissions(script, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        Path config = Files.writeString(tmp.resolve("aws-config"), "[profile proc]\ncredential_process = " + script
                + "\n");
        return Map.of("KACHE_S3_ACCESS_KEY", "", "KACHE_S3_SECRET_KEY", "", "KACHE_S3_PROFILE", "proc",
                "AWS_CONFIG_FILE", config.toString(), "AWS_SHARED_CREDENTIALS_FILE", tmp.resolve("none").toString(),
                "KACHE_S3_CLIENT", client);
    }

    @Test
    void aCredentialProcessProfileIsNamedByKindAndWorks() throws Exception {
        CliRun run = m.kache(credentialProcessProfile("s3-aws"), "doctor");
        assertEquals(0, run.exit(), run.toString());
        String credentials = run.out().lines().filter(l -> l.trim().startsWith("credentials ")).findFirst()
                .orElseThrow(() -> new AssertionError(run.out()));
        assertTrue(credentials.contains("credential_process (profile)"), credentials);
        assertTrue(credentials.contains("profile 'proc' in " + tmp.resolve("aws-config")), credentials);
        assertTrue(check(run, "remote put").startsWith("  ok  "), check(run, "remote put"));
        assertFalse(run.all().contains(SyncWorld.SECRET_KEY), "never the secret");
    }

    /**
     * A probe whose body comes back a byte at a time: the GET fails on its bound (the remote's
     * timeout, then a minimum rate), and the probe is still deleted.
     */
    @Test
    void aTricklingProbeGetFailsWithinItsBoundAndTheProbeIsStillRemoved() throws Exception {
        try (FaultProxy proxy = FaultProxy.start(world.server.endpoint())) {
            SyncWorld.Machine slow = world.machine("slow", proxy.endpoint(), SyncWorld.ACCESS_KEY, SyncWorld.SECRET_KEY);
            Path config = Path.of(slow.env().get("XDG_CONFIG_HOME"), "kache", "config.toml");
            Files.createDirectories(config.getParent());
            Files.writeString(config, "[cache.remote]\ntype = \"s3\"\ntimeout = \"2s\"\n");
            proxy.trickleBodies(Duration.ofMillis(100));
            long begin = System.nanoTime();
            CliRun run = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> slow.kache("doctor"),
                    "doctor must end");
            Duration took = Duration.ofNanos(System.nanoTime() - begin);
            assertEquals(1, run.exit(), run.toString());
            assertTrue(took.compareTo(Duration.ofSeconds(6).plus(SilentRemoteTest.SLACK)) <= 0, "took " + took);
            String get = check(run, "remote get");
            assertTrue(get.startsWith("  FAIL") && get.contains("slower than"), get);
            assertTrue(check(run, "remote delete").startsWith("  ok  "), run.out());
        }
        try (Stream<Path> files = Files.walk(world.server.directory())) {
            assertTrue(files.noneMatch(p -> p.toString().contains(RemoteProbe.PROBE_CRATE + "/")
                    && Files.isRegularFile(p)), "the probe object is deleted");
        }
    }

    /** A credential_process that exits with an error, its stderr holding what might be a secret. */
    private Map<String, String> failingCredentialProcessProfile() throws Exception {
        Path script = tmp.resolve("bad-creds.sh");
        Files.writeString(script, "#!/bin/sh\necho 'error message: leak-SeCrEt-proc4' >&2\nexit 3\n");
        Files.setPosixFilePermissions(script, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        Path config = Files.writeString(tmp.resolve("aws-config"), "[profile bad]\ncredential_process = " + script
                + "\n");
        return Map.of("KACHE_S3_ACCESS_KEY", "", "KACHE_S3_SECRET_KEY", "", "KACHE_S3_PROFILE", "bad",
                "AWS_CONFIG_FILE", config.toString(), "AWS_SHARED_CREDENTIALS_FILE", tmp.resolve("none").toString());
    }

    /** A file where the store should be is named a file, and the fix is to move it, not to make it writable. */
    @Test
    void aFileAsTheStoreIsAFailedCheckWhoseFixFitsAFile() throws Exception {
        Path file = Files.writeString(tmp.resolve("not-a-store"), "x");
        CliRun run = m.kache(Map.of("KACHE_CACHE_DIR", file.toString()), "doctor");
        assertEquals(1, run.exit(), run.toString());
        assertTrue(check(run, "local store writable").startsWith("  FAIL"), run.out());
        assertTrue(check(run, "local store writable").contains("is a file, not a directory"), run.out());
        assertTrue(fixAfter(run, "local store writable").contains("move the file away"), run.out());
    }

    @Test
    void aFailingCredentialProcessIsAFailedCheckNamingTheProfileNeverItsOutput() throws Exception {
        CliRun run = m.kache(failingCredentialProcessProfile(), "doctor");
        assertEquals(1, run.exit(), run.toString());
        String open = check(run, "remote open");
        assertTrue(open.startsWith("  FAIL") && open.contains("profile 'bad'") && open.contains("exited with status 3"),
                open);
        assertTrue(check(run, "local store writable").startsWith("  ok  "), run.out());
        assertTrue(run.out().contains("1 check failed"), run.out());
        assertFalse(run.all().contains("leak-SeCrEt"), "never the process's output:\n" + run);
        assertFalse(run.all().contains("\tat "), "no stack trace:\n" + run);
    }

    @Test
    void aFailingCredentialProcessEndsAPullAsARemoteThatCannotBeOpened() throws Exception {
        // --all: a pull of the project works out the build's identity on another thread, which an
        // early exit does not wait for, and would still write to the store as the test ends.
        CliRun run = m.kache(failingCredentialProcessProfile(), "sync", "--pull", "--all");
        assertEquals(KacheCli.EXIT_BAD_CONFIG, run.exit(), run.toString());
        assertTrue(run.err().contains("cannot open the remote") && run.err().contains("profile 'bad'"), run.err());
        assertFalse(run.all().contains("leak-SeCrEt"), "never the process's output:\n" + run);
        assertFalse(run.all().contains("\tat "), "no stack trace:\n" + run);
    }

    @Test
    void theMinioClientSaysItCannotUseACredentialProcessProfile() throws Exception {
        CliRun run = m.kache(credentialProcessProfile("s3-minio"), "doctor");
        assertEquals(1, run.exit(), run.toString());
        assertTrue(run.out().contains("the s3-minio client cannot use credential_process (profile)"), run.out());
        assertTrue(run.out().contains("client = \"s3-aws\""), run.out());
        assertFalse(run.all().contains(SyncWorld.SECRET_KEY), "never the secret");
    }

    @Test
    void aWrongSecretIsExplainedWithAFixAndNeverShown() throws Exception {
        CliRun run = m.kache(Map.of("KACHE_S3_SECRET_KEY", "not-the-secret-at-all"), "doctor");
        assertEquals(1, run.exit(), run.toString());
        String list = check(run, "remote list");
        assertTrue(list.startsWith("  FAIL"), list);
        assertTrue(list.contains("secret key does not match"), list);
        assertTrue(fixAfter(run, "remote list").contains("fix: check the key pair"), run.out());
        assertFalse(run.all().contains("not-the-secret-at-all"));
        assertTrue(check(run, "remote put").startsWith("  skip"), "one explanation, not one per probe: " + run.out());
    }

    @Test
    void aStoppedServerIsExplainedAsUnreachable() throws Exception {
        String endpoint = world.server.endpoint().toString();
        world.server.stop();
        CliRun run = m.kache("doctor");
        assertEquals(1, run.exit(), run.toString());
        String list = check(run, "remote list");
        assertTrue(list.contains("could not be reached"), list);
        assertTrue(fixAfter(run, "remote list").contains(endpoint), run.out());
        assertTrue(check(run, "local store writable").startsWith("  ok  "), "the local store is fine");
        assertEquals(1, run.out().lines().filter(l -> l.startsWith("  FAIL")).count(), run.out());
    }

    @Test
    void readOnlyModeOnlyListsAndALocalStoreMissingABlobIsReported() throws Exception {
        ArtifactKey key = SyncWorld.key("app", "1");
        try (Stream<Path> blobs = Files.walk(m.store().resolve("blobs"))) {
            Files.delete(blobs.filter(Files::isRegularFile).findFirst().orElseThrow());
        }
        world.server.clearRequests();
        CliRun run = m.kache(Map.of("KACHE_REMOTE_READONLY", "true"), "doctor");
        assertEquals(1, run.exit(), run.toString());
        assertTrue(check(run, "remote list").startsWith("  ok  "), run.out());
        for (String name : List.of("remote put", "remote get", "remote delete")) {
            assertTrue(check(run, name).startsWith("  skip") && check(run, name).contains("remote_readonly"),
                    check(run, name));
        }
        assertTrue(world.server.requests().stream().allMatch(r -> r.isList()), world.server.requests().toString());
        String consistent = check(run, "local store consistent");
        assertTrue(consistent.startsWith("  FAIL") && consistent.contains("1 incomplete"), consistent);
        assertTrue(fixAfter(run, "local store consistent").contains("kache gc"), run.out());
        assertFalse(m.keys().contains(key), "the incomplete entry was dropped");
    }

    @Test
    void withoutARemoteOnlyTheLocalStoreIsChecked() {
        Map<String, String> env = new HashMap<>(m.env());
        env.remove("KACHE_S3_BUCKET");
        env.remove("KACHE_S3_ENDPOINT");
        CliRun run = CliRun.of(env, m.project(), "doctor");
        assertEquals(0, run.exit(), run.toString());
        assertTrue(check(run, "remote").contains("no remote is configured"), run.out());
    }
}
