package org.exkb.engine.collect;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BiPredicate;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import org.exkb.engine.model.EvidenceProblem;

/**
 * Takes out of a zip archive the entries that no collector streams from inside it (captures,
 * certificates, case files; logs are streamed), so that a zip of a whole case folder is read like the folder: each one
 * is written to a temporary folder and read from there under the name {@code archive.zip!entry}.
 * Entries no reader accepts are reported without being written out; logs stay in the archive, where
 * the log reader reads them without unpacking gigabytes. Entry names never leave the temporary folder
 * (each entry gets a numbered folder of its own and keeps only its file name).
 */
final class ArchiveExpander {
    /** Bytes written out of one archive at most (captures are large, but not that large). */
    static final long MAX_BYTES = 8L << 30;

    /** An entry written out: the temporary file and the name it is reported under. */
    record Entry(Path file, String source) {
    }

    private final Path dir;
    private int count;

    ArchiveExpander(Path dir) {
        this.dir = dir;
    }

    static boolean isZip(Path file, byte[] head) {
        return Archives.isZip(file.getFileName().toString(), head);
    }

    /**
     * Writes out the entries of {@code zip} that {@code wanted} (name, first bytes) accepts and no
     * collector reads from inside the archive ({@code streamed}); says in {@code out} which entries
     * nothing reads.
     */
    List<Entry> expand(Path zip, BiPredicate<String, byte[]> streamed, BiPredicate<String, byte[]> wanted,
            java.util.regex.Pattern notEvidence, CollectResult out) {
        List<Entry> taken = new ArrayList<>();
        long[] written = {0};
        String archive = zip.toString();
        try (ZipFile zf = new ZipFile(zip.toFile(), Archives.ZIP_NAMES)) {
            java.util.Enumeration<? extends ZipEntry> all = zf.entries();
            while (all.hasMoreElements()) {
                ZipEntry e = all.nextElement();
                if (!e.isDirectory()) {
                    try (InputStream in = new BufferedInputStream(zf.getInputStream(e), 1 << 16)) {
                        one(archive, Archives.zipName(e.getName()), in, streamed, wanted, notEvidence, taken, written, out);
                    } catch (IOException x) {
                        out.problem(new EvidenceProblem(archive + "!" + Archives.zipName(e.getName()), "", EvidenceProblem.MALFORMED,
                                "this zip entry cannot be taken out (" + x.getMessage() + "); the other entries are read"));
                    }
                }
            }
        } catch (ZipException noDirectory) { // cut off: the log reader says so; take out what the stream still gives
            try (ZipInputStream z = new ZipInputStream(new BufferedInputStream(Files.newInputStream(zip), 1 << 16),
                    Archives.ZIP_NAMES)) {
                for (ZipEntry e; (e = z.getNextEntry()) != null; ) {
                    if (!e.isDirectory()) {
                        one(archive, Archives.zipName(e.getName()), new BufferedInputStream(Archives.entryOf(z), 1 << 16), streamed, wanted,
                                notEvidence, taken, written, out);
                    }
                }
            } catch (IOException alsoSaidByTheStreamingReader) {
                // where the stream breaks off is reported by the collector that streams the same archive
            } catch (RuntimeException e) {
                out.problem(new EvidenceProblem(archive, "", EvidenceProblem.MALFORMED, "taking files out of the archive stopped here: " + e));
            }
        } catch (IOException | RuntimeException e) {
            out.problem(new EvidenceProblem(archive, "", EvidenceProblem.UNREADABLE, "cannot open the zip archive: " + e.getMessage()));
        }
        return taken;
    }

    private void one(String archive, String name, InputStream in, BiPredicate<String, byte[]> streamed, BiPredicate<String, byte[]> wanted,
            java.util.regex.Pattern notEvidence,
            List<Entry> taken, long[] written, CollectResult out) throws IOException {
        String source = archive + "!" + name;
        String base = name.substring(name.lastIndexOf('/') + 1);
        in.mark(512);
        byte[] head = in.readNBytes(512);
        in.reset();
        if (base.isEmpty() || streamed.test(name, head)) {
            return; // read from inside the archive by the collector that streams it
        }
        if (notEvidence.matcher(base).matches()) {
            out.examined(EvidenceReader.skippedNotEvidence(source));
            return;
        }
        if (!wanted.test(base, head)) {
            out.problem(new EvidenceProblem(source, "", head.length == 0 ? EvidenceProblem.EMPTY : EvidenceProblem.UNSUPPORTED,
                    head.length == 0 ? "the file is empty" : "no reader for this kind of file"));
            return;
        }
        if (written[0] >= MAX_BYTES) {
            out.problem(new EvidenceProblem(source, "", EvidenceProblem.UNSUPPORTED, "not taken out of the archive: more than "
                    + (MAX_BYTES >> 30) + " GiB were already; give it unpacked"));
            return;
        }
        Path folder = dir.resolve(String.format(Locale.ROOT, "%05d", ++count));
        Files.createDirectories(folder);
        Path file = folder.resolve(safe(base));
        try (OutputStream o = Files.newOutputStream(file)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                o.write(buf, 0, n);
                written[0] += n;
            }
        } catch (java.io.EOFException | ZipException cut) {
            out.problem(new EvidenceProblem(source, String.format(Locale.ROOT, "after %,d bytes", Files.size(file)), EvidenceProblem.MALFORMED,
                    "this zip entry is cut off or damaged here (" + (cut instanceof java.io.EOFException
                            ? "the compressed data ends before its end mark" : cut.getMessage()) + "); the part before it is read"));
        }
        taken.add(new Entry(file, source));
    }

    /** A file name that is only a file name on any system. */
    private static String safe(String base) {
        String s = base.replaceAll("[\\\\/:*?\"<>|\\x00-\\x1f]", "_");
        return s.equals(".") || s.equals("..") ? "_" : s;
    }
}
