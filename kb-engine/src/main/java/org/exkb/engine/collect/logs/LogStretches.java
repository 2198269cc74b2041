package org.exkb.engine.collect.logs;

import java.io.IOException;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import org.exkb.engine.collect.CollectResult;

/**
 * A large IIS W3C log read in stretches on different machines, by the reader that reads it in
 * stretches on different threads ({@link WebLogReader}): {@link #plan} cuts the file at line ends
 * and where its days begin (on the machine that plans the work), {@link #read} reads one stretch wherever it is sent (the
 * result travels: it is Serializable), {@link #join} joins the stretches in file order where the
 * results meet. A stretch after the first is read on a guess (the {@code #Fields} header at the file's
 * start is in effect, no NUL padding under way); where the stretch before it proves the guess wrong,
 * {@code join} reads it again from the right state, so the result is always that of reading the file
 * from start to end, which is what {@code kb diagnose} gives for it.
 *
 * <p>Only a plain UTF-8 W3C log is cut; every other file (httperr logs, which are small and rolled
 * over every megabyte; compressed or UTF-16 logs; event logs) is read whole, as a file.
 */
public final class LogStretches {
    private LogStretches() {
    }

    /** A file read at positions: a local file's channel, or a file on a cluster's storage (Hadoop's positioned reads). */
    public interface Positioned {
        long size() throws IOException;

        /** Up to {@code len} bytes at {@code at} into {@code b[off...]}; how many, or -1 at the end of the file. */
        int read(long at, byte[] b, int off, int len) throws IOException;
    }

    /**
     * How a file is cut: its name as reported, the server its folder names, the {@code #Fields}
     * names at its start, the stretches' bounds ({@code bounds.get(k)} to {@code bounds.get(k + 1)})
     * and which of them begin a day.
     */
    public record Plan(String source, String server, List<String> fields, List<Long> bounds, List<Long> dayStarts) implements Serializable {
        public int stretches() {
            return bounds.size() - 1;
        }
    }

    /** One stretch as read, on its way to {@link #join}. */
    public static final class Stretch implements Serializable {
        private static final long serialVersionUID = 1L;
        final int index;
        final WebLogPart part;

        Stretch(int index, WebLogPart part) {
            this.index = index;
            this.part = part;
        }

        public int index() {
            return index;
        }
    }

    /** A local file's channel read at positions (the caller closes it). */
    public static Positioned of(FileChannel ch) {
        return new Positioned() {
            @Override
            public long size() throws IOException {
                return ch.size();
            }

            @Override
            public int read(long at, byte[] b, int off, int len) throws IOException {
                return ch.read(ByteBuffer.wrap(b, off, len), at);
            }
        };
    }

    /** Fills {@code b} from {@code at} as far as the file goes; how many bytes that was. */
    static int readFully(Positioned file, long at, byte[] b) throws IOException {
        return readFully(file, at, b, b.length);
    }

    /** Fills the first {@code len} bytes of {@code b} from {@code at} as far as the file goes; how many bytes that was. */
    static int readFully(Positioned file, long at, byte[] b, int len) throws IOException {
        int n = 0;
        while (n < len) {
            int got = file.read(at + n, b, n, len - n);
            if (got < 0) {
                break;
            }
            n += got;
        }
        return n;
    }

    /**
     * How to cut a file into stretches of about {@code stretchBytes} (at most {@code maxStretches}),
     * or null when it is read whole: it is not a plain UTF-8 W3C log with a {@code #Fields} header at
     * its start, or smaller than two stretches. {@code source} is the file's name as reported (a
     * path or a URI: its folders name the server, as for {@code kb diagnose}).
     */
    public static Plan plan(String source, Positioned file, long stretchBytes, int maxStretches) throws IOException {
        String lower = source.toLowerCase(Locale.ROOT);
        long size = file.size();
        if (lower.endsWith(".gz") || lower.endsWith(".zip") || stretchBytes < 1 || size < 2 * stretchBytes || maxStretches < 2) {
            return null;
        }
        byte[] head = new byte[512];
        head = java.util.Arrays.copyOf(head, readFully(file, 0, head));
        if (LogCollector.kind(lower, head) != LogCollector.Kind.W3C || !LogText.charset(head).equals(StandardCharsets.UTF_8)) {
            return null;
        }
        WebLogPart.Fields fields = WebLogReader.firstFields(file, size);
        if (fields == null) {
            return null;
        }
        // cut where the reader on one machine cuts too: a part per day, each day's aggregates a partial of their own
        List<Long> days = WebLogReader.dayCuts(file, size);
        List<Long> bounds = WebLogReader.withCuts(WebLogReader.bounds(file, size, (int) Math.min(maxStretches, size / stretchBytes)), days);
        if (bounds.size() < 3) {
            return null;
        }
        return new Plan(source, LogCollector.serverOf(source), List.copyOf(fields.names), List.copyOf(bounds), List.copyOf(days));
    }

    private static WebLogReader reader(Plan plan, CollectResult out) {
        return new WebLogReader(plan.source(), plan.server(), false, out).charset(StandardCharsets.UTF_8.displayName());
    }

    /** Reads stretch {@code k} of the planned file: the first from the file's start, the others on the guess. */
    public static Stretch read(Plan plan, int k, Positioned file) throws IOException {
        WebLogPart.Fields guess = k == 0 ? null : new WebLogPart.Fields(plan.fields());
        WebLogPart p = reader(plan, new CollectResult()).stretch(file, plan.bounds().get(k), plan.bounds().get(k + 1), guess, false);
        p.settle();
        return new Stretch(k, p);
    }

    /**
     * The file's facts, problems and summary from its stretches, given in any order: a stretch whose
     * guess was wrong, or that is missing (its reading failed where it was sent), is read here from
     * {@code file}.
     */
    public static CollectResult join(Plan plan, List<Stretch> stretches, Positioned file) throws IOException {
        Stretch[] byIndex = new Stretch[plan.stretches()];
        for (Stretch s : stretches) {
            byIndex[s.index] = s;
        }
        Joiner j = new Joiner(plan, file);
        for (Stretch s : byIndex) {
            j.add(s);
        }
        return j.done();
    }

    /**
     * A file's stretches joined one after the other as they arrive, each dropped once added (the
     * memory of a file of hundreds of stretches is that of one): {@link #add} them in file order,
     * null for one that did not come back, then {@link #done}.
     */
    public static final class Joiner {
        private final Plan plan;
        private final Positioned file;
        private final CollectResult out = new CollectResult();
        private final WebLogReader.Join join;
        private int next;

        public Joiner(Plan plan, Positioned file) {
            this.plan = plan;
            this.file = file;
            this.join = reader(plan, out).join();
        }

        /** The next stretch in file order, or null when it did not come back (it is read here). */
        public void add(Stretch s) throws IOException {
            if (next >= plan.stretches() || s != null && s.index != next) {
                throw new IllegalArgumentException(plan.source() + ": stretch " + (s == null ? next : s.index) + " given where "
                        + next + " of " + plan.stretches() + " was due");
            }
            WebLogPart p = s == null ? read(plan, next, file).part : s.part;
            long from = plan.bounds().get(next);
            join.addRead(file, from, plan.bounds().get(next + 1), p, plan.dayStarts().contains(from));
            next++;
        }

        /** What the file says, once every stretch was added. */
        public CollectResult done() {
            if (next != plan.stretches()) {
                throw new IllegalStateException(plan.source() + ": " + next + " of " + plan.stretches() + " stretches joined");
            }
            join.done();
            return out;
        }
    }
}
