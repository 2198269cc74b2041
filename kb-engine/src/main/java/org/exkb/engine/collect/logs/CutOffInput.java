package org.exkb.engine.collect.logs;

import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.ZipException;

/**
 * Decompressed bytes (gzip, a zip entry) that simply end where the compressed data is cut off or
 * damaged, remembering why and after how many bytes. A reader on top finishes normally with
 * everything before the damage, and the collector reports the damage with its place: a log copied
 * off a server while it was still being written, or a download that stopped, keeps all its complete
 * lines instead of being refused whole.
 */
final class CutOffInput extends FilterInputStream {
    private long delivered;
    private String damage;
    private boolean endedEarly;

    CutOffInput(InputStream in) {
        super(in);
    }

    @Override
    public int read() throws IOException {
        if (damage != null) {
            return -1;
        }
        try {
            int b = in.read();
            if (b >= 0) {
                delivered++;
            }
            return b;
        } catch (EOFException | ZipException e) {
            return stop(e);
        }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (damage != null) {
            return -1;
        }
        try {
            int n = in.read(b, off, len);
            if (n > 0) {
                delivered += n;
            }
            return n;
        } catch (EOFException | ZipException e) {
            return stop(e);
        }
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] sink = new byte[(int) Math.min(n, 8192)];
        long left = n;
        while (left > 0) {
            int got = read(sink, 0, (int) Math.min(left, sink.length));
            if (got < 0) {
                break;
            }
            left -= got;
        }
        return n - left;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    private int stop(IOException e) {
        endedEarly = e instanceof EOFException;
        damage = endedEarly ? "the compressed data ends before its end mark"
                : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return -1;
    }

    /** Why the data stopped early, or null when it ended properly. */
    String damage() {
        return damage;
    }

    /** True when the compressed data simply stops (a file cut short), not when it is corrupt. */
    boolean endedEarly() {
        return endedEarly;
    }

    /** Decompressed bytes delivered before the damage. */
    long delivered() {
        return delivered;
    }
}
