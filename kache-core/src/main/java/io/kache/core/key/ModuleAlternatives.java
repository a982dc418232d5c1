package io.kache.core.key;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the other file of a module would be. rustc resolves {@code mod x;} to {@code D/x.rs} or
 * {@code D/x/mod.rs} (D depends on the declaring file: its own directory for {@code lib.rs},
 * {@code main.rs}, {@code mod.rs} and {@code #[path]} files, {@code D/foo/} for a {@code foo.rs}),
 * and fails with E0761 when both exist. A remembered input set therefore also holds only while the
 * other form of each module file it read is absent, which no dep-info records: creating
 * {@code util/mod.rs} beside {@code util.rs} must make the next build fail as it does without kache.
 *
 * <p>Derived from the input paths alone, without parsing Rust: whatever D and the declaring file
 * were, the two candidates of one module are always {@code D/x.rs} and {@code D/x/mod.rs}, so every
 * {@code .rs} input implies its other form. For a {@code .rs} input that is not a module file (the
 * crate root, a {@code #[path]} target, an {@code include!}d file) the requirement is needless but
 * harmless: creating that path would cost one compile, never a wrong artifact. A {@code #[path]}
 * target has no alternative (the path is exact), and its own child modules follow the same rule.
 * The recorder keeps only alternatives that are absent when the compile succeeded: one that existed
 * then evidently changed nothing, and requiring its absence would make the entry unreachable.
 *
 * <p>Cost on the hit path: one stat per {@code .rs} input.
 */
final class ModuleAlternatives {

    private ModuleAlternatives() {
    }

    /** The other form of the module file {@code file}, if it is a {@code .rs} file with one. */
    static Optional<Path> of(Path file) {
        Path name = file.getFileName();
        Path dir = file.getParent();
        if (name == null || dir == null || !name.toString().endsWith(".rs")) {
            return Optional.empty();
        }
        String n = name.toString();
        if (n.equals("mod.rs")) {
            Path moduleDir = dir.getFileName();
            Path parent = dir.getParent();
            return moduleDir == null || parent == null ? Optional.empty()
                    : Optional.of(parent.resolve(moduleDir + ".rs"));
        }
        String stem = n.substring(0, n.length() - 3);
        return stem.isEmpty() ? Optional.empty() : Optional.of(dir.resolve(stem).resolve("mod.rs"));
    }
}
