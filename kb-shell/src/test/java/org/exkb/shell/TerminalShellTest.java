package org.exkb.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.exkb.engine.api.DiagnosisEngine;
import org.jline.terminal.Attributes;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.DumbTerminal;
import org.jline.terminal.impl.ExternalTerminal;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The interactive shell over JLine terminals built on streams: prompts, history, completion, Ctrl-C, colour. */
class TerminalShellTest {
    static DiagnosisEngine engine;

    @BeforeAll
    static void load() {
        engine = DiagnosisEngine.fromClasspath();
    }

    @Test
    void aDumbTerminalGetsPromptsPlainTextAndKeepsTheHistory(@TempDir Path tmp) throws IOException {
        Path history = tmp.resolve("history");
        String typed = "bad username or password\nOutlook for Mac 2011\n1\nexit\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Terminal t = new DumbTerminal("test", Terminal.TYPE_DUMB, new ByteArrayInputStream(typed.getBytes(StandardCharsets.UTF_8)),
                out, StandardCharsets.UTF_8)) {
            assertEquals(0, Shells.interactive(t, () -> engine, history, true));
        }
        String screen = out.toString(StandardCharsets.UTF_8);
        assertTrue(screen.contains("kb [symptom]> "), screen);
        assertTrue(screen.contains("kb [client]> "), screen);
        assertTrue(screen.contains("kb [handshake_without_sni]> "), screen);
        assertTrue(screen.contains("Verdict: NON_SNI_CLIENT_REJECTED (confirmed)"), screen);
        assertFalse(screen.contains("\033["), "no escape sequences on a dumb terminal");
        List<String> kept = Files.readAllLines(history);
        assertTrue(kept.stream().anyMatch(l -> l.endsWith("Outlook for Mac 2011")), kept.toString());
        assertTrue(kept.stream().anyMatch(l -> l.endsWith("exit")), kept.toString());

        // the next session finds the history: Ctrl-P (previous line, as Up) walks back through it
        ByteArrayOutputStream out2 = new ByteArrayOutputStream();
        try (Terminal t = new ExternalTerminal("test", "xterm-256color",
                new ByteArrayInputStream("bad username or password\r\u0010\u0010\u0010\u0010\r".getBytes(StandardCharsets.UTF_8)),
                out2, StandardCharsets.UTF_8)) {
            Shells.interactive(t, () -> engine, history, false);
        }
        assertTrue(out2.toString(StandardCharsets.UTF_8).contains("Client: Outlook for Mac 2011"),
                "four lines up (past this session's symptom, 'exit' and '1') is the client given in the earlier session:\n" + out2);
    }

    @Test
    void endOfInputLeavesCleanly(@TempDir Path tmp) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Terminal t = new DumbTerminal("test", Terminal.TYPE_DUMB, new ByteArrayInputStream("status\n".getBytes(StandardCharsets.UTF_8)),
                out, StandardCharsets.UTF_8)) {
            assertEquals(0, Shells.interactive(t, () -> engine, tmp.resolve("h"), true));
        }
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("No hypotheses yet"));
    }

    @Test
    void tabCompletesCommandsDevicesIdsAndChoices(@TempDir Path tmp) throws IOException {
        // ExternalTerminal takes TAB and \r as a real terminal does
        String typed = "bad username or password\r"
                + "Outlook for M\t\r"              // a device name from the catalogue, on the client prompt
                + "stat\t\r"                        // a command
                + "change handshake_w\t fa\t\r"     // a question id, then one of its choices
                + "why NON_S\t\r"                   // a finding id
                + "exit\r";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Terminal t = new ExternalTerminal("test", "xterm-256color", new ByteArrayInputStream(typed.getBytes(StandardCharsets.UTF_8)),
                out, StandardCharsets.UTF_8)) {
            Shells.interactive(t, () -> engine, tmp.resolve("h"), false);
        }
        String screen = out.toString(StandardCharsets.UTF_8);
        assertTrue(screen.contains("Client: Outlook for Mac 2011"), screen);
        assertTrue(screen.contains("Case: 1. bad username or password"), screen);
        assertTrue(screen.contains("Noted handshake_without_sni = fails"), screen);
        assertTrue(screen.contains("NON_SNI_CLIENT_REJECTED  confirmed"), screen);
    }

    @Test
    void tabCompletesADevicesAliasAndADumbTerminalPromisesNoCompletion(@TempDir Path tmp) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Terminal t = new ExternalTerminal("test", "xterm-256color", new ByteArrayInputStream(
                "hr=0x80072f0d\rPolycom CX6\t\rexit\r".getBytes(StandardCharsets.UTF_8)), out, StandardCharsets.UTF_8)) {
            Shells.interactive(t, () -> engine, tmp.resolve("h"), false);
        }
        String screen = out.toString(StandardCharsets.UTF_8);
        assertTrue(screen.contains("Client: Lync Phone Edition"), "Polycom CX600 is an alias of Lync Phone Edition: " + screen);
        assertTrue(screen.contains("TAB completes"), screen);
        ByteArrayOutputStream dumb = new ByteArrayOutputStream();
        try (Terminal t = new org.jline.terminal.impl.DumbTerminal("test", "dumb", new ByteArrayInputStream("exit\r".getBytes(StandardCharsets.UTF_8)),
                dumb, StandardCharsets.UTF_8)) {
            Shells.interactive(t, () -> engine, tmp.resolve("h2"), false);
        }
        assertFalse(dumb.toString(StandardCharsets.UTF_8).contains("TAB"), "no completion on a dumb terminal, so none promised: " + dumb);
    }

    @Test
    void proseIsWrappedAtTheTerminalsWidthNeverInsideAWord(@TempDir Path tmp) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Terminal t = new ExternalTerminal("test", "xterm-256color", new ByteArrayInputStream(
                "bad username or password\rOutlook for Mac 2011\rexit\r".getBytes(StandardCharsets.UTF_8)), out, StandardCharsets.UTF_8)) {
            t.setSize(new org.jline.terminal.Size(80, 24));
            Shells.interactive(t, () -> engine, tmp.resolve("h"), false);
        }
        String screen = out.toString(StandardCharsets.UTF_8).replaceAll("\u001B\\[[0-9;?]*[A-Za-z]", "");
        for (String line : screen.split("\r?\n")) {
            assertTrue(line.length() <= 80 || !line.contains(" "), "a line of prose wider than the 80 columns: " + line);
        }
        assertTrue(screen.contains("You can: Type `probe HOST` here") && screen.contains("How (engineer): From any machine"),
                "what a tier-1 agent can do comes first, the recipe second: " + screen);
    }

    @Test
    void colourOnACapableTerminalAndNotWhenTurnedOff(@TempDir Path tmp) throws IOException {
        for (boolean colour : new boolean[] {true, false}) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (Terminal t = new ExternalTerminal("test", "xterm-256color",
                    new ByteArrayInputStream("bad username or password\rOutlook for Mac 2011\r1\rexit\r".getBytes(StandardCharsets.UTF_8)),
                    out, StandardCharsets.UTF_8)) {
                Shells.interactive(t, () -> engine, tmp.resolve("h"), colour);
            }
            String screen = out.toString(StandardCharsets.UTF_8);
            assertTrue(screen.contains("Verdict:"), screen);
            // the word "confirmed" in bold red
            assertEquals(colour, screen.contains("\033[1;31mconfirmed") || screen.contains("\033[31;1mconfirmed"), screen);
        }
    }

    @Test
    void ctrlCCancelsARunningProbeAndTheShellGoesOn(@TempDir Path tmp) throws Exception {
        List<Socket> held = new ArrayList<>();
        ExecutorService pool = Executors.newCachedThreadPool();
        try (ServerSocket silent = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            // accepts and never answers: the probe would wait for its timeouts
            pool.submit(() -> {
                while (!silent.isClosed()) {
                    try {
                        held.add(silent.accept());
                    } catch (IOException e) {
                        return null;
                    }
                }
                return null;
            });
            PipedOutputStream keys = new PipedOutputStream();
            PipedInputStream in = new PipedInputStream(keys);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Terminal t = new ExternalTerminal("test", "xterm-256color", in, out, StandardCharsets.UTF_8);
            Attributes a = t.getAttributes();
            Future<Integer> shell = pool.submit(() -> Shells.interactive(t, () -> engine, tmp.resolve("h"), false));
            keys.write(("probe 127.0.0.1:" + silent.getLocalPort() + "\r").getBytes(StandardCharsets.UTF_8));
            keys.flush();
            long start = System.nanoTime();
            waitFor(out, "probing 127.0.0.1");
            t.raise(Terminal.Signal.INT);
            waitFor(out, "Cancelled: probing");
            long cancelledAfter = (System.nanoTime() - start) / 1_000_000;
            keys.write("status\rexit\r".getBytes(StandardCharsets.UTF_8));
            keys.flush();
            assertEquals(0, shell.get(20, TimeUnit.SECONDS));
            String screen = out.toString(StandardCharsets.UTF_8);
            assertTrue(screen.contains("0 probe(s)"), "nothing from the cancelled probe was added:\n" + screen);
            // the probe alone would take its per-connection timeouts (5 s each, several attempts)
            assertTrue(cancelledAfter < 5000, "cancelled after " + cancelledAfter + " ms");
            t.setAttributes(a);
            t.close();
        } finally {
            for (Socket s : held) {
                s.close();
            }
            pool.shutdownNow();
        }
    }

    private static void waitFor(ByteArrayOutputStream out, String text) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!out.toString(StandardCharsets.UTF_8).contains(text)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("'" + text + "' never appeared:\n" + out.toString(StandardCharsets.UTF_8));
            }
            Thread.sleep(20);
        }
    }
}
