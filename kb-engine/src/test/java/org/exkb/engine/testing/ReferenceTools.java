package org.exkb.engine.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The reference tools agreement tests compare against (evtxexport, editcap, tshark): a test runs where
 * the tool is installed and is skipped elsewhere, unless KB_REQUIRE_TOOLS=1 (as CI sets it), which
 * turns a missing tool into a failure.
 */
public final class ReferenceTools {
    private ReferenceTools() {
    }

    /** Skips the calling test when {@code tool} is not on the PATH (fails instead under KB_REQUIRE_TOOLS=1). */
    public static void require(String tool) {
        for (String p : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!p.isEmpty() && Files.isExecutable(Path.of(p, tool))) {
                return;
            }
        }
        if ("1".equals(System.getenv("KB_REQUIRE_TOOLS"))) {
            throw new AssertionError(tool + " is required (KB_REQUIRE_TOOLS=1) but not installed");
        }
        assumeTrue(false, tool + " is not installed");
    }
}
