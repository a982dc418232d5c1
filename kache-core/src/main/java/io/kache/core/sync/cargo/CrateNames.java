package io.kache.core.sync.cargo;

/**
 * Maps cargo's package and target names to the crate names rustc (and so the cache) uses.
 */
public final class CrateNames {

    private CrateNames() {
    }

    /** {@code serde-json} → {@code serde_json}: cargo passes target names to rustc with {@code -} replaced. */
    public static String of(String cargoName) {
        return cargoName.replace('-', '_');
    }
}
