package org.exkb.serve;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Uploaded files: a safe name inside the case's folder for each, and the archive bound (what a zip or
 * gzip upload expands to, nested archives included, is counted by inflating it, never by trusting
 * the sizes it declares; past the limit the request is refused before anything reads it).
 */
final class Uploads {
    private Uploads() {
    }

    /** Entries in one archive at most (a zip of a million empty files is refused like a bomb). */
    static final int MAX_ENTRIES = 100_000;
    private static final int MAX_DEPTH = 3;

    /**
     * The name an uploaded file is kept under: only its last path segment, with characters that mean
     * something to a file system replaced, prefixed by its number so that two uploads never collide.
     */
    static String safeName(int index, String given) {
        String base = given == null ? "" : given;
        base = base.substring(Math.max(base.lastIndexOf('/'), base.lastIndexOf('\\')) + 1);
        base = base.replaceAll("[^A-Za-z0-9._+-]", "_").replaceAll("^\\.+", "_");
        if (base.isEmpty()) {
            base = "upload";
        }
        if (base.length() > 100) {
            base = base.substring(base.length() - 100);
        }
        return String.format(Locale.ROOT, "%03d-%s", index, base);
    }

    /** Throws a 413 problem when {@code file} is an archive that expands beyond {@code limit} bytes. */
    static void checkExpansion(Path file, String name, long limit) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            long[] total = {0};
            count(in, name, limit, total, 0);
        }
    }

    private static void count(InputStream in, String name, long limit, long[] total, int depth) throws IOException {
        in.mark(4);
        byte[] head = in.readNBytes(4);
        in.reset();
        boolean zip = head.length == 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4;
        boolean gzip = org.exkb.engine.collect.Archives.isGzip(head);
        if (depth > MAX_DEPTH && (zip || gzip)) {
            throw Problem.limit(413, "archive nesting", "--max-expanded-mb", name + ": archives nested more than " + MAX_DEPTH
                    + " deep; unpack it and upload the files");
        }
        if (zip) {
            // entry names as the evidence reader decodes them: without the UTF-8 flag they are code page 437
            ZipInputStream z = new ZipInputStream(in, org.exkb.engine.collect.Archives.ZIP_NAMES);
            int entries = 0;
            try {
                for (ZipEntry e; (e = z.getNextEntry()) != null; ) {
                    if (++entries > MAX_ENTRIES) {
                        throw Problem.limit(413, "archive entries", "--max-expanded-mb", name + " holds more than " + MAX_ENTRIES
                                + " entries; unpack it and upload the files that matter");
                    }
                    if (!e.isDirectory()) {
                        count(new BufferedInputStream(nonClosing(z), 1 << 16), name + "!" + e.getName(), limit, total, depth + 1);
                    }
                }
            } catch (java.util.zip.ZipException damaged) {
                // a damaged archive: the evidence reader reads what it can and says where it broke
            }
        } else if (gzip) {
            try {
                count(new BufferedInputStream(new GZIPInputStream(nonClosing(in), 1 << 16), 1 << 16), name, limit, total, depth + 1);
            } catch (java.util.zip.ZipException | java.io.EOFException damaged) {
                // as above
            }
        } else if (depth > 0) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new Problem(408, "limit", "A time limit was reached", name + ": checking what the archive expands to"
                            + " outlasted the request's time (kb serve --request-timeout)").with("limit", "request time")
                            .with("setting", "--request-timeout");
                }
                total[0] += n;
                if (total[0] > limit) {
                    throw Problem.limit(413, "archive expansion", "--max-expanded-mb", name + " expands to more than "
                            + mib(limit) + " MiB; raise --max-expanded-mb, or upload the files it holds");
                }
            }
        }
    }

    static String mib(long bytes) {
        return String.valueOf(bytes >> 20);
    }

    private static InputStream nonClosing(InputStream in) {
        return new java.io.FilterInputStream(in) {
            @Override
            public void close() {
            }
        };
    }
}
