package org.exkb.engine.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.exkb.engine.model.HandshakeOutcome;
import java.util.List;
import java.util.Map;
import org.exkb.engine.collect.tls.TrustAnchors;
import org.exkb.engine.knowledge.DeviceDef;
import org.exkb.engine.model.HttpExchange;
import org.exkb.engine.model.PresentedChain;
import org.exkb.engine.model.TlsHandshake;
import org.exkb.engine.model.Tri;
import org.exkb.engine.testing.TestPki;
import org.exkb.engine.testing.TestTlsServer;
import org.exkb.engine.testing.TestTlsServer.NoSni;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The probe against real JSSE servers on 127.0.0.1, started and stopped by each test. */
class ProbeTest {
    static final String NAME = "mail.example.test";
    static TestPki pki;
    static TestPki.Issued leaf;
    static final DeviceDef NO_SNI = new DeviceDef("no-sni", "No-SNI phone", List.of(), "", "", false, null, null, null, null, null, "");
    static final DeviceDef STRICT = new DeviceDef("strict", "Strict phone", List.of(), "", "", true, false, null, null, null, null, "");
    static final DeviceDef LENIENT = new DeviceDef("lenient", "Browser", List.of(), "", "", true, true, null, null, null, null, "");

    @BeforeAll
    static void pki() {
        pki = new TestPki("Probe Test");
        leaf = pki.leaf(NAME, "autodiscover.example.test");
    }

    static Probe.Options options() {
        return new Probe.Options(NAME, false, 3000, TrustAnchors.only(List.of(pki.root.certificate())),
                List.of(NO_SNI, STRICT, LENIENT), true);
    }

    static ProbeReport probe(TestTlsServer s) {
        return Probe.probe(ProbeTarget.parse(s.target()), options());
    }

    static <T> List<T> facts(ProbeReport r, Class<T> type) {
        return r.collected().facts().stream().filter(type::isInstance).map(type::cast).toList();
    }

    static String verdict(ProbeReport r, String device) {
        return r.devices().stream().filter(d -> d.device().equals(device)).findFirst().orElseThrow().verdict();
    }

    @Test
    void healthyServerPresentsTheWholeChainAndEveryDeviceWorks() throws Exception {
        try (TestTlsServer s = TestTlsServer.with().chain(leaf.key(), leaf.certificate(), pki.intermediate.certificate()).start()) {
            ProbeReport r = probe(s);
            assertEquals("", r.error());
            assertEquals("answered", r.withSni().result().word());
            assertEquals("answered", r.withoutSni().result().word());
            assertEquals("TLS 1.2", r.withSni().version());
            assertEquals("complete", r.chain().strict().word());
            assertTrue(r.chain().rootTrusted());
            assertEquals("covered", r.chain().name().word());
            assertEquals("in_date", r.chain().dates().word());
            assertEquals(2, r.chain().certificates().size());
            assertNull(r.chainWithoutSni(), "same certificate without SNI");
            assertEquals("accepted", r.versions().get("TLS 1.2"));
            assertEquals("accepted", r.versions().get("TLS 1.3"));
            assertTrue(r.versions().get("TLS 1.0").startsWith("refused"), r.versions().toString());
            assertEquals("yes", r.secureRenegotiation());
            assertEquals("not asked", r.clientCertificate());
            assertEquals(3, r.http().size());
            ProbeReport.Http eas = r.http().get(0);
            assertEquals("OPTIONS /Microsoft-Server-ActiveSync", eas.request());
            assertEquals(401, eas.status());
            assertEquals(List.of("Negotiate", "NTLM", "Basic"), eas.authSchemes());
            assertEquals("Microsoft-IIS/7.5", eas.headers().get("server"));
            for (ProbeReport.DeviceVerdict d : r.devices()) {
                assertEquals("works", d.verdict(), d.toString());
            }
            List<TlsHandshake> hs = facts(r, TlsHandshake.class);
            assertEquals(2, hs.size());
            assertTrue(hs.stream().allMatch(h -> h.outcome() == HandshakeOutcome.ESTABLISHED));
            assertTrue(hs.stream().anyMatch(h -> h.sni() == Tri.NO));
            assertEquals("live:" + s.target(), hs.get(0).evidence().get(0).source());
            List<PresentedChain> chains = facts(r, PresentedChain.class);
            assertEquals(1, chains.size());
            assertEquals(org.exkb.engine.model.ChainState.COMPLETE, chains.get(0).chain());
            assertEquals(3, facts(r, HttpExchange.class).size());
        }
    }

