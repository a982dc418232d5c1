package io.kache.core.rustc;

import io.kache.core.hash.FileHasher;
import io.kache.core.hash.Sha256;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.LoggerFactory;

/**
 * The identity of the toolchain that actually runs a call: the banner ({@code rustc -vV}) of the
 * real compiler binary, remembered per binary (by its real path, size and modification time) so a
 * build asks once, not once per crate.
 *
 * <p>A rustup proxy ({@code ~/.cargo/bin/rustc}, a symlink or a hard link to {@code rustup}) is one
 * path that runs stable or nightly depending on {@code RUSTUP_TOOLCHAIN}, the nearest
 * {@code rust-toolchain(.toml)} above the working directory, and the directory overrides and the
 * default in {@code $RUSTUP_HOME/settings.toml}; its own path and mtime say nothing. Asking it for
 * the banner on every call is right but costs every call a proxied rustc start (~60 ms). sccache
 * instead runs {@code rustup which rustc} per compile to find the binary behind the proxy: right,
 * and the same cost. kache resolves the proxy once per <em>selection</em>: the proxy binary's
 * identity plus exactly the inputs rustup chooses the toolchain by (the variable, the settings
 * file's content, the nearest toolchain file's path and content, the directory when settings hold
 * overrides) and where the linked toolchains ({@code rustup toolchain link}) and one given by path
 * lead now, hashed into the name of a small memo that holds the toolchain binary
 * ({@code rustc --print sysroot}{@code /bin/rustc}, asked through the proxy on a memo miss). A call
 * then costs a few stats and two small reads, and its banner is that binary's, remembered as for any
 * binary, so {@code rustup update} (same path, new binary) is noticed too. Anything that cannot be
 * resolved that way falls back to asking the proxy every time.
 *
 * <p>A script in front of rustc ({@code RUSTC=./rustc-shim}, {@code #!} first) may choose the compiler
 * it runs from anything too, so its banner is remembered per script, directory and build
 * environment ({@link #scriptSelection}), not per script alone: a shim that runs another toolchain
 * when a variable says so is asked again then. It may add flags too, which its banner never shows:
 * the call key therefore holds more than the banner ({@link #forKey}): the content hash of the binary
 * that runs and, for a script, the environment it may read.
 *
 * <p>A proxy is recognised without running it: its real path's name starts with {@code rustup}
 * (symlinked proxies), or it is the same file as the {@code rustup} beside it (hard-linked proxies,
 * rustup's default where the file system allows).
 */
public final class ToolchainIdentity {

    private static final List<String> TOOLCHAIN_FILES = List.of("rust-toolchain", "rust-toolchain.toml");

    /**
     * A toolchain file's {@code path = "…"} (or a TOML literal string, {@code '…'}): a toolchain by its
     * directory, relative to the file's.
     */
    private static final Pattern TOOLCHAIN_PATH = Pattern.compile("(?m)^\\s*path\\s*=\\s*(?:\"([^\"]+)\"|'([^']+)')");

    /**
     * How long a toolchain is given to answer: generous, since a rustup proxy may be installing the
     * toolchain a {@code rust-toolchain.toml} names; past it the call runs the compiler unchanged.
     */
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(60);

    private final ToolchainMemo memo;
    private final Duration timeout;

    /** @param memo where banners are remembered, one small file per binary */
    public ToolchainIdentity(ToolchainMemo memo) {
        this(memo, ANSWER_TIMEOUT);
    }

    /** @param timeout how long the toolchain is given to answer a question */
    ToolchainIdentity(ToolchainMemo memo, Duration timeout) {
        this.memo = memo;
        this.timeout = timeout;
    }

    /** The {@code -vV} banner of the compiler {@code rustc} runs for a call with {@code env} in {@code cwd}. */
    public String banner(Path rustc, Map<String, String> env, Path cwd) throws IOException {
        return resolve(rustc, env, cwd).banner();
    }

