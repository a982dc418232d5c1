package io.kache.cli;

import io.kache.api.ArtifactKey;
import io.kache.api.ArtifactSource;
import io.kache.api.ArtifactStore;
import io.kache.api.CorruptedEntryException;
import io.kache.api.DeletableStore;
import io.kache.api.StoreException;
import io.kache.core.entry.EntryFile;
import io.kache.core.entry.EntryManifest;
import io.kache.core.hash.Sha256;
import io.kache.core.pack.PackLimits;
import io.kache.core.pack.PackReader;
import io.kache.core.pack.PackWriter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code kache doctor}'s probe of an opened remote: a LIST, and unless read-only, a PUT, GET and
 * DELETE of one small object under the prefix. The probe is a valid pack of its own crate, so a
 * sync that meets it while it exists imports a harmless entry instead of reporting corruption.
 */
final class RemoteProbe {

    /** The crate of probe objects: {@code {prefix}/kache_doctor_probe/{key}.tar.zst}. */
    static final String PROBE_CRATE = "kache_doctor_probe";

    private final ArtifactStore remote;
    private final StoreDiagnosis diagnosis;

    RemoteProbe(ArtifactStore remote, StoreDiagnosis diagnosis) {
        this.remote = remote;
        this.diagnosis = diagnosis;
    }

    List<DoctorCheck> run(boolean readOnly) {
        List<DoctorCheck> checks = new ArrayList<>();
        long begin = System.nanoTime();
        try (var listed = remote.list(PROBE_CRATE)) {
            long n = listed.count();
            checks.add(DoctorCheck.ok("remote list", "listed " + remote + " in " + millis(begin) + " ms ("
                    + n + " leftover probe objects)"));
        } catch (StoreException e) {
            checks.add(diagnosis.failed("remote list", false, e));
        } catch (java.io.UncheckedIOException e) {
            checks.add(e.getCause() instanceof StoreException s ? diagnosis.failed("remote list", false, s)
                    : DoctorCheck.fail("remote list", "listing failed: " + e.getCause().getMessage(),
                            "check the endpoint and the network"));
        }
        if (readOnly || checks.get(0).verdict() == DoctorCheck.Verdict.FAIL) {
            // After a failed LIST the writes would fail for the same reason; one explanation is enough.
            String why = readOnly ? "remote_readonly is set: kache never writes to this remote"
                    : "the list failed, so the remote was not written to";
            checks.add(DoctorCheck.skip("remote put", why));
            checks.add(DoctorCheck.skip("remote get", why));
            checks.add(DoctorCheck.skip("remote delete", why));
            return checks;
        }
        ArtifactKey key = new ArtifactKey(PROBE_CRATE, Sha256.of(UUID.randomUUID().toString()
                .getBytes(StandardCharsets.UTF_8)));
        byte[] pack;
        try {
            pack = probePack(key);
        } catch (IOException e) {
            throw new IllegalStateException("cannot build the probe pack", e);
        }
        begin = System.nanoTime();
        try {
            remote.store(key, ArtifactSource.ofBytes(pack));
            checks.add(DoctorCheck.ok("remote put", "stored " + pack.length + "-byte probe " + key + " in "
                    + millis(begin) + " ms"));
        } catch (StoreException e) {
            checks.add(diagnosis.failed("remote put", true, e));
            checks.add(DoctorCheck.skip("remote get", "nothing was stored"));
            checks.add(DoctorCheck.skip("remote delete", "nothing was stored"));
            return checks;
        }
        // The probe is deleted whatever the read did: a failed or cut-off GET must not leave it behind.
        try {
            checks.add(get(key, pack));
        } finally {
            checks.add(delete(key));
        }
        return checks;
    }

    private DoctorCheck get(ArtifactKey key, byte[] expected) {
        long begin = System.nanoTime();
        try {
            byte[][] read = new byte[1][];
            // One byte past the probe is enough to tell it altered: a body that does not end (a
            // misbehaving proxy or server) must cost a failed check, not the doctor's memory.
            boolean found = remote.load(key, (in, size) -> read[0] = in.readNBytes(expected.length + 1));
            if (!found) {
                return DoctorCheck.fail("remote get", "the probe just stored is not there (read after write missed)",
                        "the server is not read-after-write consistent or a cache sits in front of it; check the endpoint");
            }
            if (!Arrays.equals(read[0], expected)) {
                throw new CorruptedEntryException((read[0].length > expected.length ? "more than " + expected.length
                        : String.valueOf(read[0].length)) + " bytes came back for " + expected.length + " sent");
            }
            new PackReader(PackLimits.defaults()).read(new ByteArrayInputStream(read[0]), Optional.of(key),
                    "probe " + key, (f, in) -> in.transferTo(java.io.OutputStream.nullOutputStream()));
            return DoctorCheck.ok("remote get", "read the probe back in " + millis(begin) + " ms, bytes identical");
        } catch (StoreException e) {
            return diagnosis.failed("remote get", false, e);
        } catch (IOException e) {
            return DoctorCheck.fail("remote get", "the probe read back is not a valid pack: " + e.getMessage(),
                    "something between kache and the remote alters objects; check proxies and the server");
        }
    }

    private DoctorCheck delete(ArtifactKey key) {
        if (!(remote instanceof DeletableStore deletable)) {
            return DoctorCheck.skip("remote delete", "this backend cannot delete; the probe " + key
                    + " stays (a valid, harmless pack)");
        }
        long begin = System.nanoTime();
        try {
            deletable.delete(key);
            if (remote.contains(key)) {
                return DoctorCheck.fail("remote delete", "the probe is still there after DeleteObject succeeded",
                        "check the bucket's versioning or object-lock settings");
            }
            return DoctorCheck.ok("remote delete", "removed the probe in " + millis(begin) + " ms");
        } catch (StoreException e) {
            return diagnosis.failed("remote delete", true, e);
        }
    }

    private static byte[] probePack(ArtifactKey key) throws IOException {
        byte[] content = ("kache doctor probe " + Instant.now() + "\n").getBytes(StandardCharsets.UTF_8);
        EntryManifest manifest = new EntryManifest(key,
                List.of(new EntryFile("probe.txt", content.length, false, Sha256.of(content))),
                new byte[0], new byte[0], Map.of("kache.doctor", "probe"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new PackWriter(1).write(manifest, f -> new ByteArrayInputStream(content), out);
        return out.toByteArray();
    }

    private static long millis(long begin) {
        return (System.nanoTime() - begin) / 1_000_000;
    }
}
