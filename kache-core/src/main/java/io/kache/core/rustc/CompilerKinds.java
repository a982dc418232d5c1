package io.kache.core.rustc;

import io.kache.core.hash.FileIdentity;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Whether the compiler a call names is rustc, whatever it is called: a copy, a symlink, a shim
 * script or {@code clippy-driver} all answer {@code -vV} with rustc's banner, and clippy-driver
 * alone answers {@code --version} with {@code clippy …}. The answer is remembered per binary (the
 * path as called, its real path and that file's identity), so it costs one {@code -vV} and one
 * {@code --version} per binary, not per call; being rustc does not depend on which
 * toolchain a rustup proxy picks. Kept beside {@link ToolchainIdentity}'s banners, in their own
 * files: that one's key is the toolchain, this one's only the binary.
 */
public final class CompilerKinds {

    /** A compiler that has not answered {@code -vV} by then is not taken for rustc (and not remembered). */
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(10);
    private static final int MAX_BANNER_BYTES = 64 * 1024;
    private static final String RUSTC = "rustc";
    private static final String OTHER = "other";
    private static final String CLIPPY = "clippy ";

    private final ToolchainMemo memo;

    /** @param memo where answers are remembered, one small file per binary */
    public CompilerKinds(ToolchainMemo memo) {
        this.memo = memo;
    }

    /**
     * What a binary is, by what it answers.
     *
     * @param answersAsRustc its {@code -vV} is rustc's banner: rustc, or clippy-driver
     * @param clippyVersion clippy-driver's {@code --version} line ({@code clippy 0.1.95 (…)}), or empty
     */
    public record Kind(boolean answersAsRustc, Optional<String> clippyVersion) {
    }

    /**
     * Whether {@code compiler}, run with {@code env} in {@code cwd}, is rustc. A compiler that
     * cannot be started, fails or does not answer in time is not rustc, and the call then runs it
     * unchanged.
     *
     * @param compiler the absolute path the call runs (a rustup proxy is told apart by its name)
     * @throws ToolchainQuery.NoScratchException if kache had nowhere to keep the answer (a full
     *     disk): then nothing is known of the compiler, and nothing is remembered
     */
    public boolean isRustc(Path compiler, Map<String, String> env, Path cwd) throws ToolchainQuery.NoScratchException {
        return kind(compiler, env, cwd).answersAsRustc();
    }

    /** The {@code --version} line of {@code driver} when it is clippy-driver, else empty; throws as {@link #isRustc}. */
    public Optional<String> clippyVersion(Path driver, Map<String, String> env, Path cwd)
            throws ToolchainQuery.NoScratchException {
        return kind(driver, env, cwd).clippyVersion();
    }

    /**
     * What {@code compiler} is, remembered in one small file per binary. clippy-driver answers
     * {@code -vV} with rustc's banner, so a binary that does is also asked {@code --version}, once.
     * Throws as {@link #isRustc}.
     */
    public Kind kind(Path compiler, Map<String, String> env, Path cwd) throws ToolchainQuery.NoScratchException {
        Optional<String> stamp = stamp(compiler);
        // The stamp names the compiler in full: a shared file name only costs a second probe. Not
        // the ".kind" files of kache before it told clippy-driver apart: those took it for rustc.
        String name = Integer.toHexString(compiler.toString().hashCode()) + ".compiler";
        if (stamp.isPresent()) {
            Optional<String> text = memo.read(name);
            if (text.isPresent() && text.get().startsWith(stamp.get())) {
                return kindOf(text.get().substring(stamp.get().length()));
            }
        }
        Optional<String> banner = ask(compiler, "-vV", env, cwd);
        Optional<String> answer = banner.map(CompilerKinds::rustcBanner);
        if (answer.isPresent() && answer.get().equals(RUSTC)) {
            rememberBanner(compiler, banner.get(), env, cwd);
            // When --version fails it might be clippy-driver: run unchanged this time, not remembered.
            answer = ask(compiler, "--version", env, cwd).map(CompilerKinds::clippyLine);
        }
        if (answer.isPresent() && stamp.isPresent()) {
            remember(name, stamp.get() + answer.get());
        }
        return answer.map(CompilerKinds::kindOf).orElse(new Kind(false, Optional.empty()));
    }

    /** The key of the call asks for the same banner next: remembered where it looks ({@link ToolchainIdentity}). */
    private void rememberBanner(Path compiler, String banner, Map<String, String> env, Path cwd) {
        try {
            new ToolchainIdentity(memo).rememberBanner(compiler, banner, env, cwd);
        } catch (IOException | RuntimeException e) {
            // Only an optimisation: the key then asks the compiler itself.
        }
    }

    private static Kind kindOf(String answer) {
        if (answer.startsWith(CLIPPY)) {
            return new Kind(true, Optional.of(answer));
        }
        return new Kind(answer.equals(RUSTC), Optional.empty());
    }

    private static String rustcBanner(String text) {
        return isRustcBanner(text) ? RUSTC : OTHER;
    }

    /** Whether {@code text} is rustc's {@code -vV}: among its lines {@code binary: rustc} and a {@code release:}. */
    public static boolean isRustcBanner(String text) {
        boolean binary = false;
        boolean release = false;
        for (String line : text.lines().toList()) {
            binary |= line.equals("binary: rustc");
            release |= line.startsWith("release: ");
        }
        return binary && release;
    }

    /** The {@code --version} of a binary that answers {@code -vV} as rustc: clippy-driver's line, or rustc. */
    private static String clippyLine(String text) {
        String first = text.lines().findFirst().orElse("").strip();
        return first.startsWith(CLIPPY) ? first : RUSTC;
    }

    /** What the answer holds for: a changed, replaced or re-linked binary is asked again. */
    private static Optional<String> stamp(Path compiler) {
        try {
            Path real = compiler.toRealPath();
            Optional<FileIdentity> id = FileIdentity.of(real);
            if (id.isEmpty()) {
                return Optional.empty();
            }
            // Fields spelt out, no lambda: on a cold JVM a record's toString or a lambda costs tens
            // of milliseconds the first time, more than the rest of this check.
            FileIdentity i = id.get();
            return Optional.of(compiler + "\n" + real + "\n" + i.dev() + " " + i.ino() + " " + i.size() + " "
                    + i.mtimeNanos() + " " + i.ctimeNanos() + "\n");
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** What {@code compiler flag} printed on stdout, when it exited 0 in time. */
    private Optional<String> ask(Path compiler, String flag, Map<String, String> env, Path cwd)
            throws ToolchainQuery.NoScratchException {
        ToolchainQuery.Answer answer;
        try {
            // Remembered per binary, and handed on as its banner: asked as its own version.
            answer = ToolchainQuery.ask(List.of(compiler.toString(), flag), ToolchainIdentity.forRememberedAnswers(env),
                    cwd, PROBE_TIMEOUT, memo::newTemp);
        } catch (ToolchainQuery.NoScratchException e) {
            // kache's failure, not the compiler's answer: "not rustc" would leave every call uncached, silently.
            throw e;
        } catch (IOException | RuntimeException e) {
            return Optional.empty();   // cannot be asked: not rustc this time
        }
        if (!answer.succeeded()) {
            // Not rustc this time, and not remembered: a rustup proxy fails -vV while its toolchain
            // is missing, and must be known for rustc once it is installed.
            return Optional.empty();
        }
        // Decoded leniently and bounded: any program may answer -vV with anything.
        byte[] stdout = answer.stdout();
        return Optional.of(new String(stdout, 0, Math.min(stdout.length, MAX_BANNER_BYTES), StandardCharsets.UTF_8));
    }

    private void remember(String name, String text) {
        try {
            memo.write(name, text);
        } catch (IOException | RuntimeException e) {
            // Not remembered: asked again next time.
        }
    }
}
