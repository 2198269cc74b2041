package org.exkb.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.jline.reader.Candidate;
import org.junit.jupiter.api.Test;

class WordsTest {
    @Test
    void splitsAsAShellDoesButKeepsWindowsPaths() {
        assertEquals(List.of("add", "C:\\temp\\trace.pcapng"), Words.split("add C:\\temp\\trace.pcapng"));
        assertEquals(List.of("add", "/tmp/my trace.pcap", "x y"), Words.split("add /tmp/my\\ trace.pcap \"x y\""));
        assertEquals(List.of("say", "it's"), Words.split("say \"it's\""));
        assertEquals(List.of("a", "b"), Words.split("  a\t b  "));
        assertEquals(List.of(), Words.split("   "));
    }

    @Test
    void wrapsAtSpaces() {
        assertEquals("  one two\n  three", Words.wrap("one two three", 10, "  "));
    }

    @Test
    void phrasesCompleteWordByWord() {
        List<Candidate> out = new ArrayList<>();
        ShellCompleter.phrases(List.of("client", "outlook", "for", "M"), 1, 3,
                List.of("Outlook for Mac 2011", "Outlook 2010", "iPhone"), "devices", out);
        assertEquals(List.of("Mac 2011"), out.stream().map(Candidate::value).toList());
        out.clear();
        ShellCompleter.phrases(List.of("client", "i"), 1, 1, List.of("Outlook 2010", "iPhone"), "devices", out);
        assertEquals(List.of("Outlook 2010", "iPhone"), out.stream().map(Candidate::value).toList(),
                "the current word is matched by JLine; every phrase is offered");
    }
}
