package org.exkb.engine.wire;

/**
 * The few DER structures read by hand (ITU-T X.690 section 8.1): a tag-length-value with
 * single-byte tags and definite lengths, every length checked against what is left.
 */
public final class Der {
    public static final int SEQUENCE = 0x30;
    public static final int OCTET_STRING = 0x04;
    public static final int OID = 0x06;

    private Der() {
    }

    /** One TLV: its tag and a cursor over its contents. */
    public record Tlv(int tag, Cursor value) {
    }

    public static Tlv next(Cursor c, String field) throws WireException {
        int tag = c.u8(field + " tag");
        int first = c.u8(field + " length");
        int length;
        if (first < 0x80) {
            length = first;
        } else {
            int n = first & 0x7f;
            if (n == 0 || n > 3) {
                throw new WireException(field + ": DER length of " + n + " bytes is not supported", c.offset() - 1);
            }
            length = 0;
            for (int i = 0; i < n; i++) {
                length = (length << 8) | c.u8(field + " length");
            }
        }
        return new Tlv(tag, c.slice(length, field));
    }

    /** The next TLV, which must have the given tag. */
    public static Cursor expect(Cursor c, int tag, String field) throws WireException {
        long at = c.offset();
        Tlv t = next(c, field);
        if (t.tag() != tag) {
            throw new WireException(String.format("%s: tag 0x%02x, expected 0x%02x", field, t.tag(), tag), at);
        }
        return t.value();
    }
}
