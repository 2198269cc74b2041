package org.exkb.engine.wire;

import java.nio.charset.StandardCharsets;

/**
 * Bounded big-endian reading over a slice of bytes, the way TLS structures are laid out (RFC 8446
 * section 3). Every read checks the limit first and names the field, so a damaged length becomes a
 * {@link WireException} such as {@code ClientHello.session_id: length 40 > 32 at offset 0x2b}.
 */
public final class Cursor {
    private final byte[] b;
    private final int base;
    private final int limit;
    private int pos;
    private final long fileBase;

    /**
     * @param fileBase where {@code b[from]} sits in the original input, for messages
     */
    public Cursor(byte[] b, int from, int to, long fileBase) {
        if (from < 0 || to > b.length || from > to) {
            throw new IllegalArgumentException("slice " + from + ".." + to + " of " + b.length);
        }
        this.b = b;
        this.base = from;
        this.pos = from;
        this.limit = to;
        this.fileBase = fileBase;
    }

    public static Cursor of(byte[] b) {
        return new Cursor(b, 0, b.length, 0);
    }

    public int remaining() {
        return limit - pos;
    }

    public boolean atEnd() {
        return pos >= limit;
    }

    public long offset() {
        return fileBase + (pos - base);
    }

    private void need(int n, String field) throws WireException {
        if (n > limit - pos) {
            throw new WireException(field + ": needs " + n + " bytes, " + (limit - pos) + " left", offset());
        }
    }

    public int u8(String field) throws WireException {
        need(1, field);
        return b[pos++] & 0xff;
    }

    public int u16(String field) throws WireException {
        need(2, field);
        int v = ((b[pos] & 0xff) << 8) | (b[pos + 1] & 0xff);
        pos += 2;
        return v;
    }

    public int u24(String field) throws WireException {
        need(3, field);
        int v = ((b[pos] & 0xff) << 16) | ((b[pos + 1] & 0xff) << 8) | (b[pos + 2] & 0xff);
        pos += 3;
        return v;
    }

    public byte[] bytes(int n, String field) throws WireException {
        need(n, field);
        byte[] out = java.util.Arrays.copyOfRange(b, pos, pos + n);
        pos += n;
        return out;
    }

    public void skip(int n, String field) throws WireException {
        need(n, field);
        pos += n;
    }

    /** A sub-cursor over the next {@code n} bytes (whose length was read elsewhere). */
    public Cursor slice(int n, String field) throws WireException {
        need(n, field);
        Cursor c = new Cursor(b, pos, pos + n, offset());
        pos += n;
        return c;
    }

    /**
     * A sub-cursor over a length-prefixed vector ({@code <lo..hi>} in RFC notation), checking the
     * length against the vector's bounds and against what is left.
     */
    public Cursor vector(int lengthBytes, int min, int max, String field) throws WireException {
        long at = offset();
        int len = switch (lengthBytes) {
            case 1 -> u8(field + " length");
            case 2 -> u16(field + " length");
            case 3 -> u24(field + " length");
            default -> throw new IllegalArgumentException("length prefix of " + lengthBytes + " bytes");
        };
        if (len < min || len > max) {
            throw new WireException(field + ": length " + len + (len < min ? " < " + min : " > " + max), at);
        }
        need(len, field);
        Cursor c = new Cursor(b, pos, pos + len, offset());
        pos += len;
        return c;
    }

    public String ascii(int n, String field) throws WireException {
        return new String(bytes(n, field), StandardCharsets.US_ASCII);
    }
}
