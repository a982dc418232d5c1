package io.kache.core.remote.filesystem;

import io.kache.api.ArtifactStore;
import io.kache.api.ArtifactStoreProvider;
import io.kache.api.RemoteSettings;
import io.kache.api.StoreMisconfiguredException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code filesystem} remote: a shared directory such as an NFS mount, holding
 * {@code {prefix}/{crate}/{key}.tar.zst} like a bucket would. Needs {@code [cache.remote] path};
 * the directory must exist (kache never creates it, so an unmounted share is reported rather than
 * silently replaced by a local directory).
 */
public final class FilesystemStoreProvider implements ArtifactStoreProvider {

    /** The provider id and the remote type it serves. */
    public static final String ID = "filesystem";

    public FilesystemStoreProvider() {
        // ServiceLoader needs a public no-argument constructor.
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String type() {
        return ID;
    }

    @Override
    public int priority() {
        return 0;
    }

    /**
     * Opens the directory named by {@link RemoteSettings#path()}. Writes nothing.
     *
     * @throws StoreMisconfiguredException if no path is set, or it is relative, missing or not a directory
     */
    @Override
    public ArtifactStore open(RemoteSettings settings) throws StoreMisconfiguredException {
        Path root = settings.requirePath().normalize();
        if (!root.isAbsolute()) {
            throw new StoreMisconfiguredException("shared directory '" + root + "' must be an absolute path"
                    + " (remote type filesystem, [cache.remote] path)");
        }
        if (!Files.isDirectory(root)) {
            throw new FilesystemErrors(root).missingRoot();
        }
        return new FilesystemArtifactStore(root, settings.layout());
    }

    @Override
    public Map<String, String> describe(RemoteSettings settings) {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("provider", ID);
        d.put("path", settings.path().map(Path::toString).orElse("(not set)"));
        d.put("prefix", settings.layout().prefix());
        d.put("read_only", Boolean.toString(settings.readOnly()));
        return d;
    }
}
