package io.kache.core.sync.records;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kache.api.ArtifactKey;
import io.kache.core.config.ConfigLoader;
import io.kache.core.entry.OutputFile;
import io.kache.core.journal.BuildEvent;
import io.kache.core.journal.WorkspaceSide;
import io.kache.core.remote.RemoteDestination;
import io.kache.core.store.LocalStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The write-back's build record, written by the detached uploader once its queue is empty. */
class WriteBackRecordsTest {

    @TempDir
    Path tmp;

    /**
     * The record names only entries the remote has, and asks a HEAD only of those the uploader did
     * not just send: one per entry of a 100-crate workspace after every build was a hundred requests
     * the uploader already had the answer to.
     */
    @Test
    void theRecordAsksNoHeadOfTheEntriesTheUploaderSent() throws Exception {
        Path ws = Files.createDirectories(tmp.resolve("ws"));
        Files.writeString(ws.resolve("Cargo.toml"), "[package]\nname = \"app\"\nversion = \"0.1.0\"\n");
        Path share = Files.createDirectories(tmp.resolve("share"));
        Files.writeString(ws.resolve(".kache.toml"),
                "[cache.remote]\ntype = \"filesystem\"\npath = \"" + share + "\"\nprefix = \"team\"\n");
        // cargo metadata --no-deps, as the uploader runs it to find the build's workspace.
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path cargo = bin.resolve("cargo");
        Files.writeString(cargo, "#!/bin/sh\necho '{\"workspace_members\":[],\"packages\":[],\"workspace_root\":\""
                + ws + "\",\"target_directory\":\"" + ws.resolve("target") + "\"}'\n");
        Files.setPosixFilePermissions(cargo, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path home = Files.createDirectories(tmp.resolve("home"));
        Map<String, String> env = Map.of("PATH", bin + ":/usr/bin:/bin", "HOME", home.toString(),
                "XDG_CONFIG_HOME", home.resolve(".config").toString());

        MemoryRemote remote = new MemoryRemote();
        try (LocalStore store = LocalStore.open(tmp.resolve("store"), 1L << 30)) {
            ArtifactKey sent = put(store, RecordMergeTest.key("core_lib", "1"), "libcore_lib-1a.rlib", "core_lib-1a.d");
            ArtifactKey earlier = put(store, RecordMergeTest.key("app", "1"), "libapp-2a.rlib", "app-2a.d");
            ArtifactKey nowhere = put(store, RecordMergeTest.key("util", "1"), "libutil-3a.rlib", "util-3a.d");
            for (ArtifactKey k : List.of(sent, earlier, nowhere)) {
                store.journal().append(new BuildEvent(System.currentTimeMillis(), "cargo-build",
                        new WorkspaceSide(ws.resolve("target").toString(), "debug", "host", "tc", "none"),
                        k.crateName(), "lib", k.cacheKey(), BuildEvent.Outcome.STORED, "", 10, 0, 0, 0));
            }
            remote.entries.addAll(List.of(sent, earlier)); // earlier: sent by an earlier uploader
            RemoteDestination to = RemoteDestination.of(ConfigLoader.load(env, ws).remoteSettings().orElseThrow());

            List<BuildRecord> written = WriteBackRecords.afterUploads(store, to, remote, env, Set.of(sent));

            assertEquals(1, written.size(), written.toString());
            assertEquals(List.of(sent, earlier), List.copyOf(written.get(0).entries()), "only what the remote has");
            assertEquals(Set.of(earlier, nowhere), Set.copyOf(remote.heads), "no HEAD of the entry just sent");
            assertEquals(2, remote.heads.size(), "one HEAD each: " + remote.heads);
        }
    }

    private ArtifactKey put(LocalStore store, ArtifactKey key, String... names) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("out").resolve(key.crateName()));
        List<OutputFile> files = new java.util.ArrayList<>();
        for (String n : names) {
            Files.writeString(dir.resolve(n), n + key);
            files.add(new OutputFile(n, dir.resolve(n)));
        }
        store.put(key, files, new byte[0], new byte[0], Map.of());
        return key;
    }
}
