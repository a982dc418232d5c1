package io.kache.core.remote;

import io.kache.api.ArtifactStore;
import io.kache.api.ArtifactStoreProvider;
import io.kache.api.RemoteSettings;
import io.kache.api.StoreException;
import io.kache.api.StoreProviders;
import io.kache.core.config.KacheConfig;
import java.util.Optional;
import io.kache.core.remote.s3.CredentialResolution;
import io.kache.core.remote.s3.S3CredentialChain;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the remote a configuration names, through the provider {@link StoreProviders} selects.
 * The one place that applies {@code local_only} and {@code remote_readonly} to a remote, so no
 * backend has to.
 */
public final class RemoteStores {

    private static final Logger LOG = LoggerFactory.getLogger(RemoteStores.class);

    private RemoteStores() {
    }

    /**
     * Opens the configured remote with the providers on kache's class path, resolving S3
     * credentials through kache's chain in the call's environment {@code env}. The chain's warnings
     * are logged: the library's channel, for a program that embeds kache.
     */
    public static Optional<ArtifactStore> open(KacheConfig config, Map<String, String> env) throws StoreException {
        return open(config, env, RemoteStores::log);
    }

    /**
     * {@link #open(KacheConfig, Map)}, the credential chain's warnings said to {@code warnings}: a
     * command prints them on its own stderr, which in the kache server is its client's.
     */
    public static Optional<ArtifactStore> open(KacheConfig config, Map<String, String> env, Consumer<String> warnings)
            throws StoreException {
        return open(withCredentials(config.remoteSettings(), env, warnings),
                StoreProviders.discover(RemoteStores.class.getClassLoader()));
    }

    /**
     * The remote settings of {@code config} with S3 credentials resolved from {@code env} (the
     * explicit KACHE pair, then the profile, then the standard AWS chain), with the kind of
     * credential found for the client to use. Warnings of the chain are logged; the source is logged
     * at debug level, never a secret.
     */
    public static Optional<RemoteSettings> withCredentials(Optional<RemoteSettings> settings, Map<String, String> env) {
        return withCredentials(settings, env, RemoteStores::log);
    }

    /**
     * {@link #withCredentials(Optional, Map)}, each warning of the chain (a half-set key pair, a
     * missing profile) given to {@code warnings} instead of the log, for the caller to say where its
     * user reads: a build's notices, a command's stderr. The server's log and a wrapper call's stderr
     * (rustc's, which cargo replays) are not such places.
     */
    public static Optional<RemoteSettings> withCredentials(Optional<RemoteSettings> settings, Map<String, String> env,
                                                           Consumer<String> warnings) {
        if (settings.isEmpty() || !settings.get().type().equals("s3")) {
            return settings;
        }
        RemoteSettings s = settings.get();
        CredentialResolution resolved = S3CredentialChain.resolve(env, s.profile());
        resolved.warnings().forEach(warnings);
        LOG.debug("S3 credentials: {}", resolved.credentialSource().summary());
        return Optional.of(s.withCredentials(resolved.credentials(), resolved.credentialSource()));
    }

    private static void log(String warning) {
        LOG.warn("kache: {}", warning);
    }

    /**
     * Opens the configured remote.
     *
     * @return empty when no remote is configured, or kache is disabled or {@code local_only}; a store
     *     whose {@code store()} always throws {@link io.kache.api.StoreAccessDeniedException} when
     *     {@code remote_readonly} is set
     * @throws io.kache.api.NoSuchProviderException if no provider (or more than one, equally) serves the type
     * @throws StoreException if the provider cannot open the store, e.g.
     *     {@link io.kache.api.StoreMisconfiguredException} for a missing bucket or directory
     */
    public static Optional<ArtifactStore> open(KacheConfig config, StoreProviders providers) throws StoreException {
        return open(config.remoteSettings(), providers);
    }

    /** Opens a remote from resolved settings; see {@link #open(KacheConfig, StoreProviders)}. */
    public static Optional<ArtifactStore> open(Optional<RemoteSettings> settings, StoreProviders providers)
            throws StoreException {
        if (settings.isEmpty()) {
            return Optional.empty();
        }
        RemoteSettings s = settings.get();
        ArtifactStoreProvider provider = providers.select(s.type(), s.client());
        LOG.debug("remote type {}: provider {} ({})", s.type(), provider.id(), provider.describe(s));
        ArtifactStore store = provider.open(s);
        return Optional.of(s.readOnly() ? new ReadOnlyArtifactStore(store, location(s)) : store);
    }

    /** A short name of the remote for messages: {@code s3://bucket/prefix}, {@code /path/prefix}. Never a secret. */
    static String location(RemoteSettings s) {
        String prefix = s.layout().prefix();
        if (s.bucket().isPresent()) {
            return s.type() + "://" + s.bucket().get() + "/" + prefix;
        }
        if (s.path().isPresent()) {
            return s.path().get().resolve(prefix).toString();
        }
        return s.type() + " remote, prefix " + prefix;
    }
}
