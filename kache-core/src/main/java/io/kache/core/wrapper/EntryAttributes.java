package io.kache.core.wrapper;

import io.kache.core.rustc.RustcCall;
import io.kache.core.store.CallKeyIndex;

/** Names of the wrapper's metadata in an entry's attributes. */
final class EntryAttributes {

    /** The call key the entry was compiled for; the store indexes an imported entry by it. */
    static final String CALL_KEY = CallKeyIndex.CALL_KEY_ATTRIBUTE;
    /** The encoded {@link io.kache.core.key.InputSet}: lets the store index an imported entry. */
    static final String INPUTS = CallKeyIndex.INPUTS_ATTRIBUTE;
    /** The diagnostic flags the stored diagnostics were rendered with. */
    static final String DIAGNOSTIC_FLAGS = io.kache.core.entry.EntryManifest.DIAGNOSTIC_FLAGS;
    /** rustc's JSON artifact notifications, normalized; empty when the compile did not ask for them. */
    static final String NOTIFICATIONS = io.kache.core.entry.EntryManifest.NOTIFICATIONS;
    /** The cargo package of the crate ({@code CARGO_PKG_NAME}), for {@code kache list}. */
    static final String PACKAGE = io.kache.core.store.EntryInfo.PACKAGE_ATTRIBUTE;
    /** Its version ({@code CARGO_PKG_VERSION}): a build record tells two versions of one package apart by it. */
    static final String PACKAGE_VERSION = io.kache.core.store.EntryInfo.PACKAGE_VERSION_ATTRIBUTE;
    /** How long rustc took when the entry was compiled, in milliseconds: what a hit saves. */
    static final String COMPILE_MILLIS = "compile-millis";
    /** The key recipe version. */
    static final String RECIPE = "recipe";

    private EntryAttributes() {
    }

    /** The compile time an entry recorded, or 0 when it was stored by a kache that did not record it. */
    static long compileMillis(io.kache.core.entry.EntryManifest entry) {
        try {
            return Long.parseLong(entry.attributes().getOrDefault(COMPILE_MILLIS, "0"));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** The diagnostic flags of a call, in a canonical form. */
    static String diagnosticFlags(RustcCall call) {
        return String.join(" ", call.diagnosticArgs().stream().sorted().toList());
    }
}