    /**
     * What the call key holds of the compiler a call names: its banner and what else decides what
     * the compiler does with the call's arguments. A shim script ({@code exec rustc "$@" --cfg x}, or
     * {@code $SHIM_FLAGS}) passes the banner through unchanged whatever flags it adds, so the banner
     * alone served one shim's output to another.
     *
     * @param hasher the store's memoized hasher: the compiler is read whole once per file identity,
     *     not per call (a call costs a stat and a memo lookup, as for each {@code --extern})
     * @param normalize the key's path sentinels, for the values of a script's environment
     */
    public Keyed forKey(Path rustc, Map<String, String> env, Path cwd, FileHasher hasher,
                        UnaryOperator<String> normalize) throws IOException {
        Resolved r = resolve(rustc, env, cwd);
        // The content of the binary that runs: behind rustup's proxy, the toolchain's rustc (the
        // proxy itself is rustup, which changes with rustup, not with the toolchain). A toolchain's
        // rustc is the same file on every machine with that toolchain, so sharing is kept; a shim
        // or a compiled wrapper in its place is told apart by its own bytes, as sccache does.
        StringBuilder sb = new StringBuilder(r.banner()).append("executable sha256 ")
                .append(hasher.sha256(r.binary())).append('\n');
        if (Executables.isScript(r.binary(), r.stamp())) {
            // What a script may read at run time: its environment (as for its banner's memo). Not its
            // directory, unlike the memo: the key's paths are already relative to the checkout, and the
            // directory's path alone tells nothing of what a script would read there, while keying it
            // would keep every other checkout from sharing. A script's own path is not keyed either.
            sb.append("script environment\n").append(Executables.scriptEnvironment(env, normalize));
        }
        return new Keyed(r.banner(), sb.toString());
    }

    /**
     * A compiler as the key sees it.
     *
     * @param banner its {@code -vV} output, as it printed it
     * @param identity what the call key holds: the banner, the content hash of the binary that runs
     *     and, for a script, the environment it may read
     */
    public record Keyed(String banner, String identity) {
    }

    /** The binary whose banner a call gets, with its stamp; behind an unresolved proxy, the proxy. */
    private record Resolved(Path binary, String stamp, String banner) {
    }

    private Resolved resolve(Path rustc, Map<String, String> env, Path cwd) throws IOException {
        Path real = rustc.toRealPath();
        if (!isRustupProxy(real)) {
            return remembered(real, env, cwd);
        }
        Optional<Path> behind = proxied(rustc, real, env, cwd);
        return behind.isPresent() ? remembered(behind.get(), env, cwd)
                : new Resolved(real, stamp(real), run(rustc, List.of("-vV"), env, cwd));
    }

    /** Whether {@code real} (a resolved path) is rustup's proxy; see the class comment. */
    public static boolean isRustupProxy(Path real) throws IOException {
        Path name = real.getFileName();
        if (name != null && name.toString().startsWith("rustup")) {
            return true;
        }
        Path rustup = real.resolveSibling("rustup");
        // java.io first: beside a toolchain's own rustc there is no rustup, and a missing file costs
        // NIO a thrown exception.
        return rustup.toFile().exists() && Files.isSameFile(real, rustup);
    }

    /**
     * The banner of the (real) binary {@code real}, from the memo while the binary is unchanged. A
     * script ({@code #!}) in front of rustc may pick the compiler it runs from anything, like rustup's
     * proxy, and what it reads is unknown: its banner is remembered per build environment too (see
     * {@link #scriptSelection}).
     */
    private Resolved remembered(Path real, Map<String, String> env, Path cwd) throws IOException {
        real = real.toRealPath();
        String stamp = stamp(real);
        String name = memoName(real, stamp, env, cwd);
        Optional<String> text = memo.read(name);
        if (text.isPresent() && text.get().startsWith(stamp)) {
            return new Resolved(real, stamp, text.get().substring(stamp.length()));
        }
        String banner = run(real, List.of("-vV"), env, cwd);
        rememberQuietly(name, stamp + banner);
        return new Resolved(real, stamp, banner);
    }

    /**
     * Remembers what {@code compiler} answered to {@code -vV}, run with {@code env} in {@code cwd},
     * when something else asked it already ({@link CompilerKinds}, on a call's first sight of a
     * binary): the first compile's key then does not start the same compiler a second time for the
     * same answer. Not for a rustup proxy, whose banner is that of the toolchain it picks per call.
     */
    public void rememberBanner(Path compiler, String banner, Map<String, String> env, Path cwd) throws IOException {
        Path real = compiler.toRealPath();
        if (isRustupProxy(real) || !banner.contains("release:")) {
            return;
        }
        String stamp = stamp(real);
        memo.write(memoName(real, stamp, env, cwd), stamp + banner);
    }

    /**
     * Best effort: what could not be remembered (a full or read-only store) is still the answer,
     * asked again next time.
     */
    private void rememberQuietly(String name, String text) {
        // The logger is looked up here, not in a static field: the hit path never loads it.
        try {
            memo.write(name, text);
        } catch (IOException | RuntimeException e) {
            LoggerFactory.getLogger(ToolchainIdentity.class).debug("kache: {} not remembered: {}", name, e.toString());
        }
    }

