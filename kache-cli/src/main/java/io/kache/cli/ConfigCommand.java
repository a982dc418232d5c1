package io.kache.cli;

import io.kache.api.ArtifactStoreProvider;
import io.kache.api.NoSuchProviderException;
import io.kache.api.RemoteSettings;
import io.kache.api.S3CredentialSource;
import io.kache.api.S3Credentials;
import io.kache.core.remote.RemoteStores;
import io.kache.api.StoreProviders;
import io.kache.core.Invocation;
import io.kache.core.config.ConfigEntry;
import io.kache.core.config.ConfigLoader;
import io.kache.core.config.ConfigReport;
import io.kache.core.config.KacheConfig;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code kache config [--json]}: the effective configuration, every value with its source (an
 * environment variable, the config file, or the default), and the storage provider the remote
 * would use. Credentials show only whether they are set.
 */
@Command(name = "config", mixinStandardHelpOptions = true,
        description = "Print the effective configuration, each value with where it came from.")
final class ConfigCommand implements Callable<Integer> {

    @ParentCommand
    KacheCli parent;

    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print one JSON object: key -> {value, source}.")
    boolean json;

    @Override
    public Integer call() {
        Invocation invocation = parent.invocation();
        KacheConfig config = ConfigLoader.load(invocation.env(), invocation.cwd());
        List<ConfigEntry> entries = new ArrayList<>(ConfigReport.entries(config));
        PrintWriter err = spec.commandLine().getErr();
        Optional<RemoteSettings> remote = RemoteStores.withCredentials(config.remoteSettings(), invocation.env(),
                warning -> err.println("kache config: warning: " + warning));
        credentials(remote).ifPresent(entries::add);
        provider(remote).ifPresent(entries::add);
        PrintWriter out = spec.commandLine().getOut();
        out.print(json ? ConfigJson.render(entries) : table(entries));
        out.flush();
        err.flush();
        return 0;
    }

    /** Where the S3 credentials come from (kache's chain); no part of any key is shown. */
    private static Optional<ConfigEntry> credentials(Optional<RemoteSettings> remote) {
        if (remote.isEmpty() || !remote.get().type().equals("s3")) {
            return Optional.empty();
        }
        S3CredentialSource source = remote.get().credentialSource();
        return Optional.of(new ConfigEntry(ConfigReport.CREDENTIALS, source.kind().label(), source.description()));
    }

    /** Which provider would serve the remote, or why none would; never opens the store. */
    private static Optional<ConfigEntry> provider(Optional<RemoteSettings> settings) {
        if (settings.isEmpty()) {
            return Optional.empty();
        }
        RemoteSettings s = forDisplay(settings.get());
        String source = s.client().isPresent() ? "cache.remote.client" : "selected by type and priority";
        try {
            ArtifactStoreProvider p = StoreProviders.discover(ConfigCommand.class.getClassLoader())
                    .select(s.type(), s.client());
            String described = p.describe(s).entrySet().stream()
                    .map(d -> d.getKey() + "=" + d.getValue())
                    .collect(Collectors.joining(", ", " (", ")"));
            return Optional.of(new ConfigEntry(ConfigReport.PROVIDER, p.id() + described, source));
        } catch (NoSuchProviderException e) {
            return Optional.of(new ConfigEntry(ConfigReport.PROVIDER, "(none: " + e.getMessage() + ")", source));
        }
    }

    /** The settings with every credential part masked, so no provider's description can show one. */
    private static RemoteSettings forDisplay(RemoteSettings s) {
        Optional<S3Credentials> masked = s.credentials().map(c -> new S3Credentials("****", "****",
                c.sessionToken().map(t -> "****"), c.source()));
        return s.withCredentials(masked, s.credentialSource());
    }

    private static String table(List<ConfigEntry> entries) {
        int keyWidth = entries.stream().mapToInt(e -> e.key().length()).max().orElse(0);
        int valueWidth = Math.min(60, entries.stream().mapToInt(e -> e.value().length()).max().orElse(0));
        StringBuilder sb = new StringBuilder();
        for (ConfigEntry e : entries) {
            sb.append(pad(e.key(), keyWidth)).append("  ").append(pad(e.value(), valueWidth))
                    .append("  ").append(e.source()).append('\n');
        }
        return sb.toString();
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }
}
