package io.kache.core.hash;

import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 of files and buffers, as lowercase hex. */
public final class Sha256 {

    private Sha256() {
    }

    /** A fresh SHA-256 digest (every JDK has one). */
    public static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }

    /** The digest's value as 64 lowercase hex characters; resets the digest. */
    public static String hex(MessageDigest digest) {
        return HexFormat.of().formatHex(digest.digest());
    }

    /** SHA-256 of {@code bytes}. */
    public static String of(byte[] bytes) {
        MessageDigest d = newDigest();
        d.update(bytes);
        return hex(d);
    }

    /** SHA-256 of the content of {@code file}, read in one pass. */
    public static String of(Path file) throws IOException {
        MessageDigest d = newDigest();
        WholeFile.read(file, d, null);
        return hex(d);
    }
}
