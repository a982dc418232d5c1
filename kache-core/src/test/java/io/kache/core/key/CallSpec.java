package io.kache.core.key;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * A rustc compile as cargo would issue it, before rendering to a command line. Paths hold
 * {@link CargoTree} placeholders. {@link #args()} renders the canonical command line;
 * {@link #args(Random, List)} renders the same call with every order-free list shuffled, every flag
 * spelled at random, and {@code inserts} (flag groups that must not matter) placed at random points.
 *
 * @param codegen {@code -C} options as {@code key=value}, in command-line order
 * @param extra further output-shaping flag groups ({@code -L}, {@code -l}, {@code -Z}), in order
 */
record CallSpec(String crateName, List<String> crateTypes, List<String> emit, String edition, String source,
                boolean test, Optional<String> target, List<String> cfgs, List<String> checkCfgs,
                List<String> externs, List<String> codegen, List<List<String>> extra) {

    CallSpec {
        crateTypes = List.copyOf(crateTypes);
        emit = List.copyOf(emit);
        cfgs = List.copyOf(cfgs);
        checkCfgs = List.copyOf(checkCfgs);
        externs = List.copyOf(externs);
        codegen = List.copyOf(codegen);
        extra = List.copyOf(extra);
    }

    List<String> args() {
        return flatten(groups(null));
    }

    List<String> args(Random random, List<List<String>> inserts) {
        List<List<String>> groups = groups(random);
        for (List<String> insert : inserts) {
            groups.add(random.nextInt(groups.size() + 1), insert);
        }
        return flatten(groups);
    }

    private List<List<String>> groups(Random r) {
        List<List<String>> g = new ArrayList<>();
        g.add(spell(r, "--crate-name", crateName));
        g.add(spell(r, "--edition", edition));
        g.add(List.of(source));
        g.add(List.of("--error-format=json"));
        g.add(List.of("--json=diagnostic-rendered-ansi,artifacts,future-incompat"));
        if (!test) {
            List<String> types = shuffled(r, crateTypes);
            if (r != null && r.nextBoolean()) {
                types.forEach(t -> g.add(spell(r, "--crate-type", t)));
            } else {
                g.add(spell(r, "--crate-type", String.join(",", types)));
            }
        }
        g.add(spell(r, "--emit", String.join(",", shuffled(r, emit))));
        for (String opt : codegen) {
            g.add(codegen(r, opt));
        }
        if (test) {
            g.add(List.of("--test"));
        }
        shuffled(r, cfgs).forEach(c -> g.add(spell(r, "--cfg", c)));
        shuffled(r, checkCfgs).forEach(c -> g.add(spell(r, "--check-cfg", c)));
        g.add(spell(r, "--out-dir", CargoTree.DEPS));
        g.add(List.of("-L", "dependency=" + CargoTree.DEPS));
        for (String name : shuffled(r, externs)) {
            String path = CargoTree.EXTERN_FILES.get(name);
            g.add(spell(r, "--extern", path == null ? name : name + "=" + path));
        }
        g.addAll(extra);
        target.ifPresent(t -> g.add(spell(r, "--target", t)));
        g.add(List.of("--cap-lints", "allow"));
        return g;
    }

    /** One of the four spellings of a codegen option. */
    static List<String> codegen(Random r, String opt) {
        int spelling = r == null ? 0 : r.nextInt(4);
        return switch (spelling) {
            case 0 -> List.of("-C", opt);
            case 1 -> List.of("-C" + opt);
            case 2 -> List.of("--codegen=" + opt);
            default -> List.of("--codegen", opt);
        };
    }

    private static List<String> spell(Random r, String flag, String value) {
        return r != null && r.nextBoolean() ? List.of(flag + "=" + value) : List.of(flag, value);
    }

    private static List<String> shuffled(Random r, List<String> list) {
        List<String> copy = new ArrayList<>(list);
        if (r != null) {
            Collections.shuffle(copy, r);
        }
        return copy;
    }

    private static List<String> flatten(List<List<String>> groups) {
        return groups.stream().flatMap(List::stream).toList();
    }

    CallSpec withCrateName(String v) {
        return new CallSpec(v, crateTypes, emit, edition, source, test, target, cfgs, checkCfgs, externs, codegen, extra);
    }

    /** Also makes the call a non-test compile, so the crate types appear on the command line. */
    CallSpec withCrateTypes(List<String> v) {
        return new CallSpec(crateName, v, emit, edition, source, false, target, cfgs, checkCfgs, externs, codegen, extra);
    }

    CallSpec withEmit(List<String> v) {
        return new CallSpec(crateName, crateTypes, v, edition, source, test, target, cfgs, checkCfgs, externs, codegen, extra);
    }

    CallSpec withEdition(String v) {
        return new CallSpec(crateName, crateTypes, emit, v, source, test, target, cfgs, checkCfgs, externs, codegen, extra);
    }

    CallSpec withSource(String v) {
        return new CallSpec(crateName, crateTypes, emit, edition, v, test, target, cfgs, checkCfgs, externs, codegen, extra);
    }

    CallSpec withTarget(Optional<String> v) {
        return new CallSpec(crateName, crateTypes, emit, edition, source, test, v, cfgs, checkCfgs, externs, codegen, extra);
    }

    CallSpec withCfgs(List<String> v) {
        return new CallSpec(crateName, crateTypes, emit, edition, source, test, target, v, checkCfgs, externs, codegen, extra);
    }

    CallSpec withCheckCfgs(List<String> v) {
        return new CallSpec(crateName, crateTypes, emit, edition, source, test, target, cfgs, v, externs, codegen, extra);
    }

    CallSpec withExterns(List<String> v) {
        return new CallSpec(crateName, crateTypes, emit, edition, source, test, target, cfgs, checkCfgs, v, codegen, extra);
    }

    CallSpec withCodegen(List<String> v) {
        return new CallSpec(crateName, crateTypes, emit, edition, source, test, target, cfgs, checkCfgs, externs, v, extra);
    }

    CallSpec withExtra(List<List<String>> v) {
        return new CallSpec(crateName, crateTypes, emit, edition, source, test, target, cfgs, checkCfgs, externs, codegen, v);
    }
}
