package org.exkb.engine.api;

/**
 * Where a diagnosis's knowledge came from: the built-in knowledge ({@code built-in}, the version of the
 * release) or a rule folder (its path, and a fingerprint of its files: the same folder content always
 * gives the same one), so a ticket says which rules judged it.
 */
public record KnowledgeSource(String name, String version) {
    public static final String BUILT_IN = "built-in";
}
