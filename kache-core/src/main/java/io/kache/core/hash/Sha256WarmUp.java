package io.kache.core.hash;

import java.security.MessageDigest;

/**
 * Gets the JIT to compile SHA-256 in a fresh JVM before real work needs it. The JDK's SHA-256 is
 * Java code that runs at 10-25 MB/s until C2 compiles {@code DigestBase.implCompressMultiBlock0}
 * with its CPU-instruction stub (SHA-NI or AVX2, about 1 GB/s here), which takes about a MiB of
 * hashing. In a fresh kache server that MiB arrives with a build's first calls, whose code floods
 * the compile queue: a fresh runner's prefetch then verified megabytes of pulled files in the
 * interpreter. Hashing a few MiB on a thread of its own as the server starts, while cargo is still
 * starting, gets the compile queued first.
 */
public final class Sha256WarmUp {

    /** Enough updates of the size the pack reader and file hasher use for C2 to compile the loop. */
    static final int ROUNDS = 48;
    static final int CHUNK = 64 * 1024;

    private Sha256WarmUp() {
    }

    /** Starts the warm-up on a daemon thread and returns at once. */
    public static void startInBackground() {
        Thread t = new Thread(Sha256WarmUp::run, "kache-warm-up");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
    }

    /** Hashes {@link #ROUNDS} chunks; returns the digest so the work cannot be optimised away. */
    static byte[] run() {
        MessageDigest digest = Sha256.newDigest();
        byte[] chunk = new byte[CHUNK];
        for (int i = 0; i < ROUNDS; i++) {
            chunk[i] = (byte) i;
            digest.update(chunk, 0, chunk.length);
        }
        return digest.digest();
    }
}
