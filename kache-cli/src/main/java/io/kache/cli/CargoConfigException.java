package io.kache.cli;

/**
 * A cargo config file {@code kache init} will not change: it does not parse, cannot be read, or holds
 * a setting kache must not overwrite without {@code --force}. The message says which and what to do.
 */
final class CargoConfigException extends Exception {

    private static final long serialVersionUID = 1L;

    CargoConfigException(String message) {
        super(message);
    }

    CargoConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
