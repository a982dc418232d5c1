package io.kache.api;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/**
 * The providers found on the class path, and the rule that picks one for a remote.
 *
 * <p>Rule: an explicit client id in config wins; else the only provider of the type; else the
 * highest priority; a tie, an unknown id or an unknown type is an error listing what is available.
 * Class-path order never decides. A provider whose jar is broken is reported in that error (and by
 * {@link #broken()}) without hiding the others.
 */
public final class StoreProviders {

    private final List<ArtifactStoreProvider> providers;
    private final List<String> broken;

    StoreProviders(List<ArtifactStoreProvider> providers, List<String> broken) {
        this.providers = List.copyOf(providers);
        this.broken = List.copyOf(broken);
    }

    /** Every provider {@link ServiceLoader} finds through {@code loader}. */
    public static StoreProviders discover(ClassLoader loader) {
        return from(ServiceLoader.load(ArtifactStoreProvider.class, loader).iterator());
    }

    /** Every provider visible to this module (module path or class path). */
    public static StoreProviders discover() {
        return from(ServiceLoader.load(ArtifactStoreProvider.class).iterator());
    }

    /** The given providers, for tests and embedders that wire providers by hand. */
    public static StoreProviders of(List<ArtifactStoreProvider> providers) {
        return new StoreProviders(providers, List.of());
    }

    static StoreProviders from(Iterator<ArtifactStoreProvider> it) {
        List<ArtifactStoreProvider> found = new ArrayList<>();
        List<String> broken = new ArrayList<>();
        // Each step in its own try: one broken jar must not hide the providers after it.
        while (true) {
            try {
                if (!it.hasNext()) {
                    break;
                }
                found.add(it.next());
            } catch (ServiceConfigurationError | LinkageError e) {
                broken.add(e.getMessage() == null ? e.getClass().getName() : e.getMessage());
            }
        }
        return new StoreProviders(found, broken);
    }

    public List<ArtifactStoreProvider> all() {
        return providers;
    }

    /** One line per provider that failed to load. */
    public List<String> broken() {
        return broken;
    }

    /**
     * Picks the provider for a remote of {@code type}, honouring an explicit {@code client} id.
     *
     * @throws NoSuchProviderException naming what is available when nothing or more than one fits
     */
    public ArtifactStoreProvider select(String type, Optional<String> client) throws NoSuchProviderException {
        if (client.isPresent()) {
            String id = client.get();
            Optional<ArtifactStoreProvider> chosen = providers.stream().filter(p -> p.id().equals(id)).findFirst();
            if (chosen.isEmpty()) {
                throw new NoSuchProviderException("no storage provider with id '" + id + "'" + available());
            }
            if (!chosen.get().type().equals(type)) {
                throw new NoSuchProviderException("provider '" + id + "' serves type '" + chosen.get().type()
                        + "', not '" + type + "'" + available());
            }
            return chosen.get();
        }
        List<ArtifactStoreProvider> ofType = providers.stream()
                .filter(p -> p.type().equals(type))
                .sorted(Comparator.comparingInt(ArtifactStoreProvider::priority).reversed())
                .collect(Collectors.toList());
        if (ofType.isEmpty()) {
            throw new NoSuchProviderException("no storage provider for remote type '" + type + "'" + available());
        }
        if (ofType.size() > 1 && ofType.get(0).priority() == ofType.get(1).priority()) {
            throw new NoSuchProviderException("providers '" + ofType.get(0).id() + "' and '" + ofType.get(1).id()
                    + "' both serve type '" + type + "' with priority " + ofType.get(0).priority()
                    + ": choose one with [cache.remote] client" + available());
        }
        return ofType.get(0);
    }

    private String available() {
        String list = providers.isEmpty() ? "none"
                : providers.stream()
                        .map(p -> p.id() + " (type " + p.type() + ", priority " + p.priority() + ")")
                        .collect(Collectors.joining(", "));
        String failures = broken.isEmpty() ? "" : "; failed to load: " + String.join("; ", broken);
        return "; available: " + list + failures;
    }
}
