package io.kache.core.remote.s3.backend;

import io.kache.api.ArtifactStore;
import io.kache.api.ArtifactStoreProvider;
import io.kache.api.RemoteSettings;
import io.kache.api.StoreException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What every {@code type = "s3"} provider shares: its identity and a {@link #describe} that names
 * where the credentials came from and the access key id's last four characters, never the secret
 * key or session token.
 * A subclass supplies {@link #open} and how it names the endpoint.
 */
public abstract class AbstractS3StoreProvider implements ArtifactStoreProvider {

    private final String id;
    private final int priority;
    private final String clientName;

    /**
     * @param id the id to name in {@code [cache.remote] client}
     * @param priority the default among several S3 providers is the highest
     * @param clientName the client library, for {@link #describe}, e.g. {@code AWS SDK for Java v2}
     */
    protected AbstractS3StoreProvider(String id, int priority, String clientName) {
        this.id = id;
        this.priority = priority;
        this.clientName = clientName;
    }

    @Override
    public final String id() {
        return id;
    }

    @Override
    public final String type() {
        return "s3";
    }

    @Override
    public final int priority() {
        return priority;
    }

    /**
     * Builds the client; contacts nothing. A missing bucket or malformed endpoint is a
     * {@link io.kache.api.StoreMisconfiguredException}; a bucket that does not exist is reported by
     * the first call that reaches it.
     */
    @Override
    public abstract ArtifactStore open(RemoteSettings settings) throws StoreException;

    /** The endpoint requests go to, as messages and {@link #describe} name it. Never fails. */
    protected abstract String endpointName(RemoteSettings settings);

    @Override
    public final Map<String, String> describe(RemoteSettings settings) {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("client", id + " (" + clientName + ")");
        d.put("endpoint", endpointName(settings));
        d.put("bucket", settings.bucket().orElse("(not set)"));
        d.put("region", settings.region());
        d.put("prefix", settings.layout().prefix());
        d.put("addressing", "path-style");
        d.put("requests", requests(settings));
        d.put("credentials", settings.credentials()
                .map(c -> c.source() + " (access key " + io.kache.core.config.Secret.keyId(c.accessKeyId()) + ")")
                .orElse(settings.credentialSource().summary()));
        settings.profile().ifPresent(p -> d.put("profile", p));
        d.put("read_only", Boolean.toString(settings.readOnly()));
        d.put("timeout", settings.timeout().toMillis() + " ms");
        return d;
    }

    /** Which requests go through which client, for {@link #describe}: by default all through the library. */
    protected String requests(RemoteSettings settings) {
        return "all through the " + clientName;
    }

    /** The mapper for the settings' bucket and prefix, naming the endpoint as {@link #describe} does. */
    protected final S3ErrorMapper errorMapper(String bucket, RemoteSettings settings) {
        return new S3ErrorMapper(bucket, settings.layout().prefix(), endpointName(settings));
    }
}
