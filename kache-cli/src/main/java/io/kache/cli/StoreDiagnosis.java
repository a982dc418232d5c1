package io.kache.cli;

import io.kache.api.CorruptedEntryException;
import io.kache.api.EntryRejectedException;
import io.kache.api.NoSuchProviderException;
import io.kache.api.RemoteSettings;
import io.kache.api.StoreAccessDeniedException;
import io.kache.api.StoreException;
import io.kache.api.StoreMisconfiguredException;
import io.kache.api.StoreUnavailableException;
import java.net.URI;

/**
 * Turns a remote's failure into the one sentence and the likely fix {@code kache doctor} prints,
 * by the failure's type (the backend's message already names operation, object and status).
 */
final class StoreDiagnosis {

    private final RemoteSettings settings;
    private final String credentialSource;

    StoreDiagnosis(RemoteSettings settings, String credentialSource) {
        this.settings = settings;
        this.credentialSource = credentialSource;
    }

    DoctorCheck failed(String check, boolean write, StoreException e) {
        String where = settings.endpoint().map(URI::toString).orElse("the remote");
        if (!settings.type().equals("s3")) {
            return failedElsewhere(check, e);
        }
        if (e instanceof StoreAccessDeniedException) {
            return DoctorCheck.fail(check, "the remote refused the request: " + e.getMessage(), write
                    ? "grant these credentials s3:PutObject and s3:DeleteObject on the prefix, or set remote_readonly"
                            + " = true (KACHE_REMOTE_READONLY=1) if they may only read"
                    : "check the key pair (taken from " + credentialSource + "): a wrong secret key or an access key"
                            + " id unknown to " + where + " is refused like missing s3:ListBucket/s3:GetObject rights");
        }
        if (e instanceof StoreUnavailableException) {
            return DoctorCheck.fail(check, "the remote could not be reached or failed temporarily: " + e.getMessage(),
                    "check that " + where + " is the right endpoint (KACHE_S3_ENDPOINT or [cache.remote] endpoint)"
                            + " and that the server is running; if it is throttling, try again later");
        }
        if (e instanceof NoSuchProviderException) {
            return DoctorCheck.fail(check, e.getMessage(),
                    "put the jar of a storage provider for type '" + settings.type() + "' on kache's class path,"
                            + " or choose an installed one with [cache.remote] client");
        }
        if (e instanceof CorruptedEntryException) {
            return DoctorCheck.fail(check, "the probe read back is not what was stored: " + e.getMessage(),
                    "something between kache and " + where + " alters objects; check proxies and the server");
        }
        if (e instanceof EntryRejectedException) {
            // The probe is a few bytes under its own name: what refuses it will refuse entries too.
            return DoctorCheck.fail(check, "the remote rejected the probe object: " + e.getMessage(),
                    "check the server and any proxy in front of " + where + " for the limit the message names");
        }
        if (e instanceof StoreMisconfiguredException) {
            return DoctorCheck.fail(check, e.getMessage(),
                    "fix [cache.remote] or the KACHE_S3_* variables; kache config shows each value and its source");
        }
        return DoctorCheck.fail(check, e.getMessage(), "see the message; kache config shows the settings in use");
    }

    /** A remote that is not S3 (a directory, a custom backend): no bucket rights or KACHE_S3_* to suggest. */
    private DoctorCheck failedElsewhere(String check, StoreException e) {
        if (e instanceof StoreAccessDeniedException) {
            return DoctorCheck.fail(check, "the remote refused the request: " + e.getMessage(),
                    "give this user the rights the message names, or set remote_readonly = true"
                            + " (KACHE_REMOTE_READONLY=1) if it may only read");
        }
        if (e instanceof NoSuchProviderException) {
            return DoctorCheck.fail(check, e.getMessage(),
                    "put the jar of a storage provider for type '" + settings.type() + "' on kache's class path,"
                            + " or choose an installed one with [cache.remote] client");
        }
        return DoctorCheck.fail(check, e.getMessage(),
                "check the [cache.remote] settings of type '" + settings.type() + "'; kache config shows each value"
                        + " and its source");
    }
}
