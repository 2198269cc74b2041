package org.exkb.engine.knowledge;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The device catalogue: lookup by name or alias, and "did you mean" for names it does not know. */
public final class DeviceCatalog {
    private final List<DeviceDef> devices;
    private final Map<String, DeviceDef> byKey = new LinkedHashMap<>();

    public DeviceCatalog(List<DeviceDef> devices) {
        this.devices = List.copyOf(devices);
        for (DeviceDef d : this.devices) {
            byKey.putIfAbsent(key(d.id()), d);
            byKey.putIfAbsent(key(d.name()), d);
            for (String a : d.aliases()) {
                byKey.putIfAbsent(key(a), d);
            }
        }
    }

    public List<DeviceDef> all() {
        return devices;
    }

    /** Every name and alias, for completion and help. */
    public List<String> names() {
        List<String> out = new ArrayList<>();
        for (DeviceDef d : devices) {
            out.add(d.name());
            out.addAll(d.aliases());
        }
        return out;
    }

    /** The device whose id, name or alias equals {@code name} ignoring case, spaces and punctuation. */
    public Optional<DeviceDef> find(String name) {
        return name == null ? Optional.empty() : Optional.ofNullable(byKey.get(key(name)));
    }

    /** Up to three catalogue names closest to {@code name}, closest first. */
    public List<String> suggest(String name) {
        String k = key(name);
        record Scored(String name, double score) {
        }
        Map<String, Scored> best = new LinkedHashMap<>();
        for (DeviceDef d : devices) {
            List<String> candidates = new ArrayList<>(d.aliases());
            candidates.add(0, d.name());
            for (String c : candidates) {
                double s = similarity(k, key(c));
                Scored prev = best.get(d.name());
                if (prev == null || s > prev.score()) {
                    best.put(d.name(), new Scored(d.name(), s));
                }
            }
        }
        double top = best.values().stream().mapToDouble(Scored::score).max().orElse(0);
        return best.values().stream()
                .filter(s -> s.score() >= 0.5 && s.score() >= top - 0.15)
                .sorted(Comparator.comparingDouble(Scored::score).reversed())
                .limit(3).map(Scored::name).toList();
    }

    static String key(String s) {
        return s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.]+", " ").strip();
    }

    /** Edit-distance similarity blended with shared words, so "outlok mac" finds "Outlook for Mac 2011". */
    public static double similarity(String a, String b) {
        if (a.isEmpty() || b.isEmpty()) {
            return 0;
        }
        double edit = 1.0 - (double) levenshtein(a, b) / Math.max(a.length(), b.length());
        List<String> wa = List.of(a.split(" "));
        List<String> wb = List.of(b.split(" "));
        long shared = wa.stream().filter(w -> wb.stream().anyMatch(x -> x.equals(w)
                || (w.length() >= 4 && levenshtein(w, x) <= 1))).count();
        double words = (double) shared / Math.max(wa.size(), 1);
        return Math.max(edit, 0.9 * words);
    }

    /** The edit distance between two strings (insertions, deletions, substitutions). */
    public static int levenshtein(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
