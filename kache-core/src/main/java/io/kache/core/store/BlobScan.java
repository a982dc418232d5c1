package io.kache.core.store;

import io.kache.core.entry.EntryFile;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * One pass over {@code blobs/}: deletes every blob not in the referenced set, and reports the
 * sizes of those kept.
 */
record BlobScan(Map<String, Long> sizes, long bytesKept, long removed, long bytesFreed) {

    static BlobScan sweep(Path blobsDir, Set<String> referenced) throws IOException {
        Map<String, Long> sizes = new HashMap<>();
        long kept = 0;
        long removed = 0;
        long freed = 0;
        try (DirectoryStream<Path> shards = Files.newDirectoryStream(blobsDir)) {
            for (Path shard : shards) {
                if (!Files.isDirectory(shard)) {
                    continue;
                }
                try (DirectoryStream<Path> files = Files.newDirectoryStream(shard)) {
                    for (Path blob : files) {
                        String name = blob.getFileName().toString();
                        long size;
                        try {
                            size = Files.readAttributes(blob, BasicFileAttributes.class).size();
                        } catch (NoSuchFileException e) {
                            continue;
                        }
                        if (EntryFile.isSha256Hex(name) && referenced.contains(name)) {
                            sizes.put(name, size);
                            kept += size;
                        } else if (Files.deleteIfExists(blob)) {
                            removed++;
                            freed += size;
                        }
                    }
                }
            }
        } catch (NoSuchFileException e) {
            return new BlobScan(sizes, 0, 0, 0);
        }
        return new BlobScan(sizes, kept, removed, freed);
    }

    /** Total bytes of every blob, without deleting anything. */
    static long totalBytes(Path blobsDir) throws IOException {
        long total = 0;
        try (DirectoryStream<Path> shards = Files.newDirectoryStream(blobsDir)) {
            for (Path shard : shards) {
                if (!Files.isDirectory(shard)) {
                    continue;
                }
                try (DirectoryStream<Path> files = Files.newDirectoryStream(shard)) {
                    for (Path blob : files) {
                        try {
                            total += Files.readAttributes(blob, BasicFileAttributes.class).size();
                        } catch (NoSuchFileException e) {
                            // Removed meanwhile.
                        }
                    }
                }
            }
        } catch (NoSuchFileException e) {
            return 0;
        }
        return total;
    }
}
