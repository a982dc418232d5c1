package io.kache.core.store;

import io.kache.core.rustc.ToolchainMemo;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The toolchain memo: one small file per name in {@code memos/}, each sealed with its own check
 * ({@link MemoSeal}), written durably; probes' output in {@code tmp/}. A file that fails its check is
 * no memo: it is deleted, and its question goes to the compiler again and is remembered anew.
 */
final class ToolchainMemoFiles implements ToolchainMemo {

    /** Far above any answer (a banner, the target info: a few KiB): a larger file is not read, it is no memo. */
    private static final long MAX_BYTES = 1 << 20;

    private final StoreLayout layout;

    ToolchainMemoFiles(StoreLayout layout) {
        this.layout = layout;
    }

    @Override
    public Optional<String> read(String name) {
        Path file = file(name);
        // java.io first: a memo not written yet is common on a cold cache, and NIO throws for it.
        if (!file.toFile().isFile()) {
            return Optional.empty();
        }
        Optional<byte[]> bytes = bytes(file);
        Optional<String> text = bytes.flatMap(MemoSeal::open);
        if (bytes.isPresent() && text.isEmpty()) {
            // Damaged or an older kache's: gone, so the answer asked now is remembered in its place.
            forget(file);
        }
        return text;
    }

    @Override
    public void write(String name, String text) throws IOException {
        layout.writeDurably(file(name), MemoSeal.seal(text));
    }

    @Override
    public Path newTemp(String purpose) {
        return layout.newTemp(purpose);
    }

    /** Checks every memo and deletes those that fail; see {@link MemoVerification}. */
    MemoVerification verifyAll() {
        List<String> damaged = new ArrayList<>();
        List<String> unsealed = new ArrayList<>();
        String[] names = layout.toolchainsDir().toFile().list();
        if (names != null) {
            Arrays.sort(names);
            for (String name : names) {
                Path file = layout.toolchainsDir().resolve(name);
                if (!file.toFile().isFile()) {
                    continue;
                }
                Optional<byte[]> bytes = bytes(file);
                if (bytes.isEmpty()) {
                    continue;   // unreadable here (another user's): not damaged, and read as no memo anyway
                }
                MemoSeal.State state = MemoSeal.judge(bytes.get());
                if (state != MemoSeal.State.SOUND) {
                    (state == MemoSeal.State.DAMAGED ? damaged : unsealed).add(name);
                    forget(file);
                }
            }
        }
        return new MemoVerification(names == null ? 0 : names.length, damaged, unsealed);
    }

    /** Deletes every memo: each question is asked again the next time it is asked. The number deleted. */
    int forgetAll() {
        String[] names = layout.toolchainsDir().toFile().list();
        int deleted = 0;
        for (String name : names == null ? new String[0] : names) {
            File file = layout.toolchainsDir().resolve(name).toFile();
            if (file.isFile() && file.delete()) {
                deleted++;
            }
        }
        return deleted;
    }

    private static Optional<byte[]> bytes(Path file) {
        try {
            // The size first: a huge file in its place would be read whole on every call. It is
            // taken as an empty one, which fails the check.
            return file.toFile().length() > MAX_BYTES ? Optional.of(new byte[0]) : Optional.of(Files.readAllBytes(file));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static void forget(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException | RuntimeException e) {
            // Not ours to delete (a shared store): it stays no memo, and its answer is not remembered.
        }
    }

    private Path file(String name) {
        if (name.isEmpty() || name.contains("/") || name.startsWith(".")) {
            throw new IllegalArgumentException("not a memo name: " + name);
        }
        return layout.toolchainsDir().resolve(name);
    }
}
