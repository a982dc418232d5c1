package io.kache.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** For every key and random values: environment beats file beats default, and the origin says which won. */
class ConfigPrecedenceProperties {

    /** One value as the environment spells it, as TOML spells it, and as the config should hold it. */
    record Val(String env, String toml, Object expected) {
    }

    /** What one run sets for one key. */
    record Setting(Spec spec, Optional<Val> file, Optional<Val> env) {
        @Override
        public String toString() {
            return spec.key + " file=" + file.map(Val::toml).orElse("-") + " env=" + env.map(Val::env).orElse("-");
        }
    }

    record Spec(ConfigKey key, Arbitrary<Val> values, Function<KacheConfig, Object> actual, Object fallback,
                boolean inEnv, boolean inFile, boolean required) {
    }

    private static final Path HOME = Path.of("/home/prop");

    @Property(tries = 300)
    void envBeatsFileBeatsDefaultForEveryKey(@ForAll("settings") List<Setting> settings) throws IOException {
        Path root = Files.createTempDirectory("kache-prec");
        try {
            StringBuilder cache = new StringBuilder("[cache]\n");
            StringBuilder remote = new StringBuilder("[cache.remote]\ntype = \"s3\"\n");
            List<String> env = new ArrayList<>(List.of("HOME", HOME.toString()));
            for (Setting s : settings) {
                s.file.ifPresent(v -> (s.spec.key.inRemoteTable() ? remote : cache)
                        .append(s.spec.key.tableKey()).append(" = ").append(v.toml).append('\n'));
                s.env.ifPresent(v -> env.addAll(List.of(s.spec.key.envVar().orElseThrow(), v.env)));
            }
            Files.writeString(root.resolve(".kache.toml"), cache + "\n" + remote);
            java.util.Map<String, String> envMap = new java.util.HashMap<>();
            for (int i = 0; i < env.size(); i += 2) {
                envMap.put(env.get(i), env.get(i + 1));
            }
            KacheConfig config = new ConfigLoader(envMap, root, java.util.Set::of).load();

            for (Setting s : settings) {
                Object expected = s.env.or(() -> s.file).map(Val::expected).orElse(s.spec.fallback);
                ConfigOrigin.Kind kind = s.env.isPresent() ? ConfigOrigin.Kind.ENV
                        : s.file.isPresent() ? ConfigOrigin.Kind.FILE : ConfigOrigin.Kind.DEFAULT;
                assertEquals(expected, s.spec.actual.apply(config), s.toString());
                if (kind != ConfigOrigin.Kind.DEFAULT || config.origins().containsKey(s.spec.key)) {
                    assertEquals(kind, config.origin(s.spec.key).kind(), s.toString());
                }
            }
        } finally {
            try (Stream<Path> files = Files.walk(root)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Provide
    Arbitrary<List<Setting>> settings() {
        List<Arbitrary<Setting>> perKey = specs().stream().map(ConfigPrecedenceProperties::setting).toList();
        return Combinators.combine(perKey).as(List::copyOf);
    }

    private static Arbitrary<Setting> setting(Spec spec) {
        Arbitrary<Optional<Val>> file = spec.inFile ? spec.values.optional() : Arbitraries.just(Optional.empty());
        Arbitrary<Optional<Val>> env = spec.inEnv ? spec.values.optional() : Arbitraries.just(Optional.empty());
        Arbitrary<Setting> s = Combinators.combine(file, env).as((f, e) -> new Setting(spec, f, e));
        // A remote must exist for its keys to be read: the bucket is always set somewhere.
        return spec.required ? s.filter(x -> x.file.isPresent() || x.env.isPresent()) : s;
    }

    private static List<Spec> specs() {
        Function<KacheConfig, RemoteConfig> r = c -> c.remote().orElseThrow();
        return List.of(
                both(ConfigKey.LOCAL_STORE, word().map(w -> same("/data/" + w, Path.of("/data/" + w))),
                        KacheConfig::localStore, HOME.resolve(".cache/kache")),
                both(ConfigKey.LOCAL_MAX_SIZE, size(), KacheConfig::localMaxSize, 50L << 30),
                both(ConfigKey.COMPRESSION_LEVEL, ints(1, 22), KacheConfig::compressionLevel, 3),
                both(ConfigKey.S3_CONCURRENCY, ints(1, 1024), KacheConfig::s3Concurrency, 16),
                both(ConfigKey.REMOTE_READONLY, bool(), KacheConfig::remoteReadonly, false),
                both(ConfigKey.LOCAL_ONLY, bool(), KacheConfig::localOnly, false),
                both(ConfigKey.KEY_SALT, word().map(w -> same(w, w)), KacheConfig::keySalt, ""),
                both(ConfigKey.REMOTE_DEADLINE, duration(), KacheConfig::remoteDeadline, Duration.ofSeconds(3)),
                both(ConfigKey.KEY_ENV_VARS, word().list().ofMinSize(1).ofMaxSize(3).map(ws -> same(
                        String.join(", ", ws), KeyEnvVars.parse(String.join(" ", ws)))),
                        KacheConfig::keyEnvVars, KeyEnvVars.NONE),
                both(ConfigKey.BYPASS_CRATES, word().list().ofMinSize(1).ofMaxSize(3).map(ws -> same(
                        String.join(" ", ws), CratePatterns.parse(String.join(",", ws)))),
                        KacheConfig::bypassCrates, CratePatterns.NONE),
                new Spec(ConfigKey.DISABLED, bool(), KacheConfig::disabled, false, true, false, false),
                new Spec(ConfigKey.REMOTE_BUCKET, word().map(w -> same("b-" + w, Optional.of("b-" + w))),
                        c -> r.apply(c).bucket(), Optional.empty(), true, true, true),
                both(ConfigKey.REMOTE_REGION, Arbitraries.of("eu-west-3", "auto", "garage").map(w -> same(w, w)),
                        c -> r.apply(c).region(), "us-east-1"),
                both(ConfigKey.REMOTE_ENDPOINT, Arbitraries.integers().between(1, 65535).map(p -> same(
                        "http://127.0.0.1:" + p, Optional.of(URI.create("http://127.0.0.1:" + p)))),
                        c -> r.apply(c).endpoint(), Optional.empty()),
                both(ConfigKey.REMOTE_PREFIX, word().list().ofMinSize(1).ofMaxSize(3).map(ws -> same(
                        "/" + String.join("/", ws) + "/", String.join("/", ws))),
                        c -> r.apply(c).prefix(), "artifacts"),
                both(ConfigKey.REMOTE_PROFILE, word().map(w -> same(w, Optional.of(w))),
                        c -> r.apply(c).profile(), Optional.empty()),
                both(ConfigKey.REMOTE_CLIENT, Arbitraries.of("s3-aws", "s3-minio").map(w -> same(w, Optional.of(w))),
                        c -> r.apply(c).client(), Optional.empty()),
                new Spec(ConfigKey.REMOTE_TIMEOUT, duration(), c -> r.apply(c).timeout(), Duration.ofSeconds(10),
                        false, true, false),
                new Spec(ConfigKey.REMOTE_ACCESS_KEY, word().map(w -> same(w, Optional.of(w))),
                        c -> r.apply(c).accessKey().map(Secret::reveal), Optional.empty(), true, false, false),
                new Spec(ConfigKey.REMOTE_SECRET_KEY, word().map(w -> same(w, Optional.of(w))),
                        c -> r.apply(c).secretKey().map(Secret::reveal), Optional.empty(), true, false, false));
    }

    private static Spec both(ConfigKey key, Arbitrary<Val> values, Function<KacheConfig, Object> actual, Object fallback) {
        return new Spec(key, values, actual, fallback, true, true, false);
    }

    private static Val same(String text, Object expected) {
        return new Val(text, "\"" + text + "\"", expected);
    }

    private static Arbitrary<String> word() {
        return Arbitraries.strings().withCharRange('a', 'z').numeric().withChars('_', '-').ofMinLength(1).ofMaxLength(12)
                .filter(w -> Character.isLetterOrDigit(w.charAt(0)));
    }

    private static Arbitrary<Val> ints(int min, int max) {
        return Arbitraries.integers().between(min, max).map(i -> new Val(Integer.toString(i), Integer.toString(i), i));
    }

    private static Arbitrary<Val> bool() {
        return Combinators.combine(Arbitraries.of(true, false), Arbitraries.integers().between(0, 3))
                .as((b, spelling) -> new Val(switch (spelling) {
                    case 0 -> b.toString();
                    case 1 -> b ? "1" : "0";
                    case 2 -> b ? "YES" : "No";
                    default -> b ? "True" : "FALSE";
                }, b.toString(), b));
    }

    private static Arbitrary<Val> size() {
        return Combinators.combine(Arbitraries.longs().between(1, 100_000), Arbitraries.of("", "B", "KiB", "MiB", "GiB", "KB", "MB"))
                .as((n, unit) -> {
                    long factor = switch (unit) {
                        case "KiB" -> 1024L;
                        case "MiB" -> 1024L * 1024;
                        case "GiB" -> 1024L * 1024 * 1024;
                        case "KB" -> 1000L;
                        case "MB" -> 1000L * 1000;
                        default -> 1L;
                    };
                    return same(n + unit, n * factor);
                });
    }

    private static Arbitrary<Val> duration() {
        return Combinators.combine(Arbitraries.longs().between(1, 1000), Arbitraries.of("ms", "s", "m", "h"))
                .as((n, unit) -> same(n + unit, switch (unit) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    default -> Duration.ofHours(n);
                }));
    }
}
