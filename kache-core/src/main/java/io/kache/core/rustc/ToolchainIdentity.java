package io.kache.core.rustc;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The toolchain's identity, {@code rustc -vV}, remembered per compiler binary (by its real path,
 * size and modification time) so a build runs it once, not once per crate. Through a rustup proxy
 * the binary says nothing about the toolchain it will pick, so the banner is asked for every time.
 */
public final class ToolchainIdentity {

    private final Path cacheDir;

    /** @param cacheDir where banners are remembered, one small file per binary */
    public ToolchainIdentity(Path cacheDir) {
        this.cacheDir = cacheDir;
    }

    public String banner(Path rustc, Map<String, String> env, Path cwd) throws IOException {
        Path real = rustc.toRealPath();
        if (real.getFileName().toString().startsWith("rustup")) {
            return run(rustc, env, cwd);
        }
        BasicFileAttributes attrs = Files.readAttributes(real, BasicFileAttributes.class);
        String stamp = real + "\n" + attrs.size() + " " + attrs.lastModifiedTime().toMillis() + "\n";
        Path memo = cacheDir.resolve(Integer.toHexString(real.toString().hashCode()) + ".banner");
        try {
            String text = Files.readString(memo, StandardCharsets.UTF_8);
            if (text.startsWith(stamp)) {
                return text.substring(stamp.length());
            }
        } catch (IOException missing) {
            // Not remembered yet.
        }
        String banner = run(rustc, env, cwd);
        Files.createDirectories(cacheDir);
        Path tmp = Files.createTempFile(cacheDir, ".banner-", ".tmp");
        Files.writeString(tmp, stamp + banner, StandardCharsets.UTF_8);
        Files.move(tmp, memo, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return banner;
    }

    private static String run(Path rustc, Map<String, String> env, Path cwd) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(rustc.toString(), "-vV").directory(cwd.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().clear();
        pb.environment().putAll(env);
        Process p = pb.start();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IOException(rustc + " -vV failed");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while asking " + rustc + " -vV", e);
        }
        if (!out.contains("release:")) {
            throw new IOException(rustc + " -vV printed no release line");
        }
        return out;
    }
}
