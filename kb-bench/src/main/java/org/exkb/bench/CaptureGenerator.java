package org.exkb.bench;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.exkb.engine.collect.capture.CaptureReader;
import org.exkb.engine.collect.capture.Frame;
import org.exkb.engine.collect.capture.PacketDecoder;
import org.exkb.engine.collect.capture.TcpReassembler;

/**
 * Writes a large, realistic capture for the benchmark: thousands of TLS connections whose handshake
 * and request bytes are those of a recorded openssl connection (a sample under knowledge/), replayed with
 * distinct client addresses and ports, each followed by bulk encrypted application data, in
 * Ethernet frames of at most 1514 bytes, several connections interleaved. One in ten connections is a
 * hello without SNI answered with a reset (the recorded one). Valid TCP sequence numbers throughout,
 * so every byte goes through reassembly and the TLS layer.
 *
 * <p>Usage: {@code CaptureGenerator OUT.pcap SIZE_MB TLS_SAMPLE.pcap NO_SNI_SAMPLE.pcap} (the first
 * connection of each sample is replayed).
 */
public final class CaptureGenerator {
    private static final int MSS = 1448;
    private static final int INTERLEAVE = 8;

    record Chunk(boolean fromClient, byte[] bytes) {
    }

    private final OutputStream out;
    private long written;
    private long micros;
    private final Random random = new Random(42);

    private CaptureGenerator(OutputStream out) {
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        Path target = Path.of(args[0]);
        long size = Long.parseLong(args[1]) * 1_000_000L;
        List<Chunk> tls = firstConnection(Path.of(args[2]));
        List<Chunk> rejected = List.of(firstConnection(Path.of(args[3])).get(0)); // a hello without SNI, reset at once
        try (OutputStream o = new BufferedOutputStream(Files.newOutputStream(target), 1 << 20)) {
            CaptureGenerator g = new CaptureGenerator(o);
            g.micros = startMicros(Path.of(args[2])); // the recording's own time, so its certificates are in date
            g.header();
            int n = 0;
            while (g.written < size) {
                List<Conn> batch = new ArrayList<>();
                for (int k = 0; k < INTERLEAVE; k++, n++) {
                    boolean reject = n % 10 == 9;
                    // 2-9 records of 16 KB: about 100 KB per connection, so thousands of handshakes per 300 MB
                    batch.add(g.new Conn(n, reject ? rejected : tls, reject ? 0 : 2 + g.random.nextInt(8), reject));
                }
                g.interleave(batch);
            }
            System.out.printf("%s: %d connections, %.0f MB%n", target, n, g.written / 1e6);
        }
    }

