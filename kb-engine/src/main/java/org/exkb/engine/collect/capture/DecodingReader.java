package org.exkb.engine.collect.capture;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.exkb.engine.wire.WireException;

/**
 * Reads and decodes frames on a second thread while the caller reassembles and follows TLS on its
 * own, in frame order. Reading and decoding is about half the work, so a capture is read in a little
 * over half the time on two cores (BENCHMARKS.md). Memory stays bounded: at most {@link #DEPTH}
 * batches of {@link #BATCH} frames wait between the threads.
 */
final class DecodingReader implements AutoCloseable {
    static final int BATCH = 512;
    static final int DEPTH = 8;

    /** One decoded frame. */
    record Decoded(long number, long epochNanos, boolean truncated, PacketDecoder.Result result) {
    }

    private static final List<Decoded> END = new ArrayList<>(0); // compared by identity

    /** Damaged records read past before reading gives up (a file of noise is not searched forever). */
    static final int MAX_DAMAGE = 100;

    /** A damaged record that reading went on after: the frame number it would have had, what was wrong, where reading went on. */
    record Damage(long frame, String what, CaptureReader.Recovery recovery) {
    }

    private final List<Damage> damage = new java.util.concurrent.CopyOnWriteArrayList<>();

    private final CaptureReader reader;
    private final BlockingQueue<List<Decoded>> queue = new ArrayBlockingQueue<>(DEPTH);
    private final Thread thread;
    private volatile boolean closed;
    private volatile Exception failure;
    private volatile long framesRead;
    private List<Decoded> current = new ArrayList<>(0);
    private int index;

    DecodingReader(CaptureReader reader) {
        this.reader = reader;
        this.thread = new Thread(this::run, "capture-decoder");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        List<Decoded> batch = new ArrayList<>(BATCH);
        try {
            while (!closed) {
                Frame f;
                try {
                    f = reader.next();
                } catch (WireException e) {
                    CaptureReader.Recovery r = damage.size() < MAX_DAMAGE ? reader.recover() : null;
                    if (r == null) {
                        throw e;
                    }
                    damage.add(new Damage(reader.frames() + 1, e.getMessage(), r));
                    continue;
                }
                if (f == null) {
                    break;
                }
                PacketDecoder.Result d = PacketDecoder.supportsLinkType(f.linkType()) ? PacketDecoder.decode(f) : Pcap4jDecoder.decode(f);
                batch.add(new Decoded(f.number(), f.epochNanos(), f.truncated(), d));
                if (batch.size() == BATCH) {
                    put(batch);
                    batch = new ArrayList<>(BATCH);
                }
            }
        } catch (IOException | WireException | RuntimeException e) {
            failure = e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // closed by the consumer
        } finally {
            framesRead = reader.frames();
            try {
                if (!batch.isEmpty()) {
                    put(batch);
                }
                put(END);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void put(List<Decoded> batch) throws InterruptedException {
        while (!closed && !queue.offer(batch, 100, TimeUnit.MILLISECONDS)) {
            // the consumer is busy; check again unless it has gone
        }
    }

    /** The next decoded frame in order, or null at the end (see {@link #failure()}). */
    Decoded next() throws InterruptedException {
        while (index >= current.size()) {
            if (current == END) {
                return null;
            }
            current = queue.take();
            index = 0;
        }
        return current.get(index++);
    }

    /** Why reading stopped before the end of the file, or null. Valid after {@link #next()} returned null. */
    Exception failure() {
        return failure;
    }

    /** The damaged records read past, in file order; complete after {@link #next()} returned null. */
    List<Damage> damage() {
        return damage;
    }

    /** Frames read intact; valid after {@link #next()} returned null. */
    long framesRead() {
        return framesRead;
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
