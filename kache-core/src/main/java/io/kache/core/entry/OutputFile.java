package io.kache.core.entry;

import io.kache.core.hash.FileIdentity;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * An output of a rustc call, to be stored in an entry under {@code name}.
 *
 * @param name the entry file name (see {@link EntryNames}), usually the path relative to the
 *     call's output directory
 * @param source the file as rustc wrote it; read once while storing, never modified
 * @param content the identity {@code source} must still have when it is read (a pinned output's,
 *     taken when it was pinned; see {@link FileIdentity#sameContentAs}), or empty: then it must
 *     only not change while it is read
 */
public record OutputFile(String name, Path source, Optional<FileIdentity> content) {

    public OutputFile {
        EntryNames.check(name);
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(content, "content");
    }

    public OutputFile(String name, Path source) {
        this(name, source, Optional.empty());
    }
}
