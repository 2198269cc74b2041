package org.exkb.engine.collect.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.exkb.engine.collect.CollectContext;
import org.exkb.engine.collect.CollectResult;
import org.exkb.engine.model.ConnectionRow;
import org.exkb.engine.model.HandshakeOutcome;
import org.exkb.engine.model.PresentedChain;
import org.exkb.engine.model.TlsHandshake;
import org.exkb.engine.model.Tri;
import org.exkb.engine.testing.Captures;
import org.exkb.engine.testing.TestKnowledge;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CaptureCollectorTest {
    private final CollectContext context = new CollectContext(TestKnowledge.small());

    @ParameterizedTest
    @ValueSource(strings = {"openssl-lo.pcap", "openssl-lo-nanosecond.pcap", "openssl-lo.pcapng", "openssl-any.pcapng"})
    void theRecordedHandshakesAreFollowedToTheEnd(String name) {
        Path p = Captures.fixture(name);
        CollectResult r = new CaptureCollector().collect(p, context);
        assertEquals(List.of(), r.problems());
        List<ConnectionRow> rows = r.connections();
        assertEquals(2, rows.size());
        assertEquals("mail.example.test", rows.get(0).sni());
        assertEquals("-", rows.get(1).sni());
        assertEquals(4, rows.get(0).firstFrame(), "the ClientHello is frame 4, as in Wireshark");
        for (ConnectionRow row : rows) {
            assertEquals("TLS 1.2", row.version());
            assertTrue(row.outcome().startsWith("established"), row.outcome());
            assertTrue(row.certificates().startsWith("1: mail.example.test"), row.certificates());
        }
        List<TlsHandshake> hs = r.facts().stream().filter(f -> f instanceof TlsHandshake).map(f -> (TlsHandshake) f).toList();
        assertEquals(2, hs.size());
        assertEquals(Tri.YES, hs.get(0).sni());
        assertEquals(Tri.NO, hs.get(1).sni());
        List<PresentedChain> chains = r.facts().stream().filter(f -> f instanceof PresentedChain).map(f -> (PresentedChain) f).toList();
        assertEquals("covered", chains.get(0).name().word());
        assertEquals("in_date", chains.get(0).dates().word());
        assertEquals(org.exkb.engine.model.ChainState.ROOT_UNKNOWN, chains.get(0).chain(), "a self-signed leaf is its own root, not known here");
    }

    @org.junit.jupiter.api.Test
    void aResumedHandshakeSaysItSentNoCertificatesAndClaimsNothingAboutThem() {
        CollectResult r = new CaptureCollector().collect(Captures.fixture("openssl-resumed.pcap"), context); // record-resumed.sh
        assertEquals(List.of(), r.problems());
        List<ConnectionRow> rows = r.connections();
        assertEquals(2, rows.size());
        assertTrue(rows.get(0).certificates().startsWith("1: mail.example.test"), "the full handshake: " + rows.get(0));
        assertEquals("none (resumed session)", rows.get(1).certificates());
        assertTrue(rows.get(1).outcome().startsWith("established"), rows.get(1).outcome());
        assertEquals(1, r.facts().stream().filter(f -> f instanceof PresentedChain).count(), "only the full handshake presented a chain");
    }

    @org.junit.jupiter.api.Test
    void aFullPskHandshakeIsNotAResumedSession() {
        CollectResult r = new CaptureCollector().collect(Captures.fixture("openssl-psk.pcap"), context); // record-renegotiation-psk.sh
        assertEquals(List.of(), r.problems());
        assertEquals("no certificate (PSK)", r.connections().get(0).certificates());
        assertTrue(r.connections().get(0).outcome().startsWith("established"), r.connections().get(0).outcome());
    }

    @org.junit.jupiter.api.Test
    void aDraftTls13HelloIsNamedAndAnUnreadableOneIsAProblemNotUnanswered() {
        CollectResult r = new CaptureCollector().collect(Captures.fixture("draft-hello.pcap"), context); // record-draft-hello.sh
        List<ConnectionRow> rows = r.connections();
        assertEquals("TLS 1.3 draft 18", rows.get(0).version(), rows.toString());
        assertEquals("encrypted (TLS 1.3)", rows.get(0).certificates());
        assertTrue(rows.get(1).outcome().startsWith("incomplete after ServerHello"), rows.get(1).outcome());
        assertEquals(1, r.problems().size(), r.problems().toString());
        assertEquals("frame 16", r.problems().get(0).locator());
        assertTrue(r.problems().get(0).detail().contains("offset 0x"), r.problems().get(0).detail());
        assertTrue(r.facts().stream().noneMatch(f -> f instanceof org.exkb.engine.model.TlsHandshake h
                && (h.outcome() == HandshakeOutcome.REJECTED || h.outcome() == HandshakeOutcome.UNANSWERED)),
                "a server that answered did not reject: " + r.facts());
    }

    @org.junit.jupiter.api.Test
    void everyRenegotiationIsRecordedWithWhoStartedItAndWhetherItWasTakenUp() {
        // record-renegotiation-psk.sh: s_server "R", s_client "R", twice each, on one TLS 1.2 connection
        CollectResult r = new CaptureCollector().collect(Captures.fixture("openssl-renegotiations.pcap"), context);
        assertEquals(List.of(), r.problems());
        ConnectionRow row = r.connections().get(0);
        List<org.exkb.engine.model.Renegotiation> n = row.renegotiations();
        assertEquals(List.of(13L, 22L, 30L, 36L), n.stream().map(org.exkb.engine.model.Renegotiation::frame).toList(), n.toString());
        assertEquals(List.of(false, true, false, true), n.stream().map(org.exkb.engine.model.Renegotiation::byClient).toList());
        assertEquals(List.of(15L, 24L, 32L, 38L), n.stream().map(org.exkb.engine.model.Renegotiation::takenUpFrame).toList());
        assertTrue(n.stream().allMatch(org.exkb.engine.model.Renegotiation::completed), n.toString());
        assertEquals(List.of(true, true, false, true), n.stream().map(org.exkb.engine.model.Renegotiation::dataAfter).toList(),
                "the third is followed at once by the fourth");
        assertTrue(row.outcome().contains("renegotiated 4 times"), row.outcome());
        List<org.exkb.engine.model.TlsRenegotiation> facts = r.facts().stream().filter(f -> f instanceof org.exkb.engine.model.TlsRenegotiation)
                .map(f -> (org.exkb.engine.model.TlsRenegotiation) f).toList();
        assertEquals(4, facts.size());
        assertTrue(facts.stream().allMatch(org.exkb.engine.model.TlsRenegotiation::takenUp));
        assertTrue(facts.get(1).evidence().get(0).detail().startsWith("client renegotiates in frame 22: server takes it up in frame 24"),
                facts.get(1).evidence().get(0).detail());
        StringBuilder text = new StringBuilder();
        org.exkb.engine.report.TextReport.connections(text, r.connections());
        assertTrue(text.toString().contains("Renegotiations in "), text.toString());
        assertTrue(text.toString().matches("(?s).*\\n\\s+36\\s+127\\.0\\.0\\.1:\\d+\\s+client\\s+38\\s+finished, data flows on.*"), text.toString());
    }

    @org.junit.jupiter.api.Test
    void tlsAfterSmtpImapAndPop3StartTlsIsFollowedAndARefusalIsSaid() {
        CollectResult r = new CaptureCollector().collect(Captures.fixture("openssl-starttls.pcap"), context); // record-starttls.sh
        assertEquals(List.of(), r.problems());
        List<ConnectionRow> rows = r.connections();
        assertEquals(4, rows.size(), rows.toString());
        assertEquals("TLS 1.2", rows.get(0).version());
        assertTrue(rows.get(0).certificates().startsWith("1: mail.example.test"), rows.get(0).toString());
        assertTrue(rows.get(0).outcome().startsWith("established (after SMTP STARTTLS in frame 9)"), rows.get(0).outcome());
        assertEquals("mail.example.test", rows.get(1).sni());
        assertTrue(rows.get(1).outcome().contains("(after IMAP STARTTLS in frame 27)"), rows.get(1).outcome());
        assertTrue(rows.get(2).outcome().contains("(after POP3 STLS in frame 42)"), rows.get(2).outcome());
        assertEquals("TLS 1.3", rows.get(2).version());
        assertTrue(rows.get(3).outcome().startsWith("not TLS: plaintext SMTP: the server refused STARTTLS ('454 "), rows.get(3).outcome());
        List<PresentedChain> chains = r.facts().stream().filter(f -> f instanceof PresentedChain).map(f -> (PresentedChain) f).toList();
        assertTrue(!chains.isEmpty() && chains.stream().noneMatch(c -> c.chain().equals("complete")),
                "the leaf came without its intermediate, through SMTP and IMAP alike: " + chains);
        assertTrue(r.examined().stream().anyMatch(e -> e.contains("run `kb probe 127.0.0.1:10110` to see them (it speaks STARTTLS")),
                "TLS 1.3 after STLS: the probe reaches those certificates too: " + r.examined());
    }
}
