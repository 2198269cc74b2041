package org.exkb.engine.collect.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.exkb.engine.model.ChainState;
import org.junit.jupiter.api.Test;

/** Certificate summaries and strict chain checks on the chains that recorded servers presented. */
class ChainCheckTest {
    static List<CertificateInfo> presented(String folder, String file) throws Exception {
        TlsConversation t = TlsConversationTest.feed(TlsConversationTest.connections(TlsConversationTest.sample(folder, file)).get(0),
                Integer.MAX_VALUE);
        List<CertificateInfo> out = new ArrayList<>();
        for (byte[] der : t.certificates()) {
            out.add(CertificateInfo.parse(der));
        }
        return out;
    }

    static TrustAnchors privateRoot() throws Exception {
        return TrustAnchors.jdkDefault().plus(TrustAnchors.read(Path.of("../knowledge/causes/CERTIFICATE_EXPIRED/samples/capture-expired/trusted-root.pem")));
    }

    @Test
    void theLeafIsSummarisedWithItsExtensions() throws Exception {
        List<CertificateInfo> chain = presented("capture-missing-intermediate-near-miss-full-chain", "capture.pcap");
        CertificateInfo leaf = chain.get(0);
        CertificateInfo issuing = chain.get(1);
        assertEquals("CN=mail.example.test", leaf.subject());
        assertEquals("CN=Example Test Issuing CA 1", leaf.issuer());
        assertEquals(List.of("mail.example.test", "autodiscover.example.test"), leaf.dnsNames());
        assertEquals(List.of("http://pki.example.test/issuing.crt"), leaf.caIssuers());
        assertEquals("RSA", leaf.keyType());
        assertEquals(2048, leaf.keyBits());
        assertEquals("SHA256withRSA", leaf.signatureAlgorithm());
        assertFalse(leaf.ca());
        assertTrue(issuing.ca());
        assertEquals(40, leaf.subjectKeyId().length(), "a SHA-1 key identifier in hex");
        assertEquals(issuing.subjectKeyId(), leaf.authorityKeyId(), "the leaf names its issuer's key");
        assertTrue(leaf.signedBy(issuing.certificate()));
        assertFalse(leaf.signedBy(leaf.certificate()));
    }

    @Test
    void namesAreMatchedAsRfc6125Says() throws Exception {
        CertificateInfo leaf = presented("capture-missing-intermediate-near-miss-full-chain", "capture.pcap").get(0);
        assertTrue(leaf.covers("mail.example.test"));
        assertTrue(leaf.covers("MAIL.Example.Test."));
        assertTrue(leaf.covers("autodiscover.example.test"));
        assertFalse(leaf.covers("owa.example.test"));
        assertFalse(leaf.covers("example.test"));
        assertFalse(leaf.covers("127.0.0.1"), "an IP address only matches IP SANs");
    }

    @Test
    void fullChainToATrustedRootIsComplete() throws Exception {
        List<CertificateInfo> chain = presented("capture-missing-intermediate-near-miss-full-chain", "capture.pcap");
        ChainCheck c = ChainCheck.check(chain, privateRoot(), "mail.example.test", chain.get(0).notBefore().plusSeconds(60));
        assertEquals(ChainState.COMPLETE, c.chain());
        assertTrue(c.anchorTrusted());
        assertFalse(c.publicRoot(), "a root the user gave");
        assertEquals("CN=Example Test Root CA", c.anchoredAt());
        assertEquals("covered", c.name().word());
        assertEquals("in_date", c.dates().word());
    }

    @Test
    void theSameChainWithoutThePrivateRootEndsAtAnUnknownRootWhichIsNoFault() throws Exception {
        // leaf + intermediate (a CA certificate), the root not sent: RFC 5246 7.4.2 lets the server leave it out
        List<CertificateInfo> chain = presented("capture-missing-intermediate-near-miss-full-chain", "capture.pcap");
        ChainCheck c = ChainCheck.check(chain, TrustAnchors.only(List.of()), "mail.example.test", Instant.now());
        assertEquals(ChainState.ROOT_UNKNOWN, c.chain());
        assertEquals("CN=Example Test Root CA", c.missingIssuer());
        assertEquals("CN=Example Test Root CA", c.anchoredAt());
        assertFalse(c.anchorTrusted());
        assertTrue(c.verdict().startsWith("The chain is complete up to CN=Example Test Root CA"), c.verdict());
        assertTrue(c.verdict().contains("--trust FILE"), c.verdict());
    }

    @Test
    void aLeafAloneWhoseIssuerNobodyKnowsIsUndecidedUntilTheRootIsGiven() throws Exception {
        List<CertificateInfo> chain = presented("capture-missing-intermediate", "capture.pcapng");
        Instant at = chain.get(0).notBefore().plusSeconds(60);
        ChainCheck alone = ChainCheck.check(chain, TrustAnchors.only(List.of()), "mail.example.test", at);
        assertEquals(ChainState.UNDECIDED, alone.chain(), "a one-tier private CA looks the same");
        assertTrue(alone.verdict().contains("your organisation's root CA"), alone.verdict());
        assertEquals(ChainState.INCOMPLETE, ChainCheck.check(chain, privateRoot(), "mail.example.test", at).chain(),
                "the root given is not the leaf's issuer: the issuer is an intermediate");
    }

