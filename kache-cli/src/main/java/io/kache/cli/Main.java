package io.kache.cli;

import io.kache.core.Invocation;

/**
 * The {@code kache} entry point. Decides between wrapper mode and the CLI from the first argument
 * before loading anything else, so the wrapper's hot path never loads picocli.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(KacheCli.run(Invocation.ofProcess(args)));
    }
}
