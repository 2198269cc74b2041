package org.exkb.serve;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * API tokens and their roles. Given as lines {@code ROLE TOKEN} (a file; {@code #} starts a comment)
 * or as {@code ROLE:TOKEN,ROLE:TOKEN} (an environment variable). A presented token is compared with
 * every known one in constant time (digests compared with {@link MessageDigest#isEqual}, no early
 * exit), so neither the time nor the order says which token came close.
 */
public final class Tokens {
    private record Entry(byte[] digest, Role role) {
    }

    private final List<Entry> entries;

    private Tokens(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    static final Tokens NONE = new Tokens(List.of());

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    public int size() {
        return entries.size();
    }

    /** Reads token lines; {@code where} names the source in messages (a file name and line). */
    static Tokens parse(String text, String where) {
        List<Entry> out = new ArrayList<>();
        String[] lines = text.split("\\R|,");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("[\\s:]+", 2);
            if (parts.length != 2 || parts[1].isBlank()) {
                throw new IllegalArgumentException(where + " entry " + (i + 1) + ": expected 'ROLE TOKEN' (diagnose, probe or admin)");
            }
            Role role;
            try {
                role = Role.parse(parts[0]);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + " entry " + (i + 1) + ": " + e.getMessage());
            }
            String token = parts[1].strip();
            if (token.length() < 16) {
                throw new IllegalArgumentException(where + " entry " + (i + 1) + ": a token needs at least 16 characters");
            }
            out.add(new Entry(digest(token), role));
        }
        return new Tokens(out);
    }

    /** The role of a presented token, checked against all tokens in the same time whatever matches. */
    Optional<Role> role(String presented) {
        byte[] d = digest(presented == null ? "" : presented);
        Role found = null;
        for (Entry e : entries) {
            boolean same = MessageDigest.isEqual(d, e.digest);
            if (same && (found == null || e.role.ordinal() > found.ordinal())) {
                found = e.role;
            }
        }
        return Optional.ofNullable(found);
    }

    private static byte[] digest(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
