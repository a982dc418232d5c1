package io.kache.core.rustc;

/**
 * Why a rustc call is not cached but run unchanged. Recorded for {@code kache stats}.
 *
 * @param reason a short, stable phrase, e.g. {@code no --crate-name}
 */
public record Passthrough(String reason) implements ParsedCall {
}
