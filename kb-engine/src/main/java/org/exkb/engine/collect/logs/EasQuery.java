package org.exkb.engine.collect.logs;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * ActiveSync's base64-encoded query value ([MS-ASHTTP] 2.2.1.1.1.1), which some clients (Windows
 * Phone among them) send instead of {@code Cmd=...&User=...&DeviceId=...}: one base64 token that
 * packs the protocol version, a command code, the locale, the device id and type, the policy key
 * and command parameters (the user among them). IIS logs it as it came, and Exchange appends its
 * {@code &Log=...} after it.
 *
 * <p>A token is taken for one only if it decodes and every length in it fits exactly, so a plain
 * query (whose first token holds an {@code =}) or a word that happens to be base64 is never misread.
 */
final class EasQuery {
    private EasQuery() {
    }

    /** Command codes ([MS-ASHTTP] 2.2.1.1.1.1.2; 5 to 8 are the protocol 2.x commands). */
    static final String[] COMMANDS = {"Sync", "SendMail", "SmartForward", "SmartReply", "GetAttachment", "GetHierarchy",
        "CreateCollection", "DeleteCollection", "MoveCollection", "FolderSync", "FolderCreate", "FolderDelete", "FolderUpdate",
        "MoveItems", "GetItemEstimate", "MeetingResponse", "Search", "Settings", "Ping", "ItemOperations", "Provision",
        "ResolveRecipients", "ValidateCert"};
    private static final int USER_TAG = 8;
    /** The shortest token that can be one: version, command, locale (2), device id length and one byte, policy key length, device type length. */
    private static final int MIN_BYTES = 8;

    /** What a base64 query value says. {@code deviceId} is as sent when printable, else upper-case hex. */
    record Decoded(int version, String command, String deviceId, String deviceType, String user) {
    }

    /**
     * The base64 query value at the start of the query string {@code b[s, e)} (up to the first
     * {@code &}), or null when the query does not start with one.
     */
    static Decoded base64(byte[] b, int s, int e) {
        int t = s;
        boolean escaped = false;
        while (t < e && (base64Char(b[t]) || b[t] == '%')) {
            escaped |= b[t] == '%';
            t++;
        }
        int body = t;
        while (t < e && t - body < 2 && b[t] == '=') { // padding
            t++;
        }
        if (t < e && b[t] != '&' || body - s < 12) {
            return null; // a plain query ("User=..." stops at its '='), or too short to hold the fields
        }
        byte[] text = java.util.Arrays.copyOfRange(b, s, t);
        if (escaped && (text = unescape(text)) == null) {
            return null;
        }
        byte[] v;
        try {
            v = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException ex) {
            return null;
        }
        return parse(v);
    }

    /** The fields of the decoded bytes, or null unless they are exactly what the specification lays out. */
    static Decoded parse(byte[] v) {
        if (v.length < MIN_BYTES) {
            return null;
        }
        int version = v[0] & 0xff;
        int command = v[1] & 0xff;
        if (version < 120 || version > 169 || command >= COMMANDS.length) {
            return null;
        }
        int i = 4; // after version, command and the two bytes of the locale
        int idLength = v[i++] & 0xff;
        if (idLength == 0 || i + idLength > v.length) {
            return null;
        }
        String deviceId = text(v, i, idLength);
        i += idLength;
        if (i >= v.length) {
            return null;
        }
        int keyLength = v[i++] & 0xff;
        if (keyLength != 0 && keyLength != 4 || i + keyLength >= v.length) {
            return null;
        }
        i += keyLength;
        int typeLength = v[i++] & 0xff;
        if (i + typeLength > v.length) {
            return null;
        }
        String type = new String(v, i, typeLength, StandardCharsets.UTF_8);
        i += typeLength;
        String user = "";
        while (i < v.length) { // command parameters: tag, length, value
            if (i + 2 > v.length) {
                return null;
            }
            int tag = v[i] & 0xff;
            int length = v[i + 1] & 0xff;
            i += 2;
            if (tag > USER_TAG || i + length > v.length) {
                return null;
            }
            if (tag == USER_TAG && user.isEmpty()) {
                user = new String(v, i, length, StandardCharsets.UTF_8);
            }
            i += length;
        }
        return new Decoded(version, COMMANDS[command], deviceId, type, user);
    }

    private static String text(byte[] v, int at, int n) {
        boolean printable = true;
        for (int k = at; k < at + n; k++) {
            printable &= v[k] > ' ' && v[k] < 0x7f;
        }
        if (printable) {
            return new String(v, at, n, StandardCharsets.US_ASCII);
        }
        StringBuilder hex = new StringBuilder(2 * n);
        for (int k = at; k < at + n; k++) {
            hex.append(Character.toUpperCase(Character.forDigit(v[k] >> 4 & 0xf, 16)))
                    .append(Character.toUpperCase(Character.forDigit(v[k] & 0xf, 16)));
        }
        return hex.toString();
    }

    private static boolean base64Char(byte c) {
        return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/';
    }

    /** {@code %2B} and the like back to bytes; null when an escape is broken. */
    private static byte[] unescape(byte[] text) {
        byte[] out = new byte[text.length];
        int n = 0;
        for (int k = 0; k < text.length; k++) {
            if (text[k] != '%') {
                out[n++] = text[k];
                continue;
            }
            if (k + 2 >= text.length) {
                return null;
            }
            int hi = Character.digit(text[k + 1], 16);
            int lo = Character.digit(text[k + 2], 16);
            if (hi < 0 || lo < 0) {
                return null;
            }
            out[n++] = (byte) (hi << 4 | lo);
            k += 2;
        }
        return java.util.Arrays.copyOf(out, n);
    }
}
