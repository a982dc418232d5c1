package io.kache.api;

import java.util.Map;

/**
 * Creates {@link ArtifactStore}s of one kind. Found with {@link java.util.ServiceLoader}: list the
 * implementation in {@code META-INF/services/io.kache.api.ArtifactStoreProvider} (and
 * {@code provides} it in a {@code module-info}). Implementations need a public no-argument
 * constructor and must be cheap to construct: every provider on the class path is instantiated to
 * be asked for its {@link #id()}.
 */
public interface ArtifactStoreProvider {

    /** A stable id users may name in config, e.g. {@code filesystem}, {@code s3-aws}, {@code s3-minio}. */
    String id();

    /** The remote {@code type} this provider serves, e.g. {@code filesystem} or {@code s3}. */
    String type();

    /**
     * Among several providers of one type, the highest priority is the default. Equal priorities
     * are an error unless the config names one.
     */
    int priority();

    /**
     * Opens a store. May check the settings, but must not create buckets or write anything.
     *
     * @throws StoreMisconfiguredException if the settings cannot work for this provider
     * @throws StoreException for any other failure while opening
     */
    ArtifactStore open(RemoteSettings settings) throws StoreException;

    /**
     * What this provider would use for {@code settings}, for {@code kache config} and logs:
     * endpoint, bucket, region, credential source. Never a secret.
     */
    Map<String, String> describe(RemoteSettings settings);
}
