package io.kache.core.entry;

import io.kache.api.ArtifactKey;
import io.kache.api.CorruptedEntryException;
import java.io.ByteArrayOutputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * The byte form of an {@link EntryManifest}, used both as the local store's entry file and as the
 * first member of a pack. Hand-rolled and tiny because it is parsed on every cache hit in a fresh
 * JVM: no JSON library, no reflection, one pass over a byte array.
 *
 * <pre>
 * "KACHEENT"  u32 version
 * str crate   str cacheKey
 * u32 nFiles  { str name  u64 size  u8 flags(bit0 executable)  32 bytes sha256 }
 * u32 nAttrs  { str key  str value }            sorted by key
 * bytes stdout  bytes stderr
 * u32 crc32c of everything before it
 * </pre>
 * {@code str} and {@code bytes} are a u32 length and that many bytes (UTF-8 for {@code str}),
 * integers big-endian. Encoding is deterministic: equal manifests give equal bytes.
 *
 * <p>An entry's other {@link Rendering renderings} are attributes among the others, four for the
 * {@code N}th (from 1, oldest first): {@code kache.rendering.N.flags}, {@code .stdout},
 * {@code .stderr} and {@code .notifications}. So the format version did not change: a kache that
 * knows nothing of renderings reads such a manifest, keeps the attributes and ignores them, as this
 * one ignores renderings it cannot read (a newer kache's), rather than take the entry for damaged (a new
 * version would have been "another version", an entry it drops, in a store or a CI cache shared by
 * both). Reading them back is strict: a gap, a missing or unknown field, more than
 * {@link EntryManifest#MAX_RENDERINGS} or one too long is damage, refused like any other.
 */
public final class ManifestCodec {

    /** Largest encoded manifest accepted (diagnostics can be large, but not this large). */
    public static final int MAX_ENCODED_SIZE = 64 << 20;

    private static final byte[] MAGIC = "KACHEENT".getBytes(StandardCharsets.US_ASCII);
    private static final HexFormat HEX = HexFormat.of();
    private static final String FLAGS = "flags";
    private static final String STDOUT = "stdout";
    private static final String STDERR = "stderr";
    private static final String NOTIFICATIONS = "notifications";

    private ManifestCodec() {
    }

    /** Encodes {@code m}; throws IllegalArgumentException if it would exceed {@link #MAX_ENCODED_SIZE}. */
    public static byte[] encode(EntryManifest m) {
        Out out = new Out();
        out.raw(MAGIC);
        out.u32(EntryManifest.FORMAT_VERSION);
        out.str(m.key().crateName());
        out.str(m.key().cacheKey());
        out.u32(m.files().size());
        for (EntryFile f : m.files()) {
            out.str(f.name());
            out.u64(f.size());
            out.write(f.executable() ? 1 : 0);
            out.raw(HEX.parseHex(f.sha256()));
        }
        Map<String, String> attributes = m.attributes();
        if (!m.renderings().isEmpty()) {
            java.util.TreeMap<String, String> all = new java.util.TreeMap<>(attributes);
            for (int i = 0; i < m.renderings().size(); i++) {
                Rendering r = m.renderings().get(i);
                String prefix = EntryManifest.RESERVED_PREFIX + (i + 1) + ".";
                all.put(prefix + FLAGS, r.flags());
                all.put(prefix + STDOUT, r.stdout());
                all.put(prefix + STDERR, r.stderr());
                all.put(prefix + NOTIFICATIONS, r.notifications());
            }
            attributes = all;
        }
        out.u32(attributes.size());
        for (Map.Entry<String, String> e : attributes.entrySet()) {
            out.str(e.getKey());
            out.str(e.getValue());
        }
        out.bytes(m.stdoutUnsafe());
        out.bytes(m.stderrUnsafe());
        CRC32C crc = new CRC32C();
        crc.update(out.buffer(), 0, out.size());
        out.u32((int) crc.getValue());
        if (out.size() > MAX_ENCODED_SIZE) {
            throw new IllegalArgumentException("entry " + m.key() + " encodes to " + out.size()
                    + " bytes, more than the limit of " + MAX_ENCODED_SIZE);
        }
        return out.toByteArray();
    }

    /**
     * Decodes and validates a manifest.
     *
     * @param origin what the bytes are, for error messages (a path, a pack name)
     * @throws CorruptedEntryException naming {@code origin} if the bytes are truncated, fail the
     *     checksum, have another format version, or hold invalid names, keys or hashes
     */
    public static EntryManifest decode(byte[] bytes, String origin) throws CorruptedEntryException {
        if (bytes.length < MAGIC.length + 8) {
            throw corrupted(origin, "too short (" + bytes.length + " bytes)", null);
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length - 4);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        if ((int) crc.getValue() != in.getInt(bytes.length - 4)) {
            throw corrupted(origin, "checksum mismatch", null);
        }
        in.limit(bytes.length - 4);
        try {
            for (byte b : MAGIC) {
                if (in.get() != b) {
                    throw corrupted(origin, "not a kache entry (bad magic)", null);
                }
            }
            int version = in.getInt();
            if (version != EntryManifest.FORMAT_VERSION) {
                throw corrupted(origin, "format version " + version + ", expected " + EntryManifest.FORMAT_VERSION,
                        null);
            }
            ArtifactKey key = new ArtifactKey(str(in), str(in));
            int nFiles = count(in, 45);
            List<EntryFile> files = new ArrayList<>(nFiles);
            for (int i = 0; i < nFiles; i++) {
                String name = str(in);
                long size = in.getLong();
                int flags = in.get();
                byte[] sha = new byte[32];
                in.get(sha);
                if ((flags & ~1) != 0) {
                    throw corrupted(origin, "unknown flags " + flags + " on file '" + name + "'", null);
                }
                files.add(new EntryFile(name, size, (flags & 1) != 0, HEX.formatHex(sha)));
            }
            int nAttrs = count(in, 8);
            Map<String, String> attributes = new LinkedHashMap<>();
            Map<String, String> rendered = null;
            for (int i = 0; i < nAttrs; i++) {
                String name = str(in);
                String value = str(in);
                if (name.startsWith(EntryManifest.RESERVED_PREFIX)) {
                    if (rendered == null) {
                        rendered = new HashMap<>();
                    }
                    rendered.put(name, value);
                } else {
                    attributes.put(name, value);
                }
            }
            byte[] stdout = bytes(in);
            byte[] stderr = bytes(in);
            if (in.hasRemaining()) {
                throw corrupted(origin, in.remaining() + " trailing bytes", null);
            }
            return withRenderings(key, files, stdout, stderr, attributes, rendered);
        } catch (BufferUnderflowException e) {
            throw corrupted(origin, "truncated", e);
        } catch (IllegalArgumentException e) {
            throw corrupted(origin, e.getMessage(), e);
        }
    }

    /**
     * The manifest with the renderings {@code rendered} holds, or with none when they are not this
     * version's well-formed renderings: a newer kache sharing the store may write more of them, or
     * more fields, and its entry must not be taken for damaged here (and dropped). The entry's own
     * files and streams, under the checksum, are what is served; a rendering this version cannot read
     * costs a miss of those flags only.
     */
    private static EntryManifest withRenderings(ArtifactKey key, List<EntryFile> files, byte[] stdout, byte[] stderr,
                                                Map<String, String> attributes, Map<String, String> rendered) {
        if (rendered != null) {
            try {
                return new EntryManifest(key, files, stdout, stderr, attributes, renderings(rendered));
            } catch (IllegalArgumentException e) {
                // Not renderings this version reads: the entry without them.
            }
        }
        return new EntryManifest(key, files, stdout, stderr, attributes, List.of());
    }

    /** The renderings the reserved attributes hold, all of them used; refused if any is missing or unknown. */
    private static List<Rendering> renderings(Map<String, String> rendered) {
        if (rendered.size() % 4 != 0 || rendered.size() / 4 > EntryManifest.MAX_RENDERINGS) {
            throw new IllegalArgumentException(rendered.size() + " rendering attributes");
        }
        int n = rendered.size() / 4;
        List<Rendering> out = new ArrayList<>(n);
        for (int i = 1; i <= n; i++) {
            String prefix = EntryManifest.RESERVED_PREFIX + i + ".";
            String flags = rendered.get(prefix + FLAGS);
            String stdout = rendered.get(prefix + STDOUT);
            String stderr = rendered.get(prefix + STDERR);
            String notifications = rendered.get(prefix + NOTIFICATIONS);
            if (flags == null || stdout == null || stderr == null || notifications == null) {
                throw new IllegalArgumentException("rendering " + i + " is incomplete or its attributes are unknown");
            }
            out.add(new Rendering(flags, stdout, stderr, notifications));
        }
        return out;
    }

    private static int count(ByteBuffer in, int minRecordSize) {
        int n = in.getInt();
        if (n < 0 || (long) n * minRecordSize > in.remaining()) {
            throw new IllegalArgumentException("count " + n + " does not fit in " + in.remaining() + " bytes");
        }
        return n;
    }

    private static byte[] bytes(ByteBuffer in) {
        int n = in.getInt();
        if (n < 0 || n > in.remaining()) {
            throw new IllegalArgumentException("length " + n + " does not fit in " + in.remaining() + " bytes");
        }
        byte[] b = new byte[n];
        in.get(b);
        return b;
    }

    private static String str(ByteBuffer in) {
        byte[] b = bytes(in);
        if (isAscii(b)) {
            // Names, keys and recorded inputs are ASCII nearly always; they need no checked decoder.
            return new String(b, StandardCharsets.US_ASCII);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("invalid UTF-8 in a string", e);
        }
    }

    private static boolean isAscii(byte[] b) {
        for (byte x : b) {
            if (x < 0) {
                return false;
            }
        }
        return true;
    }

    private static CorruptedEntryException corrupted(String origin, String what, Throwable cause) {
        return new CorruptedEntryException("corrupted entry metadata in " + origin + ": " + what, cause);
    }

    /** A growable buffer with the few writers the format needs. */
    private static final class Out extends ByteArrayOutputStream {
        Out() {
            super(512);
        }

        byte[] buffer() {
            return buf;
        }

        void raw(byte[] b) {
            write(b, 0, b.length);
        }

        void u32(int v) {
            write(v >>> 24);
            write(v >>> 16);
            write(v >>> 8);
            write(v);
        }

        void u64(long v) {
            u32((int) (v >>> 32));
            u32((int) v);
        }

        void bytes(byte[] b) {
            u32(b.length);
            raw(b);
        }

        void str(String s) {
            bytes(s.getBytes(StandardCharsets.UTF_8));
        }
    }
}
