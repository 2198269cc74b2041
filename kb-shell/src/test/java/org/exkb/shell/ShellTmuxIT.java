package org.exkb.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end: the real {@code ./kb} launcher in a real terminal (tmux), typed at like a person:
 * symptom, TAB-completed client, the menu answer, the fix, exit. Runs after packaging (failsafe), so
 * the launcher finds the built jar. Needs tmux (CI installs it); without it the test is skipped,
 * unless KB_REQUIRE_TMUX is set, when it fails.
 */
class ShellTmuxIT {
    private final String socket = "kb-it-" + ProcessHandle.current().pid();

    @AfterEach
    void killServer() throws Exception {
        run(List.of("tmux", "-L", socket, "kill-server"));
    }

    @Test
    void aPersonAtARealTerminalReachesTheVerdict(@TempDir Path tmp) throws Exception {
        boolean haveTmux;
        try {
            haveTmux = run(List.of("tmux", "-V")).exitValue() == 0;
        } catch (IOException e) {
            haveTmux = false;
        }
        if (!haveTmux) {
            if (System.getenv("KB_REQUIRE_TMUX") != null) {
                throw new AssertionError("tmux is required (KB_REQUIRE_TMUX is set) but not installed");
            }
            Assumptions.abort("tmux is not installed");
        }
        Path root = Path.of("..").toAbsolutePath().normalize();
        assertTrue(Files.isExecutable(root.resolve("kb")), "the launcher " + root.resolve("kb"));
        String command = "cd '" + root + "' && KB_HISTORY='" + tmp.resolve("history") + "' TERM=xterm-256color ./kb";
        assertEquals(0, run(List.of("tmux", "-L", socket, "new-session", "-d", "-s", "kb", "-x", "150", "-y", "50", command)).exitValue());

        waitFor("kb [symptom]>", 120);   // the first start may record the class-data archive
        keys("bad username or password", "Enter");
        waitFor("kb [client]>", 20);
        keys("Outlook for M", "Tab");
        waitFor("Outlook for Mac 2011", 20);
        keys("Enter");
        waitFor("Client: Outlook for Mac 2011", 20);
        waitFor("kb [handshake_without_sni]>", 20);
        long typed = System.nanoTime();
        keys("1", "Enter");
        waitFor("Verdict: NON_SNI_CLIENT_REJECTED (confirmed)", 20);
        System.out.printf("tmux: answer to re-evaluated verdict on screen in %d ms (polling every 20 ms)%n",
                (System.nanoTime() - typed) / 1_000_000);
        keys("fix NON_SNI_CLIENT_REJECTED", "Enter");
        waitFor("Fix for NON_SNI_CLIENT_REJECTED (confirmed)", 20);
        keys("exit", "Enter");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (run(List.of("tmux", "-L", socket, "has-session", "-t", "kb")).exitValue() == 0) {
            assertTrue(System.nanoTime() < deadline, "the shell did not leave on 'exit':\n" + screen());
            Thread.sleep(50);
        }
        List<String> history = Files.readAllLines(tmp.resolve("history"), StandardCharsets.UTF_8);
        assertTrue(history.stream().anyMatch(l -> l.contains("Outlook for Mac")), "history kept: " + history);
    }

    private void keys(String... keys) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("tmux", "-L", socket, "send-keys", "-t", "kb"));
        cmd.addAll(List.of(keys));
        assertEquals(0, run(cmd).exitValue());
    }

    private String screen() throws Exception {
        Process p = new ProcessBuilder("tmux", "-L", socket, "capture-pane", "-p", "-J", "-t", "kb", "-S", "-500")
                .redirectErrorStream(true).start();
        String s = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return s;
    }

    private void waitFor(String text, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            String s = screen();
            if (s.contains(text)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("'" + text + "' did not appear within " + seconds + " s; the screen:\n" + s);
            }
            Thread.sleep(20);
        }
    }

    private static Process run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        p.waitFor(30, TimeUnit.SECONDS);
        return p;
    }
}
