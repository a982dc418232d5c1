/**
 * The kache storage SPI. JDK only, so a backend author depends on nothing but this module.
 */
module io.kache.api {
    exports io.kache.api;
    uses io.kache.api.ArtifactStoreProvider;
}