    @Test
    void leafOnlyServerIsIncompleteStrictlyButABrowserFetchesTheIssuer() throws Exception {
        try (TestTlsServer s = TestTlsServer.with().chain(leaf.key(), leaf.certificate()).start()) {
            ProbeReport r = probe(s);
            assertEquals("incomplete", r.chain().strict().word(), r.chain().verdict());
            assertEquals("CN=Probe Test Issuing CA", r.chain().missingIssuer());
            assertTrue(r.chain().browser().contains("http://pki.example.test/issuing.crt"), r.chain().browser());
            assertEquals("fails", verdict(r, "strict"));
            assertEquals("works", verdict(r, "lenient"));
            assertEquals(org.exkb.engine.model.ChainState.INCOMPLETE, facts(r, PresentedChain.class).get(0).chain());
        }
    }

    @Test
    void resetWithoutSniFailsTheDeviceWithoutSniOnly() throws Exception {
        try (TestTlsServer s = TestTlsServer.with().chain(leaf.key(), leaf.certificate(), pki.intermediate.certificate())
                .noSni(NoSni.RESET).start()) {
            ProbeReport r = probe(s);
            assertEquals("answered", r.withSni().result().word());
            assertEquals("reset", r.withoutSni().result().word());
            assertEquals("fails", verdict(r, "no-sni"));
            assertEquals("works", verdict(r, "strict"));
            TlsHandshake no = facts(r, TlsHandshake.class).stream().filter(h -> h.sni() == Tri.NO).findFirst().orElseThrow();
            assertEquals(HandshakeOutcome.REJECTED, no.outcome());
            assertEquals("reset", no.endedBy());
            assertTrue(no.reactionMillis() < 3000);
        }
    }

    @Test
    void unrecognizedNameAlertWithoutSni() throws Exception {
        try (TestTlsServer s = TestTlsServer.with().chain(leaf.key(), leaf.certificate(), pki.intermediate.certificate())
                .noSni(NoSni.ALERT).start()) {
            ProbeReport r = probe(s);
            assertEquals("alert", r.withoutSni().result().word());
            TlsHandshake no = facts(r, TlsHandshake.class).stream().filter(h -> h.sni() == Tri.NO).findFirst().orElseThrow();
            assertEquals("unrecognized_name", no.alert());
            assertEquals("fails", verdict(r, "no-sni"));
        }
    }

    @Test
    void defaultCertificateWithoutSniIsShownAndJudged() throws Exception {
        TestPki.Issued other = pki.leaf("default.example.test");
        try (TestTlsServer s = TestTlsServer.with().chain(leaf.key(), leaf.certificate(), pki.intermediate.certificate())
                .noSniChain(other.key(), other.certificate(), pki.intermediate.certificate()).start()) {
            ProbeReport r = probe(s);
            assertNotNull(r.chainWithoutSni());
            assertEquals("not_covered", r.chainWithoutSni().name().word());
            assertEquals("covered", r.chain().name().word());
            assertEquals("fails", verdict(r, "no-sni"));
            assertEquals("works", verdict(r, "strict"));
            List<TlsHandshake> hs = facts(r, TlsHandshake.class);
            assertEquals(2, hs.stream().map(TlsHandshake::leafCertificate).distinct().count());
            // the no-SNI chain is not judged against a name the hello did not carry
            assertTrue(facts(r, PresentedChain.class).stream().noneMatch(c -> c.name().word().equals("not_covered")));
        }
    }

    @Test
    void wrongNameAndExpiredCertificates() throws Exception {
        TestPki.Issued wrong = pki.leaf("www.example.test");
        try (TestTlsServer s = TestTlsServer.with().chain(wrong.key(), wrong.certificate(), pki.intermediate.certificate()).start()) {
            ProbeReport r = probe(s);
            assertEquals("not_covered", r.chain().name().word());
            assertTrue(r.devices().stream().allMatch(d -> d.verdict().equals("fails")), r.devices().toString());
        }
        TestPki.Issued old = pki.expiredLeaf(NAME);
        try (TestTlsServer s = TestTlsServer.with().chain(old.key(), old.certificate(), pki.intermediate.certificate()).start()) {
            ProbeReport r = probe(s);
            assertEquals("expired", r.chain().dates().word());
            assertEquals("expired", facts(r, PresentedChain.class).get(0).dates().word());
            assertTrue(r.devices().stream().allMatch(d -> d.verdict().equals("fails")));
        }
    }

