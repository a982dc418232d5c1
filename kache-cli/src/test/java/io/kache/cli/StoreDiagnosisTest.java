package io.kache.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.api.ArtifactLayout;
import io.kache.api.EntryRejectedException;
import io.kache.api.RemoteSettings;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The sentence and fix {@code kache doctor} prints for a failure, by its type. */
class StoreDiagnosisTest {

    private final RemoteSettings settings = new RemoteSettings("s3", Optional.empty(), Optional.of("team"),
            "eu-west-1", Optional.of(URI.create("http://127.0.0.1:9000")), ArtifactLayout.withPrefix("artifacts"),
            Optional.empty(), Optional.empty(), false, RemoteSettings.DEFAULT_TIMEOUT, Optional.empty(), Map.of());

    @Test
    void aProbeRejectedAloneNamesTheLimitNotTheSettings() {
        DoctorCheck check = new StoreDiagnosis(settings, "the environment").failed("remote put", true,
                new EntryRejectedException("PutObject of s3://team/artifacts/kache_doctor_probe/x.tar.zst was"
                        + " rejected by http://127.0.0.1:9000 (HTTP 413): the entry is larger than ..."));
        assertEquals(DoctorCheck.Verdict.FAIL, check.verdict());
        assertTrue(check.detail().startsWith("the remote rejected the probe object: PutObject of"), check.detail());
        assertTrue(check.fix().contains("proxy in front of http://127.0.0.1:9000"), check.fix());
        assertFalse(check.fix().contains("[cache.remote]"), check.fix());
    }
}
