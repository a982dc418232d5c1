package io.kache.core.remote;

import io.kache.api.RemoteSettings;
import io.kache.core.hash.Sha256;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a remote's entries land, as a short digest: one local store serves projects with different
 * remotes, and what it keeps per remote (the write-back queue, the uploader's lock) is keyed by it.
 * Only what names the place goes in: type, endpoint, bucket, region, prefix, directory. Credentials,
 * profile, client and timeouts do not: they change how kache reaches the place, not which place, and
 * no secret ever ends up in a file name.
 *
 * @param id 16 lowercase hex characters
 */
public record RemoteDestination(String id) {

    private static final int LENGTH = 16;

    public RemoteDestination {
        Objects.requireNonNull(id, "id");
        if (!isValidId(id)) {
            throw new IllegalArgumentException("not a remote destination id: " + id);
        }
    }

    /** The destination of {@code settings}. */
    public static RemoteDestination of(RemoteSettings settings) {
        // Each part framed by its length: no two different destinations concatenate alike.
        StringBuilder parts = new StringBuilder();
        for (String part : new String[] {settings.type(), settings.endpoint().map(Object::toString).orElse(""),
                settings.bucket().orElse(""), settings.region(), settings.layout().prefix(),
                settings.path().map(p -> p.toAbsolutePath().normalize()).map(Path::toString).orElse("")}) {
            parts.append(part.length()).append(':').append(part).append('\n');
        }
        return new RemoteDestination(Sha256.of(parts.toString().getBytes(StandardCharsets.UTF_8)).substring(0, LENGTH));
    }

    /** Whether {@code s} is what {@link #id} holds. */
    public static boolean isValidId(String s) {
        if (s.length() != LENGTH) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return id;
    }
}
