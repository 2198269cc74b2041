package org.exkb.shell;

import java.util.ArrayList;
import java.util.List;

/** Splitting a command line into words (quotes and backslashes as a shell does) and wrapping text. */
final class Words {
    private Words() {
    }

    /**
     * Words of a line: whitespace separates, "double" and 'single' quotes group, and a backslash escapes
     * a following space, quote or backslash (elsewhere it is kept, so {@code C:\temp\x.pcap} survives).
     */
    static List<String> split(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else if (c == '\\' && quote == '"' && i + 1 < line.length() && (line.charAt(i + 1) == '"' || line.charAt(i + 1) == '\\')) {
                    w.append(line.charAt(++i));
                } else {
                    w.append(c);
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
                inWord = true;
            } else if (c == '\\' && i + 1 < line.length() && " \t\"'\\".indexOf(line.charAt(i + 1)) >= 0) {
                w.append(line.charAt(++i));
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(w.toString());
                    w.setLength(0);
                    inWord = false;
                }
            } else {
                w.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            words.add(w.toString());
        }
        return words;
    }

    private static final java.util.regex.Pattern ANSI = java.util.regex.Pattern.compile("\u001B\\[[0-9;]*m");

    /** How many columns a word takes on screen (colour sequences take none). */
    static int visible(String s) {
        return s.indexOf('\u001B') < 0 ? s.length() : ANSI.matcher(s).replaceAll("").length();
    }

    /**
     * Wraps text at spaces to lines of at most {@code width} columns, each starting with {@code indent};
     * a word longer than a line is left whole (a path, a command), never cut.
     */
    static String wrap(String text, int width, String indent) {
        StringBuilder out = new StringBuilder();
        StringBuilder line = new StringBuilder(indent);
        int columns = indent.length();
        for (String word : text.strip().split("\\s+")) {
            int w = visible(word);
            if (columns > indent.length() && columns + 1 + w > width) {
                out.append(line).append('\n');
                line.setLength(0);
                line.append(indent);
                columns = indent.length();
            }
            if (columns > indent.length()) {
                line.append(' ');
                columns++;
            }
            line.append(word);
            columns += w;
        }
        return out.append(line).toString();
    }

    /** A line wrapped at {@code width}: its own leading blanks start every line, two more after the first. */
    static String wrapLine(String line, int width) {
        if (visible(line) <= width) {
            return line;
        }
        int lead = 0;
        while (lead < line.length() && line.charAt(lead) == ' ') {
            lead++;
        }
        String first = wrap(line.substring(lead), width, " ".repeat(lead));
        int nl = first.indexOf('\n');
        if (nl < 0) {
            return first;
        }
        return first.substring(0, nl + 1) + wrap(first.substring(nl + 1), width, " ".repeat(lead + 2));
    }
}
