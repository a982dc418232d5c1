package io.kache.core.wrapper;

import io.kache.core.Invocation;
import io.kache.core.server.ServerDirectory;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The one way kache tells the user about trouble during a build (a broken configuration, a store
 * that cannot be opened or written, a damaged entry, a remote that does not answer): once per
 * build and topic, not once per crate, and never on rustc's stderr, which cargo would keep and
 * replay on every later no-op build ({@link TerminalChannel} says where instead). A build is the
 * cargo process ({@link BuildIdentity}); that a topic was said in it is an empty marker file in
 * the user's own server directory ({@code notices/PID-START/TOPIC}, see {@link ServerDirectory}),
 * so every JVM and the server agree. Markers of finished builds are removed when a new build
 * first says something. In the server every notice also goes to the server's log with its call.
 */
public final class UserNotices {

    /** What a notice is about: each is said at most once per build. */
    public enum Topic { CONFIG, CREDENTIALS, STORE, CORRUPTION, REMOTE, UPLOAD, KACHE_ERROR, SERVER }

    private static volatile Consumer<String> serverLog;

    private UserNotices() {
    }

    /** Set by the server: notices go to its log too, with the call they belong to. */
    public static void logTo(Consumer<String> log) {
        serverLog = log;
    }

    /** Says {@code message} to the user of {@code inv}'s build, unless {@code topic} was said in it already. */
    public static void warn(Invocation inv, Topic topic, String message) {
        Optional<BuildIdentity> build = BuildIdentity.of(inv);
        boolean first = build.map(b -> firstInBuild(inv, b, topic)).orElse(true);
        Consumer<String> log = serverLog;
        if (log != null) {
            log.accept("notice (" + (first ? "shown" : "already shown in this build") + ") for "
                    + String.join(" ", inv.args()) + ": " + message);
        }
        if (WrapperLog.isDebug()) {
            WrapperLog.debug("notice " + topic + (first ? "" : " (already shown in this build)") + ": " + message);
        }
        if (!first) {
            return;
        }
        String line = "true".equals(inv.env().get("GITHUB_ACTIONS"))
                // A workflow command: the runner makes it an annotation of the job, not only a log line.
                ? "::warning title=kache::" + message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
                : "warning: kache: " + message;
        Optional<OutputStream> channel = TerminalChannel.open(build.map(BuildIdentity::pid));
        if (channel.isEmpty()) {
            return;
        }
        try (OutputStream out = channel.get()) {
            out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            WrapperLog.debug("notice not shown: " + e);
        }
    }

    /** Whether this is the first notice on {@code topic} in {@code build}; true when that cannot be known. */
    private static boolean firstInBuild(Invocation inv, BuildIdentity build, Topic topic) {
        try {
            Path notices = noticesDir(inv);
            Path dir = notices.resolve(build.name());
            if (!dir.toFile().isDirectory()) {
                Files.createDirectories(dir);
                sweep(notices, build);
            }
            Files.createFile(dir.resolve(topic.name().toLowerCase(Locale.ROOT)));
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } catch (IOException | RuntimeException e) {
            return true; // said again rather than never
        }
    }

    /**
     * {@code notices/} in the user's server directory ({@link ServerDirectory#named}); when that is
     * refused, in {@code /tmp/kache-UID}: the notice saying why no server is used is said once too.
     */
    private static Path noticesDir(Invocation inv) throws IOException {
        long uid = new com.sun.security.auth.module.UnixSystem().getUid();
        return ServerDirectory.ofUser(inv.env(), uid).path().resolve("notices");
    }

    private static void sweep(Path notices, BuildIdentity current) {
        try (DirectoryStream<Path> builds = Files.newDirectoryStream(notices)) {
            for (Path b : builds) {
                String name = b.getFileName().toString();
                if (!name.equals(current.name()) && !BuildIdentity.running(name)) {
                    try (Stream<Path> files = Files.walk(b)) {
                        for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                            Files.deleteIfExists(f);
                        }
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // Tidying only.
        }
    }
}
