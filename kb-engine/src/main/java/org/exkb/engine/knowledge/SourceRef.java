package org.exkb.engine.knowledge;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A source a knowledge entry relies on, cited as a reader would look it up: its title, what it is
 * ({@code kind}: blog post, RFC, vendor documentation), its author and date where known, and an
 * address ({@code ref}) where it has a public one.
 */
public record SourceRef(String title, String ref, String kind, String author, String date) {
    public SourceRef {
        Objects.requireNonNull(title, "source needs a title");
        ref = ref == null ? "" : ref;
        kind = kind == null ? "" : kind;
        author = author == null ? "" : author;
        date = date == null ? "" : date;
    }

    public SourceRef(String title, String ref) {
        this(title, ref, null, null, null);
    }

    /** "Title" (blog post, A. Author, 4 July 2012) https://... : what is known of it, in that order. */
    public String citation() {
        List<String> about = new ArrayList<>();
        for (String s : List.of(kind, author, date)) {
            if (!s.isEmpty()) {
                about.add(s);
            }
        }
        return "\"" + title + "\"" + (about.isEmpty() ? "" : " (" + String.join(", ", about) + ")") + (ref.isEmpty() ? "" : " " + ref);
    }
}
