package io.kache.core.remote.filesystem;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A lazy stream over one directory's names that closes the directory with the stream and reports
 * a failure mid-listing as {@link UncheckedIOException} wrapping a mapped store exception, as
 * {@link io.kache.api.ArtifactStore#list} promises.
 */
final class DirectoryListing {

    private DirectoryListing() {
    }

    static Stream<String> names(DirectoryStream<Path> directory, Path dir, FilesystemErrors errors) {
        Iterator<Path> raw = directory.iterator();
        Iterator<String> names = new Iterator<>() {
            @Override
            public boolean hasNext() {
                try {
                    return raw.hasNext();
                } catch (DirectoryIteratorException e) {
                    throw new UncheckedIOException(errors.map(e.getCause(), dir, "list"));
                }
            }

            @Override
            public String next() {
                return raw.next().getFileName().toString();
            }
        };
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(names, Spliterator.ORDERED), false)
                .onClose(() -> close(directory, dir, errors));
    }

    private static void close(DirectoryStream<Path> directory, Path dir, FilesystemErrors errors) {
        try {
            directory.close();
        } catch (IOException e) {
            throw new UncheckedIOException(errors.map(e, dir, "list"));
        }
    }
}
