package org.exkb.engine.collect;

import java.nio.file.Path;
import org.exkb.engine.model.EvidenceProblem;

/**
 * Reads one kind of evidence file. The reader offers each file to the collectors in order; the first
 * that accepts it collects it. {@link #collect} must not throw: what cannot be read becomes an
 * {@link EvidenceProblem} naming the file and the place.
 */
public interface EvidenceCollector {
    /** Short name for messages, e.g. {@code case file}. */
    String name();

    /** Whether this collector reads the file, judged from its name and its first bytes. */
    boolean accepts(Path file, byte[] head);

    CollectResult collect(Path file, CollectContext context);

    /**
     * Collects a file that is reported under another name: {@code source} is what the output calls it
     * (a file taken out of an archive is {@code archive.zip!folder/name}). Collectors that can read such
     * files override this; the default reports the file's own path.
     */
    default CollectResult collect(Path file, String source, CollectContext context) {
        return collect(file, context);
    }

    /** The kinds of evidence it reads, whose raw facts it produces (none for files that only change how others are read). */
    java.util.List<org.exkb.engine.model.EvidenceKind> kinds();

    /**
     * Whether it reads an archive entry with this name and first bytes from inside the archive itself
     * (streamed, as logs are), so that the evidence reader does not take the entry out.
     */
    default boolean streamsFromArchive(String entryName, byte[] head) {
        return false;
    }

    /** Read before the other files of the same request (files that change how others are read, e.g. trusted roots). */
    default boolean early() {
        return false;
    }
}