    @Test
    void clientCertificateAskedInTheHandshakeWithTheAcceptedCas() throws Exception {
        try (TestTlsServer s = TestTlsServer.with().chain(leaf.key(), leaf.certificate(), pki.intermediate.certificate())
                .clientAuth(TestTlsServer.ClientAuth.WANT, pki.root.certificate()).start()) {
            ProbeReport r = probe(s);
            assertEquals("in the handshake", r.clientCertificate());
            assertEquals(ProbeReport.ClientCertificateAsk.IN_HANDSHAKE, r.clientCertificateAsked(), "the same as a field the device verdicts read");
            assertEquals(List.of("CN=Probe Test Root"), r.acceptedIssuers());
            assertTrue(facts(r, TlsHandshake.class).stream().allMatch(TlsHandshake::clientCertificateRequested));
            HttpExchange auto = facts(r, HttpExchange.class).stream().filter(h -> h.under("/autodiscover")).findFirst().orElseThrow();
            assertEquals("handshake", auto.clientCertificate());
        }
    }

    @Test
    void clientCertificateAskedByRenegotiationOnActiveSyncOnly() throws Exception {
        try (TestTlsServer s = TestTlsServer.with().chain(leaf.key(), leaf.certificate(), pki.intermediate.certificate())
                .renegotiateOn("/Microsoft-Server-ActiveSync", pki.root.certificate()).start()) {
            ProbeReport r = probe(s);
            assertEquals("by renegotiation on /Microsoft-Server-ActiveSync", r.clientCertificate());
            Map<String, String> asked = new java.util.HashMap<>();
            facts(r, HttpExchange.class).forEach(h -> asked.put(h.path(), h.clientCertificate()));
            assertEquals("renegotiation", asked.get("/Microsoft-Server-ActiveSync"));
            assertEquals("", asked.get("/autodiscover/autodiscover.xml"));
            assertFalse(facts(r, TlsHandshake.class).stream().anyMatch(TlsHandshake::clientCertificateRequested));
            assertEquals("TLS 1.2", r.withSni().version());
        }
    }

    @Test
    void tls13OnlyServerGetsItsChainFromTheFullHandshake() throws Exception {
        TestPki.Issued other = pki.leaf("default.example.test");
        try (TestTlsServer s = TestTlsServer.with().chain(leaf.key(), leaf.certificate(), pki.intermediate.certificate())
                .noSniChain(other.key(), other.certificate(), pki.intermediate.certificate()).protocols("TLSv1.3").start()) {
            ProbeReport r = probe(s);
            assertEquals("accepted", r.versions().get("TLS 1.3"));
            assertTrue(r.versions().get("TLS 1.2").startsWith("refused"), r.versions().toString());
            assertEquals("TLS 1.3", r.withSni().version());
            assertEquals("complete", r.chain().strict().word());
            assertEquals(2, r.chain().certificates().size());
            assertEquals("not_covered", r.chainWithoutSni().name().word(), "the default certificate, through a JSSE handshake without SNI");
            assertTrue(r.notes().stream().anyMatch(n -> n.startsWith("TLS 1.3 only")), r.notes().toString());
            assertTrue(r.secureRenegotiation().startsWith("not applicable"));
        }
    }

    @Test
    void targetsAreParsed() {
        assertEquals(new ProbeTarget("mail.example.test", 443), ProbeTarget.parse("mail.example.test"));
        assertEquals(new ProbeTarget("10.0.0.5", 8443), ProbeTarget.parse("10.0.0.5:8443"));
        assertEquals(new ProbeTarget("::1", 443), ProbeTarget.parse("::1"));
        assertEquals(new ProbeTarget("::1", 8443), ProbeTarget.parse("[::1]:8443"));
        assertEquals(new ProbeTarget("mail.example.test", 443), ProbeTarget.parse("https://mail.example.test/owa"));
        assertTrue(ProbeTarget.parse("10.0.0.5").literal());
        assertFalse(ProbeTarget.parse("mail.example.test").literal());
        for (String bad : new String[] {"", "host:0", "host:70000", "host:abc", "[::1", "a b"}) {
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> ProbeTarget.parse(bad), bad);
            assertFalse(e.getMessage().isBlank());
        }
    }
}
