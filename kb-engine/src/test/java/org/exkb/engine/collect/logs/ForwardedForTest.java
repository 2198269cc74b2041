package org.exkb.engine.collect.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The client address a load balancer recorded in X-Forwarded-For, as IIS logs the header. */
class ForwardedForTest {
    static String client(String value) {
        byte[] b = ("x " + value + " y").getBytes(StandardCharsets.UTF_8); // not at the start of the array
        long x = WebLogReader.forwardedClient(b, 2, 2 + value.length());
        return x < 0 ? null : new String(b, (int) (x >>> 32), (int) x - (int) (x >>> 32), StandardCharsets.UTF_8);
    }

    @Test
    void theLastEntryWithoutItsPort() {
        assertEquals("198.51.100.7", client("198.51.100.7"));
        assertEquals("203.0.113.9", client("198.51.100.7,+203.0.113.9"), "the entry the balancer added is the last");
        assertEquals("203.0.113.9", client("198.51.100.7, 203.0.113.9"));
        assertEquals("198.51.100.7", client("198.51.100.7:50123"));
        assertEquals("2001:db8::7", client("[2001:db8::7]:443"));
        assertEquals("2001:db8::7", client("2001:db8::7"));
        assertEquals("::ffff:198.51.100.7", client("::ffff:198.51.100.7"));
    }

    @Test
    void whatIsNotAnAddressIsNone() {
        assertEquals(null, client("unknown"));
        assertEquals(null, client("198.51.100.7,+unknown"));
        assertEquals(null, client("cafe.be"));
        assertEquals(null, client("_hidden"));
        assertEquals(null, client("[2001:db8::7"));
        assertEquals(null, client(""));
        assertEquals(null, client("+"));
    }
}
