package io.kache.core.pack;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import io.kache.core.entry.EntryManifest;
import io.kache.core.entry.ManifestCodec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Builds packs an attacker could upload: any tar members, any manifest bytes, wrapped in zstd
 * with a valid integrity trailer, so each case is refused by the check it targets and not merely
 * by the trailer.
 */
final class HostilePacks {

    private final ByteArrayOutputStream tarBytes = new ByteArrayOutputStream();
    private final TarArchiveOutputStream tar;
    private int windowLog;
    private long zeroTail;
    private byte[] framesBefore = new byte[0];
    private byte[] framesAfter = new byte[0];

    HostilePacks() {
        tar = new TarArchiveOutputStream(tarBytes, StandardCharsets.UTF_8.name());
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    }

    HostilePacks manifest(EntryManifest m) throws IOException {
        return manifestBytes(ManifestCodec.encode(m));
    }

    HostilePacks manifestBytes(byte[] encoded) throws IOException {
        return file(PackFormat.MANIFEST_NAME, encoded, 0644);
    }

    HostilePacks file(String name, byte[] content, int mode) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name, true);
        e.setSize(content.length);
        e.setMode(0100000 | mode);
        tar.putArchiveEntry(e);
        tar.write(content);
        tar.closeArchiveEntry();
        return this;
    }

    /** A member of another type than a plain file: link, device, FIFO, directory. */
    HostilePacks special(String name, byte type, String linkTarget) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name, type, true);
        if (linkTarget != null) {
            e.setLinkName(linkTarget);
        }
        e.setMode(0644);
        tar.putArchiveEntry(e);
        tar.closeArchiveEntry();
        return this;
    }

    HostilePacks windowLog(int log) {
        this.windowLog = log;
        return this;
    }

    /** Appends {@code n} zero bytes after the archive, inside the compressed stream. */
    HostilePacks zeroTail(long n) {
        this.zeroTail = n;
        return this;
    }

    /** Puts {@code frames}, raw zstd frames, before the compressed archive; the trailer covers them. */
    HostilePacks framesBefore(byte[] frames) {
        this.framesBefore = frames;
        return this;
    }

    /** Puts {@code frames}, raw zstd frames, after the compressed archive; the trailer covers them. */
    HostilePacks framesAfter(byte[] frames) {
        this.framesAfter = frames;
        return this;
    }

    /** {@code count} skippable frames of 64 KiB each: zstd reads past them, producing nothing. */
    static byte[] skippableFrames(int count) {
        int size = 64 << 10;
        ByteBuffer b = ByteBuffer.allocate(count * size).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < count; i++) {
            b.position(i * size);
            b.putInt(0x184D2A50 + i % 16).putInt(size - 8);
        }
        return b.array();
    }

    /** Empty zstd frames, {@code count} of them: each valid, each decompressing to nothing. */
    static byte[] emptyFrames(int count) {
        byte[] one = Zstd.compress(new byte[0], 3);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < count; i++) {
            out.writeBytes(one);
        }
        return out.toByteArray();
    }

    /**
     * One zstd frame of {@code count} empty raw blocks: within a single frame, so refusing extra
     * frames alone would not stop it.
     */
    static byte[] emptyBlocks(int count) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        // Magic, then a frame header descriptor with no content size, no checksum, a 1 KiB window.
        out.writeBytes(new byte[] {0x28, (byte) 0xB5, 0x2F, (byte) 0xFD, 0x00, 0x00});
        for (int i = 0; i < count; i++) {
            out.writeBytes(new byte[] {0x00, 0x00, 0x00});
        }
        out.writeBytes(new byte[] {0x01, 0x00, 0x00});
        return out.toByteArray();
    }

    byte[] build() throws IOException {
        tar.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CRC32C crc = new CRC32C();
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (ZstdOutputStreamNoFinalizer z = new ZstdOutputStreamNoFinalizer(compressed, 3)) {
            z.setChecksum(true);
            if (windowLog > 0) {
                z.setLong(windowLog);
                z.setWindowLog(windowLog);
            }
            z.write(tarBytes.toByteArray());
            byte[] zeros = new byte[1 << 20];
            for (long left = zeroTail; left > 0; left -= zeros.length) {
                z.write(zeros, 0, (int) Math.min(zeros.length, left));
            }
        }
        out.write(framesBefore);
        out.write(compressed.toByteArray());
        out.write(framesAfter);
        byte[] c = out.toByteArray();
        crc.update(c);
        out.write(PackTrailer.encode(crc.getValue()));
        return out.toByteArray();
    }

    /** Encoded manifest with one string replaced by another of the same length, CRC fixed up. */
    static byte[] patchManifest(EntryManifest m, String from, String to) {
        byte[] b = ManifestCodec.encode(m);
        byte[] f = from.getBytes(StandardCharsets.UTF_8);
        byte[] t = to.getBytes(StandardCharsets.UTF_8);
        if (f.length != t.length) {
            throw new IllegalArgumentException("same length needed");
        }
        outer:
        for (int i = 0; i + f.length <= b.length; i++) {
            for (int j = 0; j < f.length; j++) {
                if (b[i + j] != f[j]) {
                    continue outer;
                }
            }
            System.arraycopy(t, 0, b, i, t.length);
            CRC32C crc = new CRC32C();
            crc.update(b, 0, b.length - 4);
            ByteBuffer.wrap(b).putInt(b.length - 4, (int) crc.getValue());
            return b;
        }
        throw new IllegalArgumentException("'" + from + "' not in manifest");
    }

    static final byte SYMLINK = TarConstants.LF_SYMLINK;
    static final byte HARDLINK = TarConstants.LF_LINK;
    static final byte CHAR_DEVICE = TarConstants.LF_CHR;
    static final byte FIFO = TarConstants.LF_FIFO;
    static final byte DIRECTORY = TarConstants.LF_DIR;
}
