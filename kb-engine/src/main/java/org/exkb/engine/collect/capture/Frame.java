package org.exkb.engine.collect.capture;

import java.util.Arrays;

/**
 * One captured packet as the file holds it: {@code length} bytes of {@code buffer} from
 * {@code offset}. The reader hands out slices of the chunk it read the file into (no copy per
 * frame); the buffer is shared, so it is only read, never changed or kept whole.
 *
 * @param number         1-based frame number, counted as Wireshark counts them
 * @param linkType       the LINKTYPE_ value of its interface (1 Ethernet, 113 SLL, 276 SLL2, 0 NULL, 101 raw...)
 * @param epochNanos     capture time in nanoseconds since 1970 (interface resolution applied)
 * @param originalLength the length of the packet on the wire
 * @param buffer         holds the captured bytes (possibly fewer than originalLength: snap length)
 * @param offset         where they start in {@code buffer}
 * @param length         how many were captured
 * @param fileOffset     where the frame's record starts in the (decompressed) file
 * @param comment        the frame's comment (pcapng opt_comment), or empty
 */
public record Frame(long number, int linkType, long epochNanos, int originalLength, byte[] buffer, int offset, int length,
                    long fileOffset, String comment) {
    public Frame {
        if (offset < 0 || length < 0 || offset + length > buffer.length) {
            throw new IllegalArgumentException("frame bytes " + offset + "+" + length + " outside a buffer of " + buffer.length);
        }
    }

    /** A frame whose captured bytes are the whole of {@code data}. */
    public Frame(long number, int linkType, long epochNanos, int originalLength, byte[] data, long fileOffset, String comment) {
        this(number, linkType, epochNanos, originalLength, data, 0, data.length, fileOffset, comment);
    }

    /** A copy of the captured bytes. */
    public byte[] data() {
        return Arrays.copyOfRange(buffer, offset, offset + length);
    }

    public boolean truncated() {
        return length < originalLength;
    }
}
