package io.kache.core.rustc;

import java.nio.file.Path;
import java.util.List;

/**
 * rustc command lines of the shapes cargo 1.95 sends (see RUST-NOTES), for a workspace at
 * {@code {ws}} with its target dir inside and the registry under {@code {cargo}}.
 */
final class CargoCommandLines {

    static final String JSON = "--json=diagnostic-rendered-ansi,artifacts,future-incompat";
    static final String DEPS = "{ws}/target/debug/deps";

    static final String REGISTRY_LIB = "--crate-name serde_json --edition=2018 "
            + "{cargo}/registry/src/index.crates.io-6f17d22bba15001f/serde_json-1.0.87/src/lib.rs "
            + "--error-format=json " + JSON + " --crate-type lib --emit=dep-info,metadata,link "
            + "-C embed-bitcode=no -C debuginfo=2 --cfg feature=\"default\" --cfg feature=\"std\" "
            + "--check-cfg cfg(docsrs,test) --check-cfg cfg(feature,values(\"default\",\"std\")) "
            + "-C metadata=5c65dc16be24ad12 -C extra-filename=-aa3a86d02ac9e920 --out-dir " + DEPS
            + " -L dependency=" + DEPS + " --extern itoa=" + DEPS + "/libitoa-a1b2c3d4e5f60718.rmeta"
            + " --extern ryu=" + DEPS + "/libryu-0f1e2d3c4b5a6978.rmeta"
            + " --extern serde=" + DEPS + "/libserde-1f2e3d4c5b6a7980.rmeta --cap-lints allow";

    static final String MEMBER_LIB = "--crate-name core_lib --edition=2021 core-lib/src/lib.rs "
            + "--error-format=json " + JSON + " --diagnostic-width=143 --crate-type lib "
            + "--emit=dep-info,metadata,link -C embed-bitcode=no -C debuginfo=2 --cfg feature=\"default\" "
            + "--check-cfg cfg(docsrs,test) -C metadata=11aa22bb33cc44dd -C extra-filename=-55ee66ff77aa88bb "
            + "--out-dir " + DEPS + " -C incremental={ws}/target/debug/incremental -L dependency=" + DEPS
            + " --extern macros=" + DEPS + "/libmacros-9988776655443322.so";

    static final String PROC_MACRO = "--crate-name macros --edition=2021 macros/src/lib.rs --error-format=json "
            + JSON + " --crate-type proc-macro --emit=dep-info,link -C prefer-dynamic -C embed-bitcode=no "
            + "-C debuginfo=2 --check-cfg cfg(docsrs,test) -C metadata=9988776655443322 "
            + "-C extra-filename=-9988776655443322 --out-dir " + DEPS
            + " -C incremental={ws}/target/debug/incremental -L dependency=" + DEPS + " --extern proc_macro";

    static final String BUILD_SCRIPT = "--crate-name build_script_build --edition=2021 core-lib/build.rs "
            + "--error-format=json " + JSON + " --crate-type bin --emit=dep-info,link -C embed-bitcode=no "
            + "-C debuginfo=2 --check-cfg cfg(docsrs,test) -C metadata=0123456789abcdef "
            + "-C extra-filename=-0123456789abcdef --out-dir {ws}/target/debug/build/core-lib-0123456789abcdef "
            + "-C incremental={ws}/target/debug/incremental -L dependency=" + DEPS;

    static final String BIN = "--crate-name app --edition=2021 app/src/main.rs --error-format=json " + JSON
            + " --crate-type bin --emit=dep-info,link -C embed-bitcode=no -C debuginfo=2 "
            + "--check-cfg cfg(docsrs,test) -C metadata=a0b1c2d3e4f5a6b7 -C extra-filename=-a0b1c2d3e4f5a6b7 "
            + "--out-dir " + DEPS + " -C incremental={ws}/target/debug/incremental -L dependency=" + DEPS
            + " --extern core_lib=" + DEPS + "/libcore_lib-55ee66ff77aa88bb.rlib";

    static final String TEST = "--crate-name core_lib --edition=2021 core-lib/src/lib.rs --error-format=json "
            + JSON + " --emit=dep-info,link -C embed-bitcode=no -C debuginfo=2 --test --cfg feature=\"default\" "
            + "--check-cfg cfg(docsrs,test) -C metadata=c0ffee00c0ffee00 -C extra-filename=-c0ffee00c0ffee00 "
            + "--out-dir " + DEPS + " -C incremental={ws}/target/debug/incremental -L dependency=" + DEPS
            + " --extern macros=" + DEPS + "/libmacros-9988776655443322.so";

    static final String TARGET_INFO_PROBE = "- --crate-name ___ --print=file-names --crate-type bin "
            + "--crate-type rlib --crate-type dylib --crate-type cdylib --crate-type staticlib "
            + "--crate-type proc-macro --print=sysroot --print=split-debuginfo --print=crate-name --print=cfg "
            + "-Wwarnings";

    private CargoCommandLines() {
    }

    /** Splits on spaces (no token of these lines holds one) and fills in the directories. */
    static List<String> args(String line, Path ws, Path cargoHome) {
        return List.of(line.replace("{ws}", ws.toString()).replace("{cargo}", cargoHome.toString()).split(" "));
    }
}
