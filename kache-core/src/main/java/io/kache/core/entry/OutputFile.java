package io.kache.core.entry;

import java.nio.file.Path;
import java.util.Objects;

/**
 * An output of a rustc call, to be stored in an entry under {@code name}.
 *
 * @param name the entry file name (see {@link EntryNames}), usually the path relative to the
 *     call's output directory
 * @param source the file as rustc wrote it; read once while storing, never modified
 */
public record OutputFile(String name, Path source) {

    public OutputFile {
        EntryNames.check(name);
        Objects.requireNonNull(source, "source");
    }
}
