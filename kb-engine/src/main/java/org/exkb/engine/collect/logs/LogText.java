package org.exkb.engine.collect.logs;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Text as Windows writes it: UTF-8 with or without a byte-order mark, or UTF-16 (little or big
 * endian) with one (a PowerShell redirect). Undecodable bytes become U+FFFD, which readers report
 * with the line they are on; nothing is dropped.
 */
final class LogText {
    private LogText() {
    }

    /** The encoding the byte-order mark names, else UTF-8; {@code head} is the first bytes of the text. */
    static Charset charset(byte[] head) {
        if (head.length >= 2 && (head[0] & 0xff) == 0xff && (head[1] & 0xff) == 0xfe) {
            return StandardCharsets.UTF_16LE;
        }
        if (head.length >= 2 && (head[0] & 0xff) == 0xfe && (head[1] & 0xff) == 0xff) {
            return StandardCharsets.UTF_16BE;
        }
        // UTF-16 without a mark: every other byte of ASCII text is NUL
        if (head.length >= 8 && head[1] == 0 && head[3] == 0 && head[5] == 0 && head[0] != 0 && head[2] != 0) {
            return StandardCharsets.UTF_16LE;
        }
        return StandardCharsets.UTF_8;
    }

    /** The start of the text, decoded, for recognising its format. */
    static String headText(byte[] head) {
        Charset cs = charset(head);
        String s = new String(head, cs);
        return s.startsWith("\ufeff") ? s.substring(1) : s;
    }

    /** A line reader over the stream in the encoding {@link #charset} found in its head, the byte-order mark removed. */
    static BufferedReader reader(InputStream in, Charset cs) throws IOException {
        CharsetDecoder d = cs.newDecoder().onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
        BufferedReader r = new BufferedReader(new InputStreamReader(in, d), 1 << 16);
        r.mark(1);
        int first = r.read();
        if (first != 0xfeff && first >= 0) {
            r.reset();
        }
        return r;
    }
}
