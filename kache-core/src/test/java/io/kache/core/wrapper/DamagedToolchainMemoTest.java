package io.kache.core.wrapper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kache.core.Invocation;
import io.kache.testkit.SpyRustc;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A toolchain memo damaged on disk (a crash left it empty, it was cut short, something wrote over
 * it) is no memo: the call the memo would have answered goes to the real rustc, whose answer is
 * remembered again. Before, kache handed cargo the file as it was: an empty or junk target-info
 * answer failed every build ({@code malformed output when learning about crate-type bin
 * information}), one cut inside its cfg list was taken by cargo, and a build script then saw no
 * {@code CARGO_CFG_TARGET_OS}.
 */
class DamagedToolchainMemoTest {

    @TempDir
    Path temp;
    GreetCrate greet;
    Path storeRoot;
    String rustc;

    @BeforeEach
    void setUp() throws Exception {
        storeRoot = temp.resolve("store");
        greet = GreetCrate.in(temp, storeRoot);
        rustc = SpyRustc.realRustc();
        BackgroundStores.enable();
    }

    @ParameterizedTest
    @ValueSource(strings = {"empty", "junk", "cut in the cfg list"})
    void aDamagedTargetInfoMemoIsPassedThroughToRustcAndRememberedAgain(String damage) throws Exception {
        List<String> probe = new ArrayList<>(List.of(rustc));
        probe.addAll(TargetInfoAnswerTest.PROBE);
        String rustcsOwn = run(probe);
        assertTrue(rustcsOwn.contains("target_os=\"linux\""), rustcsOwn);

        assertInstanceOf(CallOutcome.PassThrough.class, prepare(probe), "nothing remembered yet");
        assertTrue(BackgroundStores.awaitIdle(60_000));
        assertEquals(rustcsOwn, answered(probe), "remembered from rustc's own run");

        Path memo = onlyMemo(".targetinfo");
        byte[] damaged = damaged(Files.readAllBytes(memo), damage);
        Files.write(memo, damaged);

        assertInstanceOf(CallOutcome.PassThrough.class, prepare(probe), "a " + damage + " memo is no answer");
        assertTrue(BackgroundStores.awaitIdle(60_000));
        assertFalse(Arrays.equals(damaged, Files.readAllBytes(onlyMemo(".targetinfo"))), "written again");
        assertEquals(rustcsOwn, answered(probe), "rustc's own answer again, from the memo rewritten");
    }

    /**
     * A banner memo cut inside the banner's {@code release:} line (its binary's stamp whole): cargo was
     * answered a {@code -vV} whose release is no version ({@code 1.}), and calls were keyed by the cut banner.
     */
    @Test
    void aBannerMemoCutShortIsAskedOfRustcAgain() throws Exception {
        List<String> version = List.of(rustc, "-vV");
        String rustcsOwn = run(version);
        assertEquals(rustcsOwn, answered(version), "rustc -vV is answered from the banner memo once asked");

        Path memo = onlyMemo(".banner");
        String text = Files.readString(memo);
        Files.writeString(memo, text.substring(0, text.indexOf("release: ") + "release: 1.".length()));

        assertEquals(rustcsOwn, answered(version), "rustc's own banner, not the cut one");
        assertTrue(Files.readString(onlyMemo(".banner")).contains("LLVM version"), "remembered whole again");
    }

    private static byte[] damaged(byte[] memo, String damage) {
        return switch (damage) {
            case "empty" -> new byte[0];
            case "junk" -> "junk\n".getBytes(StandardCharsets.UTF_8);
            // What a torn write leaves: the file-names and sysroot whole, the cfgs from target_os on gone.
            default -> Arrays.copyOf(memo, new String(memo, StandardCharsets.UTF_8).indexOf("target_os"));
        };
    }

    private CallOutcome prepare(List<String> args) throws Exception {
        try (OpenRemotes remotes = new OpenRemotes()) {
            return RustcWrapper.prepare(invocation(args), remotes);
        }
    }

    private String answered(List<String> args) throws Exception {
        return assertInstanceOf(CallOutcome.Answered.class, prepare(args)).stdout();
    }

    private Invocation invocation(List<String> args) {
        return greet.invocation(args, new ByteArrayOutputStream(), OptionalLong.empty());
    }

    /** What {@code command} prints, run as the wrapper would run it: the call's environment, directory and no stdin. */
    private String run(List<String> command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(greet.project.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().clear();
        pb.environment().putAll(greet.env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, command + " failed");
        return out;
    }

    private Path onlyMemo(String suffix) throws IOException {
        try (Stream<Path> memos = Files.list(storeRoot.resolve("memos"))) {
            List<Path> found = memos.filter(f -> f.getFileName().toString().endsWith(suffix)).toList();
            assertEquals(1, found.size(), found.toString());
            return found.get(0);
        }
    }
}
