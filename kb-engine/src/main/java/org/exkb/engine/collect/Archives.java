package org.exkb.engine.collect;

import java.io.FilterInputStream;
import java.io.InputStream;
import java.util.Locale;
import java.util.zip.ZipInputStream;

/**
 * Compression and archives, below every collector: how a gzip stream and a zip archive are
 * recognised, how zip entry names are decoded, and a view of a zip stream's entry that a reader may
 * close. Collectors use these; none of them asks another collector.
 */
public final class Archives {
    private Archives() {
    }

    /** Documents and packages that are zip files inside but not archives of evidence. */
    private static final java.util.regex.Pattern OFFICE = java.util.regex.Pattern.compile(
            ".*\\.(docx|docm|xlsx|xlsm|pptx|odt|ods|odp|jar|apk|msix|appx|nupkg|vsix|epub)");

    /** Whether these first bytes start a gzip stream. */
    public static boolean isGzip(byte[] head) {
        return head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b;
    }

    /** Whether a file with this name and these first bytes is a zip archive of evidence (not an Office document or a package). */
    public static boolean isZip(String name, byte[] head) {
        String lower = name.toLowerCase(Locale.ROOT);
        return head.length >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4 && !OFFICE.matcher(lower).matches()
                || lower.endsWith(".zip");
    }

    /** The current entry of a zip stream, for a reader that closes what it reads: the archive stays open for the next. */
    public static InputStream entryOf(ZipInputStream z) {
        return new FilterInputStream(z) {
            @Override
            public void close() {
                // the archive stays open for the next entry
            }
        };
    }

    /**
     * Entry names without the zip's UTF-8 flag are code page 437 by the format's definition (what older
     * Windows "Send to compressed folder" writes), which decodes any bytes; names that are in fact
     * UTF-8 (some tools write it without the flag) are given back as UTF-8.
     */
    public static final java.nio.charset.Charset ZIP_NAMES = java.nio.charset.Charset.forName("IBM437");

    public static String zipName(String name) {
        boolean ascii = true;
        for (int i = 0; i < name.length() && ascii; i++) {
            ascii = name.charAt(i) < 0x80;
        }
        if (ascii) {
            return name;
        }
        try {
            java.nio.ByteBuffer bytes = ZIP_NAMES.newEncoder().encode(java.nio.CharBuffer.wrap(name));
            return java.nio.charset.StandardCharsets.UTF_8.newDecoder().decode(bytes).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            return name; // not CP437 (flagged UTF-8, decoded already) or not UTF-8: as decoded
        }
    }
}
