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
        long[] keptRemovedFreed = new long[3];
        forEachBlob(blobsDir, (blob, name, size) -> {
            if (EntryFile.isSha256Hex(name) && referenced.contains(name)) {
                sizes.put(name, size);
                keptRemovedFreed[0] += size;
            } else if (Files.deleteIfExists(blob)) {
                keptRemovedFreed[1]++;
                keptRemovedFreed[2] += size;
            }
        });
        return new BlobScan(sizes, keptRemovedFreed[0], keptRemovedFreed[1], keptRemovedFreed[2]);
    }

    /** Every blob kept and measured: for a pass that cannot tell which blobs are referenced. */
    static BlobScan measure(Path blobsDir) throws IOException {
        Map<String, Long> sizes = new HashMap<>();
        long[] kept = new long[1];
        forEachBlob(blobsDir, (blob, name, size) -> {
            sizes.put(name, size);
            kept[0] += size;
        });
        return new BlobScan(sizes, kept[0], 0, 0);
    }

    /** Total bytes of every blob, without deleting anything. */
    static long totalBytes(Path blobsDir) throws IOException {
        long[] total = new long[1];
        forEachBlob(blobsDir, (blob, name, size) -> total[0] += size);
        return total[0];
    }

    interface BlobVisitor {
        void visit(Path blob, String name, long size) throws IOException;
    }

    /** Visits every blob of the sharded directory; blobs removed meanwhile, or no directory at all, are skipped. */
    static void forEachBlob(Path blobsDir, BlobVisitor visitor) throws IOException {
        try (DirectoryStream<Path> shards = Files.newDirectoryStream(blobsDir)) {
            for (Path shard : shards) {
                if (!Files.isDirectory(shard)) {
                    continue;
                }
                try (DirectoryStream<Path> files = Files.newDirectoryStream(shard)) {
                    for (Path blob : files) {
                        long size;
                        try {
                            size = Files.readAttributes(blob, BasicFileAttributes.class).size();
                        } catch (NoSuchFileException e) {
                            continue;
                        }
                        visitor.visit(blob, blob.getFileName().toString(), size);
                    }
                }
            }
        } catch (NoSuchFileException e) {
            // No blobs yet.
        }
    }
}
