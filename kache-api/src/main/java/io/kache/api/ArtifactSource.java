package io.kache.api;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The bytes to store, with their size known up front. It can be opened more than once, because an
 * upload that is retried or sent in parts needs to read it again.
 */
public interface ArtifactSource {

    /** A fresh stream over all the bytes, from the start. The caller closes it. */
    InputStream open() throws IOException;

    /** The exact number of bytes {@link #open} yields. */
    long size();

    /** A source backed by a file that must not change while it is being stored. */
    static ArtifactSource ofFile(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        long size = Files.size(file);
        return new ArtifactSource() {
            @Override
            public InputStream open() throws IOException {
                return Files.newInputStream(file);
            }

            @Override
            public long size() {
                return size;
            }

            @Override
            public String toString() {
                return "file " + file + " (" + size + " bytes)";
            }
        };
    }

    /** A source over bytes already in memory (small entries, tests). The array is not copied. */
    static ArtifactSource ofBytes(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        return new ArtifactSource() {
            @Override
            public InputStream open() {
                return new ByteArrayInputStream(bytes);
            }

            @Override
            public long size() {
                return bytes.length;
            }

            @Override
            public String toString() {
                return bytes.length + " bytes";
            }
        };
    }
}
