package org.exkb.engine.collect;

import java.util.List;

/**
 * What a collector found in one file that is only complete with what the same kind of collector
 * finds in the other files read with it: server-log aggregates (requests per server and command,
 * devices per client address, errors per reason) that a rolled-over log splits over many files.
 * {@link CollectResult#facts()} merges the partials of each class, in the order they were added,
 * into one, and turns that into facts.
 */
public interface Partial {
    /**
     * This merged with {@code later}, an instance of the same class from a file read after this
     * one's. It may change and answer this one: a partial belongs to the result it was added to.
     */
    Partial plus(Partial later);

    /**
     * An empty partial of this class to merge into, so that merging changes none of the partials
     * merged (one partial can then count in the whole period and in its day); null when this class
     * has none, and the first partial merged is merged into.
     */
    default Partial empty() {
        return null;
    }

    /** About how many bytes of memory this holds (0: not known), so that what is kept of many can be bounded. */
    default long weight() {
        return 0;
    }

    /** The facts this stands for. */
    List<Object> facts();

    /**
     * The calendar day (yyyy-mm-dd, as the evidence writes it) all of this partial's data fall on, or
     * empty when they span several days or carry no dates: a case whose partials fall on two days or
     * more is also diagnosed day by day, to say since when a pattern shows.
     */
    default String day() {
        return "";
    }
}
