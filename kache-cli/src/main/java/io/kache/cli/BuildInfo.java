package io.kache.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * What {@code kache --version} says: kache's version and the commit it was built from (written into
 * {@code kache-build.properties} at build time), and the Java runtime this JVM runs on.
 *
 * @param version kache's Maven version
 * @param commit the git commit of the build, with {@code -dirty} for uncommitted changes, or
 *     {@code unknown} outside a git checkout
 */
record BuildInfo(String version, String commit) {

    static final String RESOURCE = "kache-build.properties";

    static BuildInfo current() {
        Properties p = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream(RESOURCE)) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new BuildInfo(value(p, "version"), value(p, "commit"));
    }

    /** The lines of {@code kache --version}. */
    String[] lines(String javaVersion, String javaVendor, String javaHome) {
        return new String[] {"kache " + version + " (commit " + commit + ")",
                "Java " + javaVersion + " (" + javaVendor + ") at " + javaHome};
    }

    private static String value(Properties p, String key) {
        String v = p.getProperty(key, "").trim();
        return v.isEmpty() || v.startsWith("${") ? "unknown" : v;
    }
}