    /** Where the banner of the real binary {@code real} is remembered: per binary, and per selection for a script. */
    private static String memoName(Path real, String stamp, Map<String, String> env, Path cwd) throws IOException {
        if (Executables.isScript(real, stamp)) {
            return Sha256.of(scriptSelection(stamp, env, cwd).getBytes(StandardCharsets.UTF_8)) + ".script";
        }
        return Integer.toHexString(real.toString().hashCode()) + ".banner";
    }

    /**
     * What else than its stamp a memo of any answer of the real binary {@code real} must be keyed by,
     * for a call with {@code env} in {@code cwd}: for a script, its selection ({@link #scriptSelection(String, Map, Path)}),
     * since it may pick the compiler and add flags from its environment, which the banner never shows;
     * for a binary, nothing. The banner memo's rule, for the other memos of a compiler's answers.
     */
    public static Optional<String> scriptSelection(Path real, Map<String, String> env, Path cwd) throws IOException {
        String stamp = stamp(real);
        return Executables.isScript(real, stamp) ? Optional.of(scriptSelection(stamp, env, cwd)) : Optional.empty();
    }

    /**
     * What a script in front of rustc may choose the compiler by, as far as kache can tell: the
     * script, the call's directory, and the call's environment without the variables cargo sets per
     * unit ({@code CARGO_*}, {@code OUT_DIR}, its jobserver's {@code MAKEFLAGS}), which change from
     * call to call within one build, and the others {@link Executables#scriptEnvironment} leaves out.
     * One build's calls from one directory share one answer; another environment (say
     * {@code TOOLCHAIN=nightly}) asks the script again. The memo is per machine, so values are taken
     * as they are; the key's part ({@link #forKey}) is normalised and leaves out the directory.
     */
    static String scriptSelection(String stamp, Map<String, String> env, Path cwd) {
        return "script\n" + stamp + "cwd " + cwd.toAbsolutePath().normalize() + '\n'
                + Executables.scriptEnvironment(env, UnaryOperator.identity());
    }

    /** What identifies a real (resolved) binary while it stays put: its path, size and modification time. */
    public static String stamp(Path real) throws IOException {
        BasicFileAttributes attrs = Files.readAttributes(real, BasicFileAttributes.class);
        return real + "\n" + attrs.size() + " " + attrs.lastModifiedTime().toMillis() + "\n";
    }

    /**
     * The toolchain binary the proxy runs for this call, from the memo of this selection or by asking
     * the proxy for its sysroot; empty when that does not name a binary.
     */
    private Optional<Path> proxied(Path rustc, Path real, Map<String, String> env, Path cwd) throws IOException {
        String name = Sha256.of(selection(real, env, cwd).getBytes(StandardCharsets.UTF_8)) + ".proxy";
        Optional<String> known = memo.read(name);
        if (known.isPresent() && new File(known.get()).isFile()) {
            return Optional.of(Path.of(known.get()));
        }
        String sysroot = run(rustc, List.of("--print", "sysroot"), env, cwd).strip();
        Path binary;
        try {
            binary = Path.of(sysroot, "bin", "rustc");
        } catch (InvalidPathException e) {
            return Optional.empty();
        }
        if (sysroot.isEmpty() || sysroot.contains("\n") || !binary.isAbsolute() || !binary.toFile().isFile()) {
            return Optional.empty();
        }
        rememberQuietly(name, binary.toString());
        return Optional.of(binary);
    }

    /**
     * Everything rustup picks the toolchain by, for a call from {@code cwd} (a {@code +toolchain}
     * argument aside, which cargo never passes to rustc), and where a toolchain that is a link or a
     * path leads now: rustc prints its sysroot resolved, so the memo names the directory a link led to
     * when it was written.
     */
    static String selection(Path real, Map<String, String> env, Path cwd) throws IOException {
        StringBuilder sb = new StringBuilder("rustup-proxy\n");
        BasicFileAttributes attrs = Files.readAttributes(real, BasicFileAttributes.class);
        sb.append(real).append('\n').append(attrs.size()).append(' ').append(attrs.lastModifiedTime().toMillis())
                .append('\n');
        for (String name : List.of("RUSTUP_TOOLCHAIN", "RUSTUP_HOME", "HOME")) {
            String value = env.get(name);
            sb.append(name).append(value == null ? " unset" : "=" + value).append('\n');
        }
        String chosen = env.get("RUSTUP_TOOLCHAIN");
        if (chosen != null && chosen.contains("/")) {
            // A toolchain by path, which may be a symlink that moves as a linked toolchain does.
            sb.append("toolchain-path ").append(leadsTo(cwd, chosen)).append('\n');
        }
        Optional<Path> home = Optional.ofNullable(env.get("RUSTUP_HOME")).map(Path::of)
                .or(() -> Optional.ofNullable(env.get("HOME")).map(h -> Path.of(h, ".rustup")));
        Optional<String> settings = home.flatMap(h -> readSmall(h.resolve("settings.toml")));
        sb.append("settings ").append(settings.map(s -> s.length() + "\n" + s).orElse("absent")).append('\n');
        home.ifPresent(h -> linkedToolchains(h.resolve("toolchains"), sb));
        if (settings.isPresent() && settings.get().contains("overrides")) {
            // Directory overrides apply to a directory and everything below it.
            sb.append("cwd ").append(cwd.toAbsolutePath().normalize()).append('\n');
        }
        for (Path dir = cwd.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
            boolean found = false;
            for (String name : TOOLCHAIN_FILES) {
                Path file = dir.resolve(name);
                if (file.toFile().isFile()) {
                    String content = readSmall(file).orElse("unreadable");
                    sb.append("toolchain-file ").append(file).append('\n').append(content.length()).append('\n')
                            .append(content).append('\n');
                    Matcher path = TOOLCHAIN_PATH.matcher(content);
                    if (path.find()) {
                        String given = path.group(1) != null ? path.group(1) : path.group(2);
                        sb.append("toolchain-path ").append(leadsTo(dir, given)).append('\n');
                    }
                    found = true;
                }
            }
            if (found) {
                break;
            }
        }
        return sb.toString();
    }

