package io.kache.core.journal;

import java.nio.file.Path;
import java.util.Optional;

/**
 * What one wrapper call tells about the build it belongs to, cheaply, from its own arguments:
 * together they say which workspace, profile, target, toolchain and flags a build was.
 *
 * @param targetDir cargo's target directory (the output directory without {@code [TRIPLE/]PROFILE/deps}
 *     or {@code PROFILE/build/PKG}); names the checkout locally
 * @param profile the profile's directory name ({@code debug} for dev, {@code release}, a custom name)
 * @param triple the {@code --target} of the call, or {@code host}
 * @param toolchain a digest of the toolchain ({@link BuildDigests#toolchain}), or {@code -} when not known
 * @param flags a digest of {@code RUSTFLAGS}/{@code CARGO_ENCODED_RUSTFLAGS} as cargo's environment had
 *     them ({@link BuildDigests#rustflags})
 */
public record WorkspaceSide(String targetDir, String profile, String triple, String toolchain, String flags) {

    public WorkspaceSide {
        targetDir = BuildEvent.clean(targetDir);
        profile = BuildEvent.clean(profile);
        triple = BuildEvent.clean(triple);
        toolchain = BuildEvent.clean(toolchain);
        flags = BuildEvent.clean(flags);
    }

    /**
     * From a call's output directory: {@code T/PROFILE/deps}, {@code T/TRIPLE/PROFILE/deps} (with
     * {@code --target}) or {@code T/PROFILE/build/PKG-HASH} (build scripts run on the host).
     */
    public static WorkspaceSide of(Path outDir, Optional<String> target, String toolchain, String flags) {
        Path dir = outDir.normalize();
        Path parent = dir.getParent();
        String triple = target.orElse("host");
        if (dir.getFileName() != null && dir.getFileName().toString().equals("deps") && parent != null
                && parent.getParent() != null) {
            Path base = parent.getParent();
            if (target.isPresent() && base.getFileName() != null && base.getFileName().toString().equals(target.get())
                    && base.getParent() != null) {
                base = base.getParent();
            }
            return new WorkspaceSide(base.toString(), parent.getFileName().toString(), triple, toolchain, flags);
        }
        if (parent != null && parent.getFileName() != null && parent.getFileName().toString().equals("build")
                && parent.getParent() != null && parent.getParent().getParent() != null) {
            Path profileDir = parent.getParent();
            return new WorkspaceSide(profileDir.getParent().toString(), profileDir.getFileName().toString(), triple,
                    toolchain, flags);
        }
        return new WorkspaceSide(dir.toString(), "-", triple, toolchain, flags);
    }

    void appendTo(StringBuilder b) {
        b.append(targetDir).append('\t').append(profile).append('\t').append(triple).append('\t')
                .append(toolchain).append('\t').append(flags);
    }
}
