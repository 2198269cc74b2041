package org.exkb.engine.collect.logs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The word-at-a-time helpers of {@link WebLogPart} against the byte-at-a-time answers they stand for. */
class WebLogPartWordsTest {
    @Test
    void lowestMarkedIsTheIndexOfTheLowestMarkedByte() {
        for (int bits = 1; bits < 256; bits++) {
            long m = 0;
            for (int k = 0; k < 8; k++) {
                if ((bits >> k & 1) != 0) {
                    m |= 0x80L << 8 * k;
                }
            }
            assertEquals(Long.numberOfTrailingZeros(m) >>> 3, WebLogPart.lowestMarked(m), Long.toHexString(m));
        }
    }

    @Test
    void eventsAreExactlyTheBytesAtOrBelowASpaceOrAbove0x7f() {
        Random r = new Random(5);
        for (int round = 0; round < 2000; round++) {
            byte[] b = new byte[r.nextInt(70)];
            for (int i = 0; i < b.length; i++) { // all byte values, and many next to the edges 0x20/0x21 and 0x7f/0x80
                int kind = r.nextInt(4);
                b[i] = (byte) (kind == 0 ? r.nextInt(256) : kind == 1 ? 0x1f + r.nextInt(4) : kind == 2 ? 0x7e + r.nextInt(4) : 'a');
            }
            int from = b.length == 0 ? 0 : r.nextInt(b.length);
            int[] ev = new int[b.length + 8];
            int n = WebLogPart.events(b, from, b.length, ev);
            int[] expected = new int[b.length];
            int k = 0;
            for (int i = from; i < b.length; i++) {
                if ((b[i] & 0xff) <= 0x20 || (b[i] & 0xff) >= 0x80) {
                    expected[k++] = i;
                }
            }
            assertArrayEquals(Arrays.copyOf(expected, k), Arrays.copyOf(ev, n), Arrays.toString(b) + " from " + from);
        }
    }

    @Test
    void startsWithIgnoreCaseByWordsAgreesWithTheByteLoop() {
        byte[] lower = "/microsoft-server-activesync".getBytes(StandardCharsets.US_ASCII);
        long[] words = WebLogPart.words(lower);
        Random r = new Random(9);
        byte[] close = "/Microsoft-Server-ActiveSyncMmSs\r\u000f-/".getBytes(StandardCharsets.ISO_8859_1);
        for (int round = 0; round < 20_000; round++) {
            byte[] b = ("xx" + (r.nextBoolean() ? "/Microsoft-Server-ActiveSync/default.eas" : "/microsoft-server-activesync"))
                    .getBytes(StandardCharsets.US_ASCII);
            for (int c = r.nextInt(3); c > 0; c--) { // a byte or two changed, often to one that differs only in the case bit
                int at = r.nextInt(b.length);
                b[at] = r.nextBoolean() ? close[r.nextInt(close.length)] : (byte) (b[at] ^ 0x20);
            }
            int s = r.nextInt(3);
            int e = s + r.nextInt(b.length - s + 1);
            assertEquals(WebLogPart.startsWithIgnoreCase(b, s, e, lower), WebLogPart.startsWithIgnoreCase(b, s, e, lower, words),
                    new String(b, StandardCharsets.ISO_8859_1) + " [" + s + ", " + e + ")");
        }
    }
}
