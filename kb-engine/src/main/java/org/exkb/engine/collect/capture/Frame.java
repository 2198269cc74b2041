package org.exkb.engine.collect.capture;

/**
 * One captured packet as the file holds it.
 *
 * @param number         1-based frame number, counted as Wireshark counts them
 * @param linkType       the LINKTYPE_ value of its interface (1 Ethernet, 113 SLL, 276 SLL2, 0 NULL, 101 raw...)
 * @param epochNanos     capture time in nanoseconds since 1970 (interface resolution applied)
 * @param originalLength the length of the packet on the wire
 * @param data           the captured bytes (possibly fewer than originalLength: snap length)
 * @param fileOffset     where the frame's record starts in the (decompressed) file
 * @param comment        the frame's comment (pcapng opt_comment), or empty
 */
public record Frame(long number, int linkType, long epochNanos, int originalLength, byte[] data, long fileOffset,
                    String comment) {
    public boolean truncated() {
        return data.length < originalLength;
    }
}
