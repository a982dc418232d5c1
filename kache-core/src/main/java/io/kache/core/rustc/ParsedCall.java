package io.kache.core.rustc;

/** What {@link RustcArgsParser} made of a call: a cacheable compile or a reason to pass it through. */
public sealed interface ParsedCall permits RustcCall, Passthrough {
}