    static long startMicros(Path capture) throws IOException {
        try (CaptureReader r = CaptureReader.open(capture)) {
            return r.next().epochNanos() / 1000;
        } catch (org.exkb.engine.wire.WireException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /** The in-order chunks of the first connection of a recorded capture (handshake and request). */
    static List<Chunk> firstConnection(Path capture) throws IOException {
        List<Chunk> chunks = new ArrayList<>();
        TcpReassembler tcp = new TcpReassembler(new TcpReassembler.Listener() {
            @Override
            public void data(TcpReassembler.Connection c, boolean fromClient, long frame, long nanos, byte[] frameBytes, int offset, int length) {
                byte[] bytes = java.util.Arrays.copyOfRange(frameBytes, offset, offset + length); // the frame's array is not ours to keep
                if (c.firstFrame() == 1) {
                    chunks.add(new Chunk(fromClient, bytes));
                }
            }
        });
        try (CaptureReader r = CaptureReader.open(capture)) {
            for (Frame f; (f = r.next()) != null; ) {
                PacketDecoder.Result d = PacketDecoder.decode(f);
                if (d.segment() != null) {
                    tcp.add(d.segment());
                }
            }
        } catch (org.exkb.engine.wire.WireException e) {
            throw new IOException(e.getMessage(), e);
        }
        return chunks;
    }

    /** One replayed connection: its script of chunks, then bulk records from the server. */
    final class Conn {
        final byte[] client;
        final int clientPort;
        final List<Chunk> script;
        int bulkRecords;
        final boolean reject;
        long clientSeq = 1000;
        long serverSeq = 5000;
        int step;
        boolean opened;
        boolean done;

        Conn(int n, List<Chunk> script, int bulkRecords, boolean reject) {
            this.client = new byte[] {10, (byte) (n >> 16), (byte) (n >> 8), (byte) Math.max(1, n & 0xff)};
            this.clientPort = 1024 + n % 60000;
            this.script = script;
            this.bulkRecords = bulkRecords;
            this.reject = reject;
        }

        /** Writes the next few frames; returns false when finished. */
        boolean next() throws IOException {
            if (!opened) {
                opened = true;
                tcp(this, true, 0x02, new byte[0]);
                tcp(this, false, 0x12, new byte[0]);
                tcp(this, true, 0x10, new byte[0]);
                return true;
            }
            if (step < script.size()) {
                Chunk c = script.get(step++);
                send(this, c.fromClient(), c.bytes());
                if (reject) {
                    tcp(this, false, 0x14, new byte[0]); // RST, ACK from the server
                    done = true;
                    return false;
                }
                return true;
            }
            if (bulkRecords > 0) {
                bulkRecords--;
                byte[] record = new byte[5 + 16384 + 24];
                record[0] = 23;
                record[1] = 3;
                record[2] = 3;
                record[3] = (byte) ((record.length - 5) >> 8);
                record[4] = (byte) (record.length - 5);
                random.nextBytes(java.util.Arrays.copyOfRange(record, 5, 64)); // content does not matter; keep it cheap
                send(this, false, record);
                return true;
            }
            tcp(this, true, 0x11, new byte[0]);
            tcp(this, false, 0x11, new byte[0]);
            done = true;
            return false;
        }
    }

    private void interleave(List<Conn> batch) throws IOException {
        boolean any = true;
        while (any) {
            any = false;
            for (Conn c : batch) {
                if (!c.done) {
                    any |= c.next();
                }
            }
        }
    }

    private void send(Conn c, boolean fromClient, byte[] bytes) throws IOException {
        for (int i = 0; i < bytes.length; i += MSS) {
            byte[] seg = java.util.Arrays.copyOfRange(bytes, i, Math.min(bytes.length, i + MSS));
            tcp(c, fromClient, 0x18, seg);
        }
    }

    private void header() throws IOException {
        ByteBuffer h = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        h.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(262144).putInt(1);
        out.write(h.array());
        written += 24;
    }

    private void tcp(Conn c, boolean fromClient, int flags, byte[] payload) throws IOException {
        byte[] server = {10, 0, 0, 1};
        int len = 14 + 20 + 20 + payload.length;
        ByteBuffer f = ByteBuffer.allocate(16 + len);
        f.order(ByteOrder.LITTLE_ENDIAN);
        micros += 50;
        f.putInt((int) (micros / 1_000_000)).putInt((int) (micros % 1_000_000)).putInt(len).putInt(len);
        f.order(ByteOrder.BIG_ENDIAN);
        f.put(new byte[] {0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 6}).putShort((short) 0x0800);
        f.put((byte) 0x45).put((byte) 0).putShort((short) (len - 14)).putShort((short) 0).putShort((short) 0x4000)
                .put((byte) 64).put((byte) 6).putShort((short) 0);
        f.put(fromClient ? c.client : server).put(fromClient ? server : c.client);
        f.putShort((short) (fromClient ? c.clientPort : 443)).putShort((short) (fromClient ? 443 : c.clientPort));
        f.putInt((int) (fromClient ? c.clientSeq : c.serverSeq)).putInt((int) (fromClient ? c.serverSeq : c.clientSeq));
        f.put((byte) 0x50).put((byte) flags).putShort((short) 502).putShort((short) 0).putShort((short) 0);
        f.put(payload);
        out.write(f.array());
        written += f.capacity();
        if (fromClient) {
            c.clientSeq += payload.length + ((flags & 0x03) != 0 ? 1 : 0);
        } else {
            c.serverSeq += payload.length + ((flags & 0x03) != 0 ? 1 : 0);
        }
    }
}
