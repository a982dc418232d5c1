package io.kache.core.rustc;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where {@link ToolchainIdentity} and {@link CompilerKinds} remember what they learned about a
 * compiler binary, and where a probe of one writes its output: the local store's
 * {@code memos/} and {@code tmp/} ({@link io.kache.core.store.LocalStore#toolchainMemo}).
 */
public interface ToolchainMemo {

    /**
     * The text remembered under {@code name}, exactly as written; empty when there is none, it cannot
     * be read, or it is not whole (a crash, a damaged disk, an older kache's file): such a memo is
     * forgotten, and the caller asks the compiler and remembers its answer again.
     */
    Optional<String> read(String name);

    /**
     * Remembers {@code text} under {@code name}; a reader sees the old text or the new, never a torn
     * one, and after a crash the new text whole, the old or none.
     */
    void write(String name, String text) throws IOException;

    /** A fresh path for a file the caller creates and deletes; removed by a collection if the caller dies. */
    Path newTemp(String purpose);
}
