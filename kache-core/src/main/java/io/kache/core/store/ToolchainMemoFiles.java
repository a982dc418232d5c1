package io.kache.core.store;

import io.kache.core.rustc.ToolchainMemo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** The toolchain memo: one small file per name in {@code toolchains/}, probes' output in {@code tmp/}. */
final class ToolchainMemoFiles implements ToolchainMemo {

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
        try {
            return Optional.of(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    @Override
    public void write(String name, String text) throws IOException {
        layout.writeAtomically(file(name), text);
    }

    @Override
    public Path newTemp(String purpose) {
        return layout.newTemp(purpose);
    }

    private Path file(String name) {
        if (name.isEmpty() || name.contains("/") || name.startsWith(".")) {
            throw new IllegalArgumentException("not a memo name: " + name);
        }
        return layout.toolchainsDir().resolve(name);
    }
}
