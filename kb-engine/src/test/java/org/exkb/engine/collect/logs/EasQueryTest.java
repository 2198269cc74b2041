package org.exkb.engine.collect.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EasQueryTest {
    /** A base64 query value as a client builds it ([MS-ASHTTP] 2.2.1.1.1.1). */
    static String encode(int version, int command, byte[] deviceId, byte[] policyKey, String type, String user) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(version);
        b.write(command);
        b.write(0x09); // locale 0x0409, little-endian
        b.write(0x04);
        b.write(deviceId.length);
        b.writeBytes(deviceId);
        b.write(policyKey.length);
        b.writeBytes(policyKey);
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        b.write(t.length);
        b.writeBytes(t);
        if (!user.isEmpty()) {
            b.write(7); // Options: SaveInSent, before the user
            b.write(1);
            b.write(1);
            byte[] u = user.getBytes(StandardCharsets.UTF_8);
            b.write(8);
            b.write(u.length);
            b.writeBytes(u);
        }
        return Base64.getEncoder().encodeToString(b.toByteArray());
    }

    static EasQuery.Decoded decode(String query) {
        byte[] q = query.getBytes(StandardCharsets.UTF_8);
        return EasQuery.base64(q, 0, q.length);
    }

    @Test
    void theSpecificationsExample() {
        // [MS-ASHTTP] 2.2.1.1.1.1: /Microsoft-Server-ActiveSync?jAAJBAp2MTQwRGV2aWNlAApTbWFydFBob25l
        assertEquals(new EasQuery.Decoded(140, "Sync", "v140Device", "SmartPhone", ""), decode("jAAJBAp2MTQwRGV2aWNlAApTbWFydFBob25l"));
        assertEquals("Sync", decode("jAAJBAp2MTQwRGV2aWNlAApTbWFydFBob25l&Log=V140_Sst1").command(), "Exchange's Log= after it");
    }

    @Test
    void commandUserPolicyKeyPaddingAndEscapes() {
        byte[] guid = {(byte) 0xB7, 0x1A, 0, 0x2F, 0x10, 0x20, 0x30, 0x40, 0x50, 0x60, 0x70, (byte) 0x80, (byte) 0x90, (byte) 0xA0, (byte) 0xB0, (byte) 0xC0};
        String q = encode(141, 18, guid, new byte[] {1, 2, 3, 4}, "WP", "contoso\\jürgen");
        EasQuery.Decoded d = decode(q + "&Log=V141_Hb900");
        assertEquals(new EasQuery.Decoded(141, "Ping", "B71A002F102030405060708090A0B0C0", "WP", "contoso\\jürgen"), d);
        assertEquals(d, decode(q.replace("+", "%2B").replace("/", "%2F").replace("=", "%3D")), "percent-encoded");
        String sendMail = encode(161, 1, "ABC123".getBytes(StandardCharsets.US_ASCII), new byte[0], "iPhone", "u1");
        assertEquals("SendMail", decode(sendMail).command());
        assertEquals("u1", decode(sendMail).user());
    }

    @Test
    void plainQueriesWordsAndDamagedTokensAreNotBase64Queries() {
        assertNull(decode("User=user1&DeviceId=ApplABCDEF123456&DeviceType=iPhone&Cmd=Sync&Log=V141"));
        assertNull(decode("Cmd=Ping&User=contoso%5Cuser&DeviceId=X"));
        assertNull(decode("Autodiscover1234"), "base64 letters, but not the layout");
        assertNull(decode("-"));
        String good = encode(141, 0, "DEVICE01".getBytes(StandardCharsets.US_ASCII), new byte[0], "WP", "u");
        assertNull(decode(good.substring(0, good.length() - 4)), "cut short");
        assertNull(decode(encode(141, 23, "D".getBytes(StandardCharsets.US_ASCII), new byte[0], "WP", "")), "no command 23");
        assertNull(decode(encode(25, 0, "D".getBytes(StandardCharsets.US_ASCII), new byte[0], "WP", "")), "protocol 2.5 never sends one");
        assertNull(decode(encode(141, 0, "D".getBytes(StandardCharsets.US_ASCII), new byte[] {1, 2}, "WP", "")), "a 2-byte policy key");
        assertNull(decode(good + "%G1"), "a broken escape");
        Random r = new Random(3);
        int taken = 0;
        for (int i = 0; i < 20_000; i++) { // random bytes almost never fit every length exactly
            byte[] junk = new byte[8 + r.nextInt(40)];
            r.nextBytes(junk);
            taken += EasQuery.parse(junk) != null ? 1 : 0;
        }
        assertEquals(true, taken < 20, "random byte strings taken for queries: " + taken);
    }
}
