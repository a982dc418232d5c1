package io.kache.cli;

import io.kache.api.ArtifactStore;
import io.kache.api.RemoteSettings;
import io.kache.api.StoreException;
import io.kache.core.Invocation;
import io.kache.core.config.ConfigEntry;
import io.kache.core.config.ConfigLoader;
import io.kache.core.config.ConfigReport;
import io.kache.core.config.KacheConfig;
import io.kache.core.config.Secret;
import io.kache.core.remote.RemoteStores;
import io.kache.core.remote.s3.CredentialResolution;
import io.kache.core.remote.s3.S3CredentialChain;
import io.kache.core.server.ServerDirectory;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code kache doctor}: the resolved configuration with the credential source (never a secret),
 * a check of the local store (with {@code --verify}, every blob and toolchain memo read and checked), and a probe of
 * the remote. Exits 1 if any check failed.
 */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = "Check the configuration, the local store and the remote; explain each failure.")
final class DoctorCommand implements Callable<Integer> {

    @ParentCommand
    KacheCli parent;

    @Spec
    CommandSpec spec;

    @Option(names = "--verify", description = "Read every blob of the local store and check it against its"
            + " content hash; quarantine damaged ones and drop the entries that used them. Check every toolchain"
            + " memo too, and delete those that fail.")
    boolean verify;

    @Override
    public Integer call() {
        Invocation inv = parent.invocation();
        PrintWriter out = spec.commandLine().getOut();
        KacheConfig config = ConfigLoader.load(inv.env(), inv.cwd());
        List<ConfigEntry> shown = new ArrayList<>(ConfigReport.entries(config));
        Optional<RemoteSettings> settings = config.remoteSettings();
        String credentialSource = "(no remote)";
        if (settings.isPresent() && settings.get().type().equals("s3")) {
            CredentialResolution creds = S3CredentialChain.resolve(inv.env(), settings.get().profile());
            credentialSource = creds.source();
            // The kind of credential, and for static keys the end of the id; never a secret.
            shown.add(new ConfigEntry("credentials", creds.kind().label() + creds.credentials()
                    .map(c -> ", access key id " + Secret.keyId(c.accessKeyId())).orElse(""), creds.source()));
            creds.warnings().forEach(w -> shown.add(new ConfigEntry("credentials warning", w, creds.source())));
        }
        out.println("configuration");
        shown.forEach(e -> out.println("  " + pad(e.key(), 28) + " " + pad(e.value(), 40) + " " + e.source()));
        out.println();
        out.println("checks");
        List<DoctorCheck> checks = new ArrayList<>(LocalStoreCheck.run(config, verify));
        checks.add(serverDirectory(inv));
        checks.addAll(remoteChecks(config, inv, settings, credentialSource));
        checks.forEach(c -> print(out, c));
        long failed = checks.stream().filter(c -> c.verdict() == DoctorCheck.Verdict.FAIL).count();
        out.println();
        out.println(failed == 0 ? "all checks passed" : failed + " check" + (failed == 1 ? "" : "s") + " failed");
        out.flush();
        return failed == 0 ? 0 : 1;
    }

    private static List<DoctorCheck> remoteChecks(KacheConfig config, Invocation inv,
                                                  Optional<RemoteSettings> settings, String credentialSource) {
        if (settings.isEmpty()) {
            String why = config.localOnly() ? "local_only is set: kache ignores the remote"
                    : config.disabled() ? "KACHE_DISABLED is set" : "no remote is configured";
            return List.of(DoctorCheck.skip("remote", why));
        }
        StoreDiagnosis diagnosis = new StoreDiagnosis(settings.get(), credentialSource);
        // The chain's warnings are shown above, among the configuration ("credentials warning").
        try (ArtifactStore remote = RemoteStores.open(config, inv.env(), warning -> { }).orElseThrow()) {
            return new RemoteProbe(remote, diagnosis).run(config.remoteReadonly());
        } catch (StoreException e) {
            return List.of(diagnosis.failed("remote open", false, e));
        }
    }

    /**
     * Whether kache-client may use the server directory ({@code KACHE_SERVER_DIR}); judged as the
     * client and every build judge it ({@link ServerDirectory#refusal}), so a refused one, which makes
     * every rustc call a JVM of its own, fails here too.
     */
    static DoctorCheck serverDirectory(Invocation inv) {
        String noServer = inv.env().get("KACHE_NO_SERVER");
        if (noServer != null && !noServer.isEmpty() && !noServer.equals("0")) {
            return DoctorCheck.skip("server directory", "KACHE_NO_SERVER is set: no server is used");
        }
        long uid = new com.sun.security.auth.module.UnixSystem().getUid();
        Optional<String> refusal = ServerDirectory.refusal(inv.env(), uid);
        if (refusal.isPresent()) {
            return DoctorCheck.fail("server directory", refusal.get()
                    + "; no kache server is used, so every rustc call starts a JVM of its own (about a second)",
                    "make it a directory of this user's own, closed to others (chmod 700 it), or point KACHE_SERVER_DIR"
                            + " at one that is (a short absolute path), or unset it for /tmp/kache-" + uid);
        }
        try {
            return DoctorCheck.ok("server directory", ServerDirectory.named(inv.env(), uid)
                    + " is this user's own and closed to others");
        } catch (io.kache.core.server.UnsafeServerDirectoryException e) {
            return DoctorCheck.fail("server directory", e.getMessage(), "point KACHE_SERVER_DIR at an absolute path");
        }
    }

    private static void print(PrintWriter out, DoctorCheck c) {
        String mark = switch (c.verdict()) {
            case OK -> "ok  ";
            case FAIL -> "FAIL";
            case SKIP -> "skip";
        };
        out.println("  " + mark + "  " + c.name() + ": " + c.detail());
        if (!c.fix().isEmpty()) {
            out.println("        fix: " + c.fix());
        }
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }
}
