package org.exkb.engine.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Compares user names as different logs write them: {@code contoso\adm.bob} (W3C cs-username),
 * {@code adm.bob} (the ActiveSync User= parameter), {@code adm.bob@contoso.com} (a UPN) and the
 * CN that event 1053 quotes ({@code CN=adm.bob} or, often, a display name such as {@code Bob Admin}).
 * Two names are the same user when they agree after the domain is dropped, case is ignored and only
 * letters and digits are kept. A display name and a logon name for the same person cannot be matched
 * without the directory; rules say so instead of guessing.
 */
public final class UserNames {
    private UserNames() {
    }

    /** The comparable form of a name: no domain or UPN suffix, lower case, letters and digits only. */
    public static String key(String name) {
        String n = name.strip();
        int slash = n.lastIndexOf('\\');
        if (slash >= 0) {
            n = n.substring(slash + 1);
        }
        int at = n.indexOf('@');
        if (at > 0) {
            n = n.substring(0, at);
        }
        StringBuilder b = new StringBuilder(n.length());
        n.toLowerCase(Locale.ROOT).codePoints().filter(Character::isLetterOrDigit).forEach(b::appendCodePoint);
        return b.toString();
    }

    /** The names of {@code a} that also appear in {@code b} (as {@code a} writes them, in its order). */
    public static List<String> common(List<String> a, List<String> b) {
        Map<String, String> in = new LinkedHashMap<>();
        for (String n : b) {
            String k = key(n);
            if (!k.isEmpty()) {
                in.put(k, n);
            }
        }
        List<String> out = new ArrayList<>();
        for (String n : a) {
            String k = key(n);
            if (!k.isEmpty() && in.containsKey(k) && !out.contains(n)) {
                out.add(n);
            }
        }
        return out;
    }
}