    @Test
    void anIntermediateGivenAsAFileProvesTheChainIncomplete() throws Exception {
        List<CertificateInfo> leafOnly = presented("capture-missing-intermediate", "capture.pcapng");
        List<CertificateInfo> full = presented("capture-missing-intermediate-near-miss-full-chain", "capture.pcap");
        TrustAnchors withIntermediate = TrustAnchors.only(List.of(full.get(1).certificate()));
        ChainCheck c = ChainCheck.check(leafOnly, withIntermediate, "mail.example.test", leafOnly.get(0).notBefore().plusSeconds(60));
        assertEquals(ChainState.INCOMPLETE, c.chain());
        assertTrue(c.verdict().contains("you gave a copy of it"), c.verdict());
    }

    @Test
    void aLeafIssuedStraightByAGivenRootIsComplete() throws Exception {
        // a one-tier CA: the leaf's issuer is the root itself; nothing is missing
        org.exkb.engine.testing.TestPki.Issued root = org.exkb.engine.testing.TestPki.issue("CN=One Tier Root", null, true, List.of(),
                Instant.now().minusSeconds(3600), Instant.now().plusSeconds(86400), null);
        org.exkb.engine.testing.TestPki.Issued leaf = org.exkb.engine.testing.TestPki.issue("CN=mail.example.test", root, false,
                List.of("mail.example.test"), Instant.now().minusSeconds(3600), Instant.now().plusSeconds(86400), null);
        List<CertificateInfo> sent = List.of(CertificateInfo.of(leaf.certificate()));
        assertEquals(ChainState.COMPLETE, ChainCheck.check(sent, TrustAnchors.only(List.of(root.certificate())), "mail.example.test",
                Instant.now()).chain());
        assertEquals(ChainState.UNDECIDED, ChainCheck.check(sent, TrustAnchors.only(List.of()), "mail.example.test", Instant.now()).chain());
    }

    @Test
    void leafOnlyIsIncompleteEvenWithTheRootTrustedAndNamesTheAiaLocation() throws Exception {
        List<CertificateInfo> chain = presented("capture-missing-intermediate", "capture.pcapng");
        assertEquals(1, chain.size());
        ChainCheck c = ChainCheck.check(chain, privateRoot(), "mail.example.test", chain.get(0).notBefore().plusSeconds(60));
        assertEquals(ChainState.INCOMPLETE, c.chain());
        assertEquals("CN=Example Test Issuing CA 1", c.missingIssuer());
        assertTrue(c.verdict().contains("http://pki.example.test/issuing.crt"), c.verdict());
    }

    @Test
    void datesAreJudgedAtTheGivenTime() throws Exception {
        List<CertificateInfo> chain = presented("capture-expired", "capture.pcapng");
        assertEquals(org.exkb.engine.model.CertificateDates.EXPIRED, ChainCheck.check(chain, privateRoot(), "mail.example.test", Instant.parse("2026-01-01T00:00:00Z")).dates());
        ChainCheck in2020 = ChainCheck.check(chain, privateRoot(), "mail.example.test", Instant.parse("2020-06-01T00:00:00Z"));
        assertEquals("not_yet_valid", in2020.dates().word(), "the leaf was in date in 2020, but the intermediate was issued when it was recorded");
        assertTrue(in2020.notes().stream().noneMatch(n -> n.contains("CN=expired.example.test")), in2020.notes().toString());
        assertEquals(org.exkb.engine.model.CertificateDates.NOT_YET_VALID, ChainCheck.check(chain, privateRoot(), "mail.example.test", Instant.parse("2019-06-01T00:00:00Z")).dates());
    }

    @Test
    void aNameTheCertificateDoesNotCarryIsNotCovered() throws Exception {
        List<CertificateInfo> chain = presented("capture-name-mismatch", "capture.pcap");
        ChainCheck c = ChainCheck.check(chain, privateRoot(), "mail.example.test", chain.get(0).notBefore().plusSeconds(60));
        assertEquals("not_covered", c.name().word());
        assertTrue(c.notes().stream().anyMatch(n -> n.contains("default.example.test, not mail.example.test")), c.notes().toString());
    }

    @Test
    void namesAreShownAsPeopleReadThemAndKeptExactForJson() throws Exception {
        // record-private-ca.sh: the issuing CA's subject carries an e-mail attribute and a comma in its OU
        List<CertificateInfo> chain = presented("capture-public-style-chain", "capture.pcap");
        String exact = chain.get(1).subject();
        assertTrue(exact.contains("1.2.840.113549.1.9.1=#16"), exact);
        assertTrue(exact.contains("OU=Certificate Operations\\, Server Authentication"), exact);
        String shown = CertificateInfo.display(exact);
        assertTrue(shown.startsWith("emailAddress=pki-operations@trust.example.test, CN=Example TLS RSA SHA256 Issuing CA 2026"), shown);
        assertTrue(shown.contains("OU=Certificate Operations, Server Authentication"), shown);
        assertEquals("CN=p < q, O=A+B", CertificateInfo.display("CN=p \\< q,O=A\\+B"));
        assertEquals("not a name", CertificateInfo.display("not a name"), "what cannot be parsed is shown as it is");
    }
}
