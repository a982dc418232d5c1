package io.kache.cli;

import picocli.CommandLine.IVersionProvider;

/** {@code kache --version}: {@link BuildInfo} and the Java runtime of this JVM. */
final class VersionProvider implements IVersionProvider {

    @Override
    public String[] getVersion() {
        return BuildInfo.current().lines(System.getProperty("java.runtime.version"),
                System.getProperty("java.vendor"), System.getProperty("java.home"));
    }
}
