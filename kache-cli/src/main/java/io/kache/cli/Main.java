package io.kache.cli;

import io.kache.core.Invocation;
import io.kache.core.server.KacheServer;
import io.kache.core.wrapper.RustcWrapper;

/**
 * The {@code kache} entry point. Decides between wrapper mode and the CLI from the first argument
 * before loading anything else, so the wrapper's hot path never loads picocli.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("__server")) {
            KacheServer.main(new String[] {args[1]});
            return;
        }
        Invocation inv = Invocation.ofProcess(args);
        if (args.length > 0 && RustcWrapper.isCompiler(args[0])) {
            System.exit(RustcWrapper.run(inv));
        }
        System.exit(KacheCli.run(inv));
    }
}
