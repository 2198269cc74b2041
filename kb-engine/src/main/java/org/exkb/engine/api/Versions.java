package org.exkb.engine.api;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The engine's release version, as the build wrote it (the Maven project version). */
public final class Versions {
    /** For example {@code 1.0.0}; {@code unknown} only when run from classes the build did not make. */
    public static final String ENGINE = read();

    private Versions() {
    }

    private static String read() {
        try (InputStream in = Versions.class.getResourceAsStream("/org/exkb/engine/version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version", "unknown");
            return v.startsWith("${") ? "unknown" : v;
        } catch (IOException e) {
            return "unknown";
        }
    }
}
