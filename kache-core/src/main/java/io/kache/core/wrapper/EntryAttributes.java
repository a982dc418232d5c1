package io.kache.core.wrapper;

import io.kache.core.rustc.RustcCall;

/** Names of the wrapper's metadata in an entry's attributes. */
final class EntryAttributes {

    /** The call key the entry was compiled for. */
    static final String CALL_KEY = "call-key";
    /** The encoded {@link io.kache.core.key.InputSet}: lets an imported entry rebuild its manifest. */
    static final String INPUTS = "inputs";
    /** The diagnostic flags the stored diagnostics were rendered with. */
    static final String DIAGNOSTIC_FLAGS = "diagnostic-flags";
    /** rustc's JSON artifact notifications, normalized; empty when the compile did not ask for them. */
    static final String NOTIFICATIONS = "notifications";
    /** The key recipe version. */
    static final String RECIPE = "recipe";

    private EntryAttributes() {
    }

    /** The diagnostic flags of a call, in a canonical form. */
    static String diagnosticFlags(RustcCall call) {
        return String.join(" ", call.diagnosticArgs().stream().sorted().toList());
    }
}