    /**
     * Where each toolchain of {@code dir} that is a symlink ({@code rustup toolchain link}) leads now:
     * re-linked ({@code ln -sfn}, or linked again under the same name), it runs another compiler
     * while the name, and all else the selection holds, stays; the memo would name the old
     * toolchain's binary, which is still there. Every linked toolchain, not only the one chosen,
     * which only rustup knows: re-linking another one costs one resolution more. An installed
     * toolchain is a directory, updated in place: its binary's stamp tells that ({@link #remembered}).
     * A readdir and a realpath per link, no process.
     */
    private static void linkedToolchains(Path dir, StringBuilder sb) {
        String[] names = dir.toFile().list();
        if (names == null) {
            return;
        }
        Arrays.sort(names);
        for (String name : names) {
            Path entry = dir.resolve(name);
            if (Files.isSymbolicLink(entry)) {
                sb.append("linked-toolchain ").append(name).append(" -> ").append(leadsTo(dir, name)).append('\n');
            }
        }
    }

    /**
     * Where {@code path}, taken from {@code base}, leads now: the whole chain of links, not one link's
     * text (a link to a build tree's {@code current} moves too).
     */
    private static String leadsTo(Path base, String path) {
        try {
            return base.resolve(path).toRealPath().toString();
        } catch (IOException | RuntimeException e) {
            return "unresolvable";
        }
    }

    private static Optional<String> readSmall(Path file) {
        try {
            return file.toFile().isFile() ? Optional.of(Files.readString(file, StandardCharsets.UTF_8))
                    : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.of("unreadable " + e.getClass().getSimpleName());
        }
    }

    /**
     * The variable with which rustc reports another version than its own ({@code -vV}, and what
     * {@code #[cfg(version(…))]} compares with). It is keyed with the call ({@code CacheKeyRecipe}), so
     * a compiler's remembered answers are asked without it: one call with it set wrote its version
     * into the banner memo, which then answered every later build's {@code rustc -vV} (found by a hunt:
     * a package's {@code rust-version} then failed the build until the memo was deleted).
     */
    public static final String VERSION_OVERRIDE = "RUSTC_OVERRIDE_VERSION_STRING";

    /** {@code env} as a compiler's remembered answers are asked with: without {@link #VERSION_OVERRIDE}. */
    static Map<String, String> forRememberedAnswers(Map<String, String> env) {
        if (!env.containsKey(VERSION_OVERRIDE)) {
            return env;
        }
        Map<String, String> without = new HashMap<>(env);
        without.remove(VERSION_OVERRIDE);
        return without;
    }

    private String run(Path rustc, List<String> args, Map<String, String> env, Path cwd) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(rustc.toString());
        command.addAll(args);
        String what = rustc + " " + String.join(" ", args);
        ToolchainQuery.Answer answer;
        try {
            answer = ToolchainQuery.ask(command, forRememberedAnswers(env), cwd, timeout, memo::newTemp);
        } catch (IOException e) {
            throw new IOException(what + ": " + e.getMessage(), e);
        }
        if (!answer.succeeded()) {
            throw new IOException(what + " failed");
        }
        String out = new String(answer.stdout(), StandardCharsets.UTF_8);
        if (args.contains("-vV") && !out.contains("release:")) {
            throw new IOException(what + " printed no release line");
        }
        return out;
    }
}
