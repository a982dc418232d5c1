package io.kache.core.pack;

import io.kache.api.ArtifactKey;
import io.kache.api.CorruptedEntryException;
import io.kache.core.entry.EntryFile;
import io.kache.core.entry.EntryManifest;
import io.kache.core.hash.Sha256;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Entries held in memory, packed and unpacked without a store. */
final class PackFixtures {

    private PackFixtures() {
    }

    static final ArtifactKey KEY = new ArtifactKey("serde_json", Sha256.of("k".getBytes(StandardCharsets.UTF_8)));

    /** An entry with content: the manifest plus each file's bytes by name. */
    record Entry(EntryManifest manifest, Map<String, byte[]> contents) {
    }

    static Entry entry(ArtifactKey key, Map<String, byte[]> contents, Map<String, Boolean> executable,
                       byte[] stdout, byte[] stderr, Map<String, String> attributes) {
        return entry(key, contents, executable, stdout, stderr, attributes, List.of());
    }

    /** An entry with other renderings of its diagnostics besides its own. */
    static Entry entry(ArtifactKey key, Map<String, byte[]> contents, Map<String, Boolean> executable,
                       byte[] stdout, byte[] stderr, Map<String, String> attributes,
                       List<io.kache.core.entry.Rendering> renderings) {
        List<EntryFile> files = new ArrayList<>();
        contents.forEach((name, bytes) -> files.add(new EntryFile(name, bytes.length,
                executable.getOrDefault(name, false), Sha256.of(bytes))));
        return new Entry(new EntryManifest(key, files, stdout, stderr, attributes, renderings), contents);
    }

    static Entry sample() {
        Map<String, byte[]> c = new LinkedHashMap<>();
        c.put("libserde_json-aa.rlib", "rlib bytes ".repeat(500).getBytes(StandardCharsets.UTF_8));
        c.put("libserde_json-aa.rmeta", "rmeta".getBytes(StandardCharsets.UTF_8));
        c.put("serde_json-aa.d", "deps: src/lib.rs\n".getBytes(StandardCharsets.UTF_8));
        return entry(KEY, c, Map.of(), "out".getBytes(StandardCharsets.UTF_8),
                "warning: unused".getBytes(StandardCharsets.UTF_8), Map.of("emit", "dep-info,metadata,link"));
    }

    static byte[] pack(Entry e, int level) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new PackWriter(level).write(e.manifest(), f -> new ByteArrayInputStream(e.contents().get(f.name())), out);
        return out.toByteArray();
    }

    /** Reads a pack fully into memory. */
    static Entry unpack(byte[] pack) throws IOException {
        return unpack(pack, PackLimits.defaults());
    }

    static Entry unpack(byte[] pack, PackLimits limits) throws IOException {
        Map<String, byte[]> contents = new LinkedHashMap<>();
        EntryManifest m = new PackReader(limits).read(new ByteArrayInputStream(pack), Optional.empty(), "test pack",
                (f, in) -> contents.put(f.name(), in.readAllBytes()));
        return new Entry(m, contents);
    }

    static boolean isRefused(byte[] pack) throws IOException {
        try {
            unpack(pack);
            return false;
        } catch (CorruptedEntryException e) {
            return true;
        }
    }
}
