package org.exkb.engine.wire;

/**
 * Input that does not fit its format: what field, at which offset, what was expected and what was
 * found. The message reads like {@code pcapng block length: 12 < 28 at offset 0x40}.
 */
public final class WireException extends Exception {
    private static final long serialVersionUID = 1L;
    private final long offset;

    public WireException(String what, long offset) {
        super(what + " at offset 0x" + Long.toHexString(offset));
        this.offset = offset;
    }

    public long offset() {
        return offset;
    }
}
