package org.exkb.engine.collect.capture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.exkb.engine.testing.Captures;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The hand-written decoder is the fast path for the common link types; pcap4j (the choice)
 * decodes the rest. Both must give the same TCP segment for every frame of every recorded capture.
 */
class Pcap4jAgreementTest {
    static Stream<Path> captures() throws IOException {
        Stream<Path> fixtures = Stream.of("openssl-lo.pcap", "openssl-lo.pcapng", "openssl-any.pcapng").map(Captures::fixture);
        List<Path> samples;
        try (Stream<Path> s = Files.walk(org.exkb.engine.KnowledgeSamples.ROOT)) {
            samples = s.filter(p -> p.getFileName().toString().matches("capture\\.pcap(ng)?")).sorted().toList();
        }
        return Stream.concat(fixtures, samples.stream());
    }

    @ParameterizedTest
    @MethodSource("captures")
    void bothDecodersGiveTheSameSegments(Path capture) throws Exception {
        int compared = 0;
        for (Frame f : Captures.readAll(capture)) {
            PacketDecoder.Result fast = PacketDecoder.decode(f);
            PacketDecoder.Result slow = Pcap4jDecoder.decode(f);
            assertNotNull(fast.segment(), () -> capture + " frame " + f.number() + ": " + fast);
            assertNotNull(slow.segment(), () -> capture + " frame " + f.number() + ": " + slow);
            TcpSegment a = fast.segment();
            TcpSegment b = slow.segment();
            String where = capture + " frame " + f.number();
            assertEquals(a.srcAddress(), b.srcAddress(), where);
            assertEquals(a.dstAddress(), b.dstAddress(), where);
            assertEquals(a.srcPort(), b.srcPort(), where);
            assertEquals(a.dstPort(), b.dstPort(), where);
            assertEquals(a.seq(), b.seq(), where);
            assertEquals(a.ack(), b.ack(), where);
            assertEquals(a.flags(), b.flags(), where);
            assertEquals(a.window(), b.window(), where);
            assertEquals(a.payloadLength(), b.payloadLength(), where);
            assertArrayEquals(a.payload(), b.payload(), where);
            compared++;
        }
        assertTrue(compared > 10, capture + ": only " + compared + " frames");
    }
}
