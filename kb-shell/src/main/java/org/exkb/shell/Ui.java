package org.exkb.shell;

import java.io.PrintWriter;
import org.exkb.engine.model.Level;
import org.jline.terminal.Terminal;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStyle;
import org.jline.utils.InfoCmp;

/**
 * Where the shell writes: a terminal's writer (with colour when the terminal has it, and not when it
 * is dumb, when {@code NO_COLOR} is set or {@code --no-color} is given) or any writer (plain text).
 */
public final class Ui {
    private final PrintWriter out;
    private final Terminal terminal;
    private final boolean colour;
    private boolean progressShown;

    Ui(PrintWriter out, Terminal terminal, boolean colourWanted) {
        this.out = out;
        this.terminal = terminal;
        this.colour = colourWanted && terminal != null && System.getenv("NO_COLOR") == null
                && !terminal.getType().startsWith(Terminal.TYPE_DUMB)
                && terminal.getNumericCapability(InfoCmp.Capability.max_colors) != null;
    }

    static Ui plain(PrintWriter out) {
        return new Ui(out, null, false);
    }

    PrintWriter writer() {
        return out;
    }

    Terminal terminal() {
        return terminal;
    }

    boolean colour() {
        return colour;
    }

    void println(String s) {
        clearProgress();
        out.println(s);
        out.flush();
    }

    /** Columns to wrap prose at: the terminal's width (less one, so no line ends on the edge), or 100 where it is unknown. */
    int width() {
        int w = terminal == null ? 0 : terminal.getWidth();
        return w > 20 ? w - 1 : 100;
    }

    /** Whether TAB completion works here: a terminal that is not dumb. */
    boolean completes() {
        return terminal != null && !terminal.getType().startsWith(Terminal.TYPE_DUMB);
    }

    /** Prose: on a terminal, each line wrapped at word boundaries to its width, never cut inside a word. */
    void say(String s) {
        if (terminal == null) {
            println(s); // a script's or a pipe's output: lines as they are, to be searched and pasted
            return;
        }
        StringBuilder b = new StringBuilder();
        for (String line : s.split("\n", -1)) {
            b.append(b.length() == 0 ? "" : "\n").append(Words.wrapLine(line, width()));
        }
        println(b.toString());
    }

    void println() {
        println("");
    }

    String style(String s, AttributedStyle style) {
        return colour ? new AttributedString(s, style).toAnsi(terminal) : s;
    }

    String bold(String s) {
        return style(s, AttributedStyle.BOLD);
    }

    String faint(String s) {
        return style(s, AttributedStyle.DEFAULT.faint());
    }

    String ask(String s) {
        return style(s, AttributedStyle.BOLD.foreground(AttributedStyle.CYAN));
    }

    String error(String s) {
        return style(s, AttributedStyle.DEFAULT.foreground(AttributedStyle.RED));
    }

    String good(String s) {
        return style(s, AttributedStyle.DEFAULT.foreground(AttributedStyle.GREEN));
    }

    String level(Level l) {
        String word = l.json().replace('_', ' ');
        return switch (l) {
            case CONFIRMED -> style(word, AttributedStyle.BOLD.foreground(AttributedStyle.RED));
            case LIKELY -> style(word, AttributedStyle.BOLD.foreground(AttributedStyle.YELLOW));
            case POSSIBLE -> style(word, AttributedStyle.DEFAULT.foreground(AttributedStyle.YELLOW));
            case RULED_OUT -> style(word, AttributedStyle.DEFAULT.faint());
        };
    }

    /**
     * A progress line for a long step. On a capable terminal it is rewritten in place; on a dumb
     * terminal or a plain writer only the first call prints, so transcripts stay readable.
     */
    void progress(String s) {
        if (colour) {
            out.print("\r" + faint(s) + "\033[K");
            out.flush();
            progressShown = true;
        } else if (!progressShown) {
            out.println(s);
            out.flush();
            progressShown = true;
        }
    }

    void clearProgress() {
        if (progressShown && colour) {
            out.print("\r\033[K");
        }
        progressShown = false;
    }
}
