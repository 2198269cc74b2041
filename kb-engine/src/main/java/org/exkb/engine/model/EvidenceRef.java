package org.exkb.engine.model;

import java.util.Objects;

/**
 * Where a fact came from: the evidence source (a file path, {@code live:host:port}, {@code symptom},
 * {@code answer}), the place inside it (frame, line, handshake, option) and a short excerpt.
 * Every raw fact carries one, so every finding can show its proof.
 */
public record EvidenceRef(String source, String locator, String detail) implements java.io.Serializable {
    /**
     * Longest excerpt kept: evidence is proof for a reader, not a copy of the input, but the sentence
     * that explains a verdict is never cut (reports shorten it for display, see {@link #TEXT_DETAIL}).
     */
    public static final int MAX_DETAIL = 4000;
    /** Longest excerpt a text or Markdown report shows; details put their explanation first, so what is cut is the tail. */
    public static final int TEXT_DETAIL = 600;
    /** The source prefix of evidence the live probe made: {@code live:host:port}. */
    public static final String LIVE = "live:";

    public EvidenceRef {
        Objects.requireNonNull(source, "source");
        if (source.isBlank()) {
            throw new IllegalArgumentException("evidence source must not be blank");
        }
        locator = locator == null ? "" : locator;
        detail = detail == null ? "" : clip(detail);
    }

    /** Made by the live probe, not read from a file the user gave. */
    public boolean live() {
        return source.startsWith(LIVE);
    }

    /** The source of a live probe of {@code target} (host:port). */
    public static String live(String target) {
        return LIVE + target;
    }

    /**
     * A stable reading order: by source, then by place with numbers compared as numbers (frame 4
     * before frame 27, line 9 before line 10), then by excerpt. Rules collect facts in whatever order
     * the session holds them; output sorted by this is the same from run to run.
     */
    public static final java.util.Comparator<EvidenceRef> ORDER = java.util.Comparator
            .comparing(EvidenceRef::source, EvidenceRef::natural)
            .thenComparing(EvidenceRef::locator, EvidenceRef::natural)
            .thenComparing(EvidenceRef::detail);

    /** Compares text with runs of digits taken as numbers. */
    static int natural(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            char x = a.charAt(i);
            char y = b.charAt(j);
            if (Character.isDigit(x) && Character.isDigit(y)) {
                int si = i;
                int sj = j;
                while (si < a.length() && a.charAt(si) == '0') {
                    si++;
                }
                while (sj < b.length() && b.charAt(sj) == '0') {
                    sj++;
                }
                int ei = si;
                int ej = sj;
                while (ei < a.length() && Character.isDigit(a.charAt(ei))) {
                    ei++;
                }
                while (ej < b.length() && Character.isDigit(b.charAt(ej))) {
                    ej++;
                }
                if (ei - si != ej - sj) {
                    return Integer.compare(ei - si, ej - sj);
                }
                int c = a.substring(si, ei).compareTo(b.substring(sj, ej));
                if (c != 0) {
                    return c;
                }
                i = ei;
                j = ej;
            } else {
                if (x != y) {
                    return Character.compare(x, y);
                }
                i++;
                j++;
            }
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    public static EvidenceRef of(String source, String locator, String detail) {
        return new EvidenceRef(source, locator, detail);
    }

    private static String clip(String s) {
        String oneLine = s.replaceAll("[\\r\\n\\t]+", " ").strip();
        return oneLine.length() <= MAX_DETAIL ? oneLine : oneLine.substring(0, MAX_DETAIL - 1) + "…";
    }

    /**
     * The excerpt as a report shows it: about {@link #TEXT_DETAIL} characters, cut at a word, but never
     * inside its first sentence (which explains the verdict), so what is cut is the tail.
     */
    public String shortDetail() {
        if (detail.length() <= TEXT_DETAIL) {
            return detail;
        }
        int sentence = detail.indexOf(". ");
        if (sentence >= TEXT_DETAIL - 1 && sentence < MAX_DETAIL / 2) {
            return detail.substring(0, sentence + 1) + " …";
        }
        int cut = detail.lastIndexOf(' ', TEXT_DETAIL - 1);
        return detail.substring(0, cut > TEXT_DETAIL / 2 ? cut : TEXT_DETAIL - 1) + " …";
    }

    /** Source, place and the shortened excerpt, for reports. */
    public String display() {
        return line(shortDetail());
    }

    @Override
    public String toString() {
        return line(detail);
    }

    private String line(String excerpt) {
        StringBuilder b = new StringBuilder(source);
        if (!locator.isEmpty()) {
            b.append(" ").append(locator);
        }
        if (!excerpt.isEmpty()) {
            b.append(": ").append(excerpt);
        }
        return b.toString();
    }
}
