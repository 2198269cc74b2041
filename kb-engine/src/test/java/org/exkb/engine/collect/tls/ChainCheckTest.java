package org.exkb.engine.collect.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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
        return TrustAnchors.jdkDefault().plus(TrustAnchors.read(Path.of("../evidence-samples/capture-expired/trusted-root.pem")));
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
        assertEquals("complete", c.chain());
        assertTrue(c.anchorTrusted());
        assertEquals("CN=Example Test Root CA", c.anchoredAt());
        assertEquals("covered", c.name());
        assertEquals("in_date", c.dates());
    }

    @Test
    void theSameChainWithoutThePrivateRootStopsShort() throws Exception {
        List<CertificateInfo> chain = presented("capture-missing-intermediate-near-miss-full-chain", "capture.pcap");
        ChainCheck c = ChainCheck.check(chain, TrustAnchors.only(List.of()), "mail.example.test", Instant.now());
        assertEquals("incomplete", c.chain());
        assertEquals("CN=Example Test Root CA", c.missingIssuer());
        assertTrue(c.notes().get(0).contains("--trust FILE"), c.notes().toString());
    }

    @Test
    void leafOnlyIsIncompleteEvenWithTheRootTrustedAndNamesTheAiaLocation() throws Exception {
        List<CertificateInfo> chain = presented("capture-missing-intermediate", "capture.pcapng");
        assertEquals(1, chain.size());
        ChainCheck c = ChainCheck.check(chain, privateRoot(), "mail.example.test", chain.get(0).notBefore().plusSeconds(60));
        assertEquals("incomplete", c.chain());
        assertEquals("CN=Example Test Issuing CA 1", c.missingIssuer());
        assertTrue(c.notes().get(0).contains("http://pki.example.test/issuing.crt"), c.notes().toString());
    }

    @Test
    void datesAreJudgedAtTheGivenTime() throws Exception {
        List<CertificateInfo> chain = presented("capture-expired", "capture.pcapng");
        assertEquals("expired", ChainCheck.check(chain, privateRoot(), "mail.example.test", Instant.parse("2026-01-01T00:00:00Z")).dates());
        ChainCheck in2020 = ChainCheck.check(chain, privateRoot(), "mail.example.test", Instant.parse("2020-06-01T00:00:00Z"));
        assertEquals("not_yet_valid", in2020.dates(), "the leaf was in date in 2020, but the intermediate was issued when it was recorded");
        assertTrue(in2020.notes().stream().noneMatch(n -> n.contains("CN=expired.example.test")), in2020.notes().toString());
        assertEquals("not_yet_valid", ChainCheck.check(chain, privateRoot(), "mail.example.test", Instant.parse("2019-06-01T00:00:00Z")).dates());
    }

    @Test
    void aNameTheCertificateDoesNotCarryIsNotCovered() throws Exception {
        List<CertificateInfo> chain = presented("capture-name-mismatch", "capture.pcap");
        ChainCheck c = ChainCheck.check(chain, privateRoot(), "mail.example.test", chain.get(0).notBefore().plusSeconds(60));
        assertEquals("not_covered", c.name());
        assertTrue(c.notes().stream().anyMatch(n -> n.contains("default.example.test, not mail.example.test")), c.notes().toString());
    }
}
