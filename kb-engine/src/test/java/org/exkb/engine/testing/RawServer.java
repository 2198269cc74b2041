package org.exkb.engine.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A TCP server on 127.0.0.1 whose every connection is handled by a test's own code (hostile servers). */
public final class RawServer implements AutoCloseable {
    public interface Handler {
        void handle(Socket s) throws Exception;
    }

    private final ServerSocket listener;
    private final List<Socket> open = new CopyOnWriteArrayList<>();

    public RawServer(Handler h) throws IOException {
        listener = new ServerSocket();
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        Thread t = new Thread(() -> {
            while (!listener.isClosed()) {
                try {
                    Socket s = listener.accept();
                    open.add(s);
                    Thread c = new Thread(() -> {
                        try (s) {
                            h.handle(s);
                        } catch (Exception e) {
                            // the probe hung up: expected
                        }
                    }, "raw-conn");
                    c.setDaemon(true);
                    c.start();
                } catch (IOException e) {
                    return;
                }
            }
        }, "raw-server");
        t.setDaemon(true);
        t.start();
    }

    public String target() {
        return "127.0.0.1:" + listener.getLocalPort();
    }

    /** A port on 127.0.0.1 where nothing listens (bound, then released). */
    public static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Socket s : open) {
            s.close();
        }
    }
}
