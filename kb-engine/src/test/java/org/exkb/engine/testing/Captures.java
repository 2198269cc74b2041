package org.exkb.engine.testing;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.exkb.engine.collect.capture.CaptureReader;
import org.exkb.engine.collect.capture.Frame;
import org.exkb.engine.wire.WireException;

/** The recorded capture fixtures (src/test/resources/captures, made by record.sh there). */
public final class Captures {
    /** Frames in each fixture, as tshark counts them (record.sh prints the count when it records). */
    public static final int FRAMES = 28;

    private Captures() {
    }

    public static Path fixture(String name) {
        try {
            return Path.of(Captures.class.getResource("/captures/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public static List<Frame> readAll(Path p) throws IOException, WireException {
        List<Frame> out = new ArrayList<>();
        try (CaptureReader r = CaptureReader.open(p)) {
            for (Frame f; (f = r.next()) != null; ) {
                out.add(f);
            }
        }
        return out;
    }
}
