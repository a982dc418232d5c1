package io.kache.core.store;

import io.kache.core.hash.Sha256;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * The one format of a toolchain memo file: a header line {@code kache-memo 1 LENGTH SHA256} before the
 * text, which holds exactly LENGTH bytes with that digest. A memo's text is handed to cargo as a
 * compiler's answer ({@code -vV}, the target-info probe) or keys calls (a banner, a proxy's binary, a
 * linker program): a file a crash left empty (a rename can reach the disk before the data it names),
 * cut short or overwritten would be a failed build or, cut inside the cfg list, a wrong artifact
 * (cargo took it without complaint and a build script saw no {@code CARGO_CFG_TARGET_OS}). Any such
 * file fails the check, and so does one an older kache wrote without it: read as no memo.
 */
final class MemoSeal {

    private static final String MAGIC = "kache-memo 1 ";
    private static final byte[] MAGIC_BYTES = MAGIC.getBytes(StandardCharsets.US_ASCII);
    private static final int DIGEST_CHARS = 64;

    /** What a memo file holds, as judged by its check. */
    enum State {
        /** The header matches the text. */
        SOUND,
        /** No header: an older kache's memo, or a file kache never wrote. */
        UNSEALED,
        /** Empty, or a header the text does not match: damaged after it was written. */
        DAMAGED
    }

    private MemoSeal() {
    }

    /** The file content that remembers {@code text}. */
    static byte[] seal(String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        byte[] header = (MAGIC + payload.length + " " + Sha256.of(payload) + "\n").getBytes(StandardCharsets.US_ASCII);
        byte[] file = Arrays.copyOf(header, header.length + payload.length);
        System.arraycopy(payload, 0, file, header.length, payload.length);
        return file;
    }

    /** The text {@code file} remembers, when it passes its check. */
    static Optional<String> open(byte[] file) {
        int newline = headerEnd(file);
        if (newline < 0) {
            return Optional.empty();
        }
        String[] fields = new String(file, MAGIC_BYTES.length, newline - MAGIC_BYTES.length,
                StandardCharsets.US_ASCII).split(" ", -1);
        if (fields.length != 2 || fields[1].length() != DIGEST_CHARS || !isLength(fields[0])) {
            return Optional.empty();
        }
        byte[] payload = Arrays.copyOfRange(file, newline + 1, file.length);
        if (Long.parseLong(fields[0]) != payload.length || !Sha256.of(payload).equals(fields[1])) {
            return Optional.empty();
        }
        return Optional.of(new String(payload, StandardCharsets.UTF_8));
    }

    /** How {@code file} fares under the check; see {@link State}. */
    static State judge(byte[] file) {
        if (open(file).isPresent()) {
            return State.SOUND;
        }
        // A prefix of the magic counts as a header cut short: an empty file too, which no kache wrote.
        int n = Math.min(file.length, MAGIC_BYTES.length);
        return Arrays.equals(file, 0, n, MAGIC_BYTES, 0, n) ? State.DAMAGED : State.UNSEALED;
    }

    /** Where the header line ends, or -1 when {@code file} does not start with one. */
    private static int headerEnd(byte[] file) {
        if (file.length <= MAGIC_BYTES.length || !Arrays.equals(file, 0, MAGIC_BYTES.length, MAGIC_BYTES, 0,
                MAGIC_BYTES.length)) {
            return -1;
        }
        // The header is short: a file without its newline near the start is not a memo.
        int limit = Math.min(file.length, MAGIC_BYTES.length + 20 + 1 + DIGEST_CHARS + 1);
        for (int i = MAGIC_BYTES.length; i < limit; i++) {
            if (file[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static boolean isLength(String s) {
        if (s.isEmpty() || s.length() > 18) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}
