package org.exkb.engine.collect.logs;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Binary XML of one {@code .evtx} chunk ([MS-EVEN6] 3.1.4.7, libyal's "Windows XML Event Log"
 * description): the tokens of a record's fragment, the templates it instantiates (defined inline the
 * first time, then referenced by their offset in the chunk and kept here), the names kept once per
 * chunk, and the substitution values of every type, including BinXML nested as a value. Every offset
 * and length is checked against the chunk before it is used; nesting is bounded. One instance serves
 * one chunk: its caches hold offsets into that chunk only.
 */
final class BinXml {
    /** A record whose BinXML cannot be read; the message says where and what. */
    static final class Damaged extends Exception {
        Damaged(String message) {
            super(message);
        }
    }

    /** An element as Event Viewer's XML shows it: name, attributes in order, and children (elements or text). */
    static final class Element {
        final String name;
        final List<String[]> attributes = new ArrayList<>(2);
        final List<Object> children = new ArrayList<>(4);

        Element(String name) {
            this.name = name;
        }

        String attribute(String n) {
            for (String[] a : attributes) {
                if (a[0].equals(n)) {
                    return a[1];
                }
            }
            return null;
        }

        Element child(String n) {
            for (Object c : children) {
                if (c instanceof Element e && e.name.equals(n)) {
                    return e;
                }
            }
            return null;
        }

        /** The text directly inside, concatenated. */
        String text() {
            StringBuilder b = new StringBuilder();
            for (Object c : children) {
                if (c instanceof String s) {
                    b.append(s);
                }
            }
            return b.toString();
        }
    }

    // Nodes of a template definition before its values are put in.
    private record Subst(int index, int type, boolean optional) { }

    private static final class Def {
        final String name;
        final List<Object[]> attributes = new ArrayList<>(2); // {name, List<Object> value nodes}
        final List<Object> children = new ArrayList<>(4); // Def, String or Subst

        Def(String name) {
            this.name = name;
        }
    }

    /** A value of a template instance: its type and where its bytes are in the chunk. */
    private record Value(int type, int offset, int size) { }

    static final int CHUNK_SIZE = 65536;
    /** Marks a fragment read for its content (a record, BinXML in a value), not as a template definition. */
    private static final Value[] NO_VALUES = new Value[0];
    private static final int MAX_DEPTH = 8; // BinXML nested in values, templates within them
    private static final int MAX_ELEMENT_DEPTH = 64;
    private static final int MAX_VALUES = 4096;
    private static final Charset ANSI = Charset.forName("windows-1252");

    private final byte[] chunk;
    private final int limit; // bytes of the chunk actually present (a file cut off inside its last chunk)
    private final Map<Integer, List<Object>> templates = new HashMap<>();
    private final Map<Integer, String> names = new HashMap<>();
    /** Values read whole but not as Windows writes them (a SID cut short), said once per record by the caller. */
    final List<String> oddities = new ArrayList<>();

    BinXml(byte[] chunk, int limit) {
        this.chunk = chunk;
        this.limit = limit;
    }

    /** The event element of the record whose BinXML lies at {@code [start, end)} of the chunk. */
    Element record(int start, int end) throws Damaged {
        oddities.clear();
        int[] pos = {start};
        List<Object> top = new ArrayList<>(1);
        fragment(pos, end, false, NO_VALUES, 0, top);
        for (Object o : top) {
            if (o instanceof Element e) {
                return e;
            }
        }
        throw new Damaged("the record's BinXML holds no element");
    }

    /**
     * Reads tokens from {@code pos[0]} up to the end of the fragment (or {@code end}). With
     * {@code values == null} this is a template definition: substitutions stay as {@link Subst}
     * nodes. Otherwise templates met are instantiated with their values at once.
     */
    private void fragment(int[] pos, int end, boolean dependencyIds, Value[] values, int depth, List<Object> out) throws Damaged {
        if (depth > MAX_DEPTH) {
            throw new Damaged("BinXML nested more than " + MAX_DEPTH + " deep");
        }
        List<Object> stack = new ArrayList<>();
        boolean inAttribute = false;
        while (pos[0] < end) {
            int at = pos[0];
            int token = u8(pos, end);
            switch (token) {
                case 0x00 -> {
                    if (!stack.isEmpty()) {
                        throw new Damaged("the BinXML ends at offset " + at + " inside <" + name(stack.get(stack.size() - 1)) + ">");
                    }
                    return;
                }
                case 0x0f -> skip(pos, end, 3); // fragment header: version 1.1, flags
                case 0x01, 0x41 -> {
                    if (dependencyIds) {
                        skip(pos, end, 2);
                    }
                    skip(pos, end, 4); // data size
                    String n = nameAt(pos, end);
                    if ((token & 0x40) != 0) {
                        skip(pos, end, 4); // attribute list size
                    }
                    if (stack.size() >= MAX_ELEMENT_DEPTH) {
                        throw new Damaged("elements nested more than " + MAX_ELEMENT_DEPTH + " deep at offset " + at);
                    }
                    stack.add(values == null ? new Def(n) : new Element(n));
                    inAttribute = false;
                }
                case 0x02 -> {
                    requireOpen(stack, at, "a start tag closed");
                    inAttribute = false;
                }
                case 0x03, 0x04 -> {
                    requireOpen(stack, at, token == 3 ? "an empty element closed" : "an element ended");
                    Object done = stack.remove(stack.size() - 1);
                    add(stack, out, done);
                    inAttribute = false;
                }
                case 0x06, 0x46 -> {
                    requireOpen(stack, at, "an attribute");
                    String n = nameAt(pos, end);
                    Object el = stack.get(stack.size() - 1);
                    if (el instanceof Def d) {
                        d.attributes.add(new Object[] {n, new ArrayList<>(1)});
                    } else {
                        ((Element) el).attributes.add(new String[] {n, ""});
                    }
                    inAttribute = true;
                }
                case 0x05, 0x45 -> content(stack, out, inAttribute, valueText(pos, end, at));
                case 0x07, 0x47 -> content(stack, out, inAttribute, utf16(pos, end, u16(pos, end), at)); // CDATA
                case 0x08, 0x48 -> content(stack, out, inAttribute, String.valueOf((char) u16(pos, end))); // character reference
                case 0x09, 0x49 -> content(stack, out, inAttribute, entity(nameAt(pos, end)));
                case 0x0a -> nameAt(pos, end); // processing instruction target: not part of the event's data
                case 0x0b -> utf16(pos, end, u16(pos, end), at); // processing instruction data
                case 0x0d, 0x0e -> {
                    int index = u16(pos, end);
                    int type = u8(pos, end);
                    if (values != null) {
                        throw new Damaged("a substitution outside a template at offset " + at);
                    }
                    content(stack, out, inAttribute, new Subst(index, type, token == 0x0e));
                }
                case 0x0c -> {
                    if (values == null && depth > 0) {
                        throw new Damaged("a template instance inside a template definition at offset " + at);
                    }
                    List<Object> made = new ArrayList<>(1);
                    instance(pos, end, depth, made);
                    for (Object m : made) {
                        content(stack, out, inAttribute, m);
                    }
                }
                default -> throw new Damaged(String.format(Locale.ROOT, "unknown BinXML token 0x%02x at offset %d", token, at));
            }
        }
        if (!stack.isEmpty()) {
            throw new Damaged("the BinXML is cut off inside <" + name(stack.get(stack.size() - 1)) + ">");
        }
    }

    private static String name(Object el) {
        return el instanceof Def d ? d.name : ((Element) el).name;
    }

    private static void requireOpen(List<Object> stack, int at, String what) throws Damaged {
        if (stack.isEmpty()) {
            throw new Damaged(what + " with no element open, at offset " + at);
        }
    }

    /** Adds a finished element or text to the open element, or to the fragment's top level. */
    private static void add(List<Object> stack, List<Object> out, Object node) {
        if (stack.isEmpty()) {
            out.add(node);
        } else if (stack.get(stack.size() - 1) instanceof Def d) {
            d.children.add(node);
        } else {
            ((Element) stack.get(stack.size() - 1)).children.add(node);
        }
    }

    @SuppressWarnings("unchecked")
    private static void content(List<Object> stack, List<Object> out, boolean inAttribute, Object node) {
        if (!inAttribute || stack.isEmpty()) {
            if (node instanceof String s && s.isEmpty()) {
                return;
            }
            add(stack, out, node);
            return;
        }
        Object el = stack.get(stack.size() - 1);
        if (el instanceof Def d) {
            ((List<Object>) d.attributes.get(d.attributes.size() - 1)[1]).add(node);
        } else if (node instanceof String s) {
            String[] a = ((Element) el).attributes.get(((Element) el).attributes.size() - 1);
            a[1] = a[1] + s;
        } else if (node instanceof Element e) {
            String[] a = ((Element) el).attributes.get(((Element) el).attributes.size() - 1);
            a[1] = a[1] + e.text();
        }
    }

    private static String entity(String name) {
        return switch (name) {
            case "lt" -> "<";
            case "gt" -> ">";
            case "amp" -> "&";
            case "quot" -> "\"";
            case "apos" -> "'";
            default -> "&" + name + ";";
        };
    }

    /** A template instance: the definition (inline or by offset), then its values, put into the definition's nodes. */
    private void instance(int[] pos, int end, int depth, List<Object> out) throws Damaged {
        int at = pos[0] - 1;
        skip(pos, end, 1); // unknown, 1
        skip(pos, end, 4); // template id
        int defOffset = (int) u32(pos, end);
        if (defOffset < 0 || defOffset + 24L > limit) {
            throw new Damaged("a template instance at offset " + at + " points outside the chunk (" + Integer.toUnsignedString(defOffset) + ")");
        }
        int defSize = (int) Math.min(Integer.MAX_VALUE, le32(defOffset + 20));
        if (defSize < 0 || defOffset + 24L + defSize > limit) {
            throw new Damaged("the template at offset " + defOffset + " claims " + Integer.toUnsignedString(defSize)
                    + " bytes, more than the chunk holds");
        }
        if (defSize == 0 || chunk[defOffset + 24] == 0 && chunk[defOffset] == 0 && chunk[defOffset + 4] == 0) {
            throw new Damaged("the template it uses (at offset " + defOffset + ") is blank: that part of the chunk is wiped");
        }
        if (defOffset == pos[0]) {
            skip(pos, end, 24 + defSize); // defined here, the first time it is used in this chunk
        }
        List<Object> def = templates.get(defOffset);
        if (def == null) {
            if (templates.size() > 4096) {
                templates.clear();
            }
            def = new ArrayList<>(1);
            int[] dp = {defOffset + 24};
            fragment(dp, defOffset + 24 + defSize, true, null, depth + 1, def);
            templates.put(defOffset, def);
        }
        long count = u32(pos, end);
        if (count > MAX_VALUES || count * 4 > end - pos[0]) {
            throw new Damaged("a template instance at offset " + at + " claims " + count + " values, more than its record holds");
        }
        Value[] values = new Value[(int) count];
        int[] sizes = new int[values.length];
        int[] types = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            sizes[i] = u16(pos, end);
            types[i] = u8(pos, end);
            skip(pos, end, 1);
        }
        for (int i = 0; i < values.length; i++) {
            if (sizes[i] > end - pos[0]) {
                throw new Damaged("value " + i + " of the template instance at offset " + at + " claims " + sizes[i]
                        + " bytes, more than its record holds");
            }
            values[i] = new Value(types[i], pos[0], sizes[i]);
            pos[0] += sizes[i];
        }
        for (Object node : def) {
            put(node, values, depth, out);
        }
    }

    /** The node of a definition with the values in place, added to {@code out}. */
    @SuppressWarnings("unchecked")
    private void put(Object node, Value[] values, int depth, List<Object> out) throws Damaged {
        if (node instanceof String s) {
            out.add(s);
        } else if (node instanceof Subst s) {
            if (s.index >= values.length) {
                if (!s.optional) {
                    throw new Damaged("the template asks for value " + s.index + " of " + values.length);
                }
                return;
            }
            Value v = values[s.index];
            if (v.type == 0x21) {
                int[] p = {v.offset};
                if (v.size > 0) {
                    fragment(p, v.offset + v.size, false, values, depth + 1, out);
                }
            } else if (v.type != 0 && v.size > 0 || !s.optional) {
                out.add(render(v));
            }
        } else if (node instanceof Def d) {
            if (d.children.size() == 1 && d.children.get(0) instanceof Subst s && s.index < values.length
                    && (values[s.index].type & 0x80) != 0) {
                for (String item : items(values[s.index])) { // an array fills one element per item, as Windows writes it
                    Element e = new Element(d.name);
                    attributes(d, values, depth, e);
                    e.children.add(item);
                    out.add(e);
                }
                return;
            }
            Element e = new Element(d.name);
            attributes(d, values, depth, e);
            for (Object c : d.children) {
                put(c, values, depth, e.children);
            }
            out.add(e);
        } else if (node instanceof Element e) {
            out.add(e);
        }
    }

    @SuppressWarnings("unchecked")
    private void attributes(Def d, Value[] values, int depth, Element e) throws Damaged {
        {
            for (Object[] a : d.attributes) {
                StringBuilder b = new StringBuilder();
                boolean dropped = false;
                for (Object part : (List<Object>) a[1]) {
                    if (part instanceof Subst s && s.optional && (s.index >= values.length || values[s.index].type == 0
                            || values[s.index].size == 0)) {
                        dropped = true; // an optional attribute without its value is left out, as Windows does
                        continue;
                    }
                    List<Object> parts = new ArrayList<>(1);
                    put(part, values, depth, parts);
                    for (Object x : parts) {
                        b.append(x instanceof Element xe ? xe.text() : x);
                    }
                }
                if (!(dropped && b.isEmpty())) {
                    e.attributes.add(new String[] {(String) a[0], b.toString()});
                }
            }
        }
    }

    private String valueText(int[] pos, int end, int at) throws Damaged {
        int type = u8(pos, end);
        if (type == 0x01) {
            return utf16(pos, end, u16(pos, end), at);
        }
        if (type == 0x02) {
            int n = u16(pos, end);
            require(pos, end, n, at);
            String s = new String(chunk, pos[0], n, ANSI);
            pos[0] += n;
            return strip(s);
        }
        throw new Damaged(String.format(Locale.ROOT, "a text value of type 0x%02x at offset %d", type, at));
    }

    // ---- values ----------------------------------------------------------------------------

    /** A substitution value as Event Viewer's XML writes it. */
    String render(Value v) throws Damaged {
        int t = v.type, o = v.offset, n = v.size;
        if ((t & 0x80) != 0) {
            return array(v);
        }
        return switch (t) {
            case 0x00 -> "";
            case 0x01 -> strip(new String(chunk, o, n - (n & 1), StandardCharsets.UTF_16LE));
            case 0x02 -> strip(new String(chunk, o, n, ANSI));
            case 0x03 -> String.valueOf((byte) fixed(v, 1));
            case 0x04 -> String.valueOf(fixed(v, 1));
            case 0x05 -> String.valueOf((short) fixed(v, 2));
            case 0x06 -> String.valueOf(fixed(v, 2));
            case 0x07 -> String.valueOf((int) fixed(v, 4));
            case 0x08 -> String.valueOf(fixed(v, 4));
            case 0x09 -> String.valueOf(fixed(v, 8));
            case 0x0a -> Long.toUnsignedString(fixed(v, 8));
            case 0x0b -> floatText(Float.intBitsToFloat((int) fixed(v, 4)));
            case 0x0c -> floatText(Double.longBitsToDouble(fixed(v, 8)));
            case 0x0d -> n == 1 || n == 2 || n == 4 ? (le(o, n) != 0 ? "true" : "false") : wrongSize(v, "4");
            case 0x0e -> hex(o, n);
            case 0x0f -> guid(o, n, v);
            case 0x10 -> n == 4 || n == 8 ? "0x" + Long.toHexString(le(o, n)) : wrongSize(v, "4 or 8");
            case 0x11 -> fileTime(fixed(v, 8));
            case 0x12 -> systemTime(v);
            case 0x13 -> sid(o, n);
            case 0x14 -> "0x" + Long.toHexString(fixed(v, 4));
            case 0x15 -> "0x" + Long.toHexString(fixed(v, 8));
            case 0x20 -> ""; // an event handle: nothing to show
            case 0x23 -> strip(new String(chunk, o, n - (n & 1), StandardCharsets.UTF_16LE));
            default -> throw new Damaged(String.format(Locale.ROOT, "a value of unknown type 0x%02x at offset %d", t, o));
        };
    }

    private String array(Value v) throws Damaged {
        return String.join(", ", items(v));
    }

    /** The items of an array value, each as Event Viewer writes it. */
    private List<String> items(Value v) throws Damaged {
        int t = v.type & 0x7f;
        int o = v.offset, n = v.size;
        List<String> items = new ArrayList<>();
        if (t == 0x01) {
            String all = new String(chunk, o, n - (n & 1), StandardCharsets.UTF_16LE);
            for (String s : all.split("\0")) {
                if (!s.isEmpty()) {
                    items.add(s);
                }
            }
            return items;
        }
        if (t == 0x02) {
            for (String s : new String(chunk, o, n, ANSI).split("\0")) {
                if (!s.isEmpty()) {
                    items.add(s);
                }
            }
            return items;
        }
        int size = switch (t) {
            case 0x03, 0x04 -> 1;
            case 0x05, 0x06 -> 2;
            case 0x07, 0x08, 0x0b, 0x0d, 0x14 -> 4;
            case 0x09, 0x0a, 0x0c, 0x11, 0x15 -> 8;
            case 0x0f, 0x12 -> 16;
            case 0x10 -> 8;
            default -> 0;
        };
        if (size == 0 || n % size != 0) {
            if (t == 0x13) {
                return sidArray(o, n);
            }
            throw new Damaged(String.format(Locale.ROOT, "an array of type 0x%02x and %d bytes at offset %d", v.type, n, o));
        }
        for (int i = 0; i < n / size && items.size() < 1024; i++) {
            items.add(render(new Value(t, o + i * size, size)));
        }
        return items;
    }

    private List<String> sidArray(int o, int n) {
        List<String> items = new ArrayList<>();
        int p = o;
        while (p + 8 <= o + n && items.size() < 1024) {
            int len = 8 + 4 * (chunk[p + 1] & 0xff);
            items.add(sid(p, Math.min(len, o + n - p)));
            p += len;
        }
        return items;
    }

    private long fixed(Value v, int size) throws Damaged {
        if (v.size != size) {
            wrongSize(v, String.valueOf(size));
        }
        return le(v.offset, size);
    }

    private static String wrongSize(Value v, String expected) throws Damaged {
        throw new Damaged(String.format(Locale.ROOT, "a value of type 0x%02x at offset %d has %d bytes, not %s", v.type, v.offset, v.size,
                expected));
    }

    private static String floatText(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return String.valueOf((long) d);
        }
        return String.valueOf(d);
    }

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private String hex(int o, int n) {
        StringBuilder b = new StringBuilder(n * 2);
        for (int i = 0; i < n; i++) {
            b.append(HEX[(chunk[o + i] >> 4) & 0xf]).append(HEX[chunk[o + i] & 0xf]);
        }
        return b.toString();
    }

    /** {XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}: the first three groups little-endian, the rest in byte order. */
    private String guid(int o, int n, Value v) throws Damaged {
        if (n != 16) {
            wrongSize(v, "16");
        }
        StringBuilder b = new StringBuilder(38).append('{');
        for (int i = 3; i >= 0; i--) {
            byteHex(b, o + i);
        }
        b.append('-');
        byteHex(b, o + 5);
        byteHex(b, o + 4);
        b.append('-');
        byteHex(b, o + 7);
        byteHex(b, o + 6);
        b.append('-');
        byteHex(b, o + 8);
        byteHex(b, o + 9);
        b.append('-');
        for (int i = 10; i < 16; i++) {
            byteHex(b, o + i);
        }
        return b.append('}').toString();
    }

    private void byteHex(StringBuilder b, int at) {
        b.append(HEX[(chunk[at] >> 4) & 0xf]).append(HEX[chunk[at] & 0xf]);
    }

    /** FILETIME (100 ns since 1601) as Windows Server 2008 and 2012 write SystemTime: nine decimals, the last two zero. */
    static String fileTime(long ticks) {
        long seconds = Math.floorDiv(ticks, 10_000_000L) - 11_644_473_600L;
        long frac = Math.floorMod(ticks, 10_000_000L);
        if (ticks < 0 || seconds > 253_402_300_799L) {
            return String.valueOf(ticks);
        }
        java.time.LocalDateTime t = java.time.LocalDateTime.ofEpochSecond(seconds, 0, ZoneOffset.UTC);
        StringBuilder b = new StringBuilder(30);
        pad(b, t.getYear(), 4).append('-');
        pad(b, t.getMonthValue(), 2).append('-');
        pad(b, t.getDayOfMonth(), 2).append('T');
        pad(b, t.getHour(), 2).append(':');
        pad(b, t.getMinute(), 2).append(':');
        pad(b, t.getSecond(), 2).append('.');
        return pad(b, frac, 7).append("00Z").toString();
    }

    private static StringBuilder pad(StringBuilder b, long v, int width) {
        String s = Long.toString(v);
        for (int i = s.length(); i < width; i++) {
            b.append('0');
        }
        return b.append(s);
    }

    private String systemTime(Value v) throws Damaged {
        if (v.size != 16) {
            wrongSize(v, "16");
        }
        int o = v.offset;
        return String.format(Locale.ROOT, "%04d-%02d-%02dT%02d:%02d:%02d.%03d000000Z", le(o, 2), le(o + 2, 2), le(o + 6, 2), le(o + 8, 2),
                le(o + 10, 2), le(o + 12, 2), le(o + 14, 2));
    }

    /** S-R-A-S1-S2...; sub-authorities that the value is too short to hold are noted, the ones present used. */
    private String sid(int o, int n) {
        if (n < 8) {
            oddities.add("a SID value of " + n + " bytes at offset " + o + " is too short to read");
            return "";
        }
        int count = chunk[o + 1] & 0xff;
        long authority = 0;
        for (int i = 2; i < 8; i++) {
            authority = authority << 8 | (chunk[o + i] & 0xff);
        }
        StringBuilder b = new StringBuilder("S-").append(chunk[o] & 0xff).append('-').append(authority);
        int present = Math.min(count, (n - 8) / 4);
        for (int i = 0; i < present; i++) {
            b.append('-').append(le(o + 8 + 4 * i, 4));
        }
        if (present < count) {
            oddities.add("a SID at offset " + o + " names " + count + " sub-authorities but holds " + present + "; the ones present are used");
        }
        return b.toString();
    }

    // ---- bytes -----------------------------------------------------------------------------

    private String nameAt(int[] pos, int end) throws Damaged {
        int at = pos[0];
        int offset = (int) u32(pos, end);
        if (offset == pos[0]) { // the name is stored here, the first time this chunk uses it
            String n = nameString(offset);
            pos[0] += 8 + 2 * n.length() + 2;
            if (pos[0] > end) {
                throw new Damaged("the name at offset " + offset + " runs past the end of its record");
            }
            return n;
        }
        String n = names.get(offset);
        return n != null ? n : nameString(offset);
    }

    private String nameString(int offset) throws Damaged {
        String cached = names.get(offset);
        if (cached != null) {
            return cached;
        }
        if (offset < 0 || offset + 8L > limit) {
            throw new Damaged("a name points outside the chunk (" + Integer.toUnsignedString(offset) + ")");
        }
        int chars = (int) le(offset + 6, 2);
        if (offset + 8 + 2L * chars > limit) {
            throw new Damaged("the name at offset " + offset + " claims " + chars + " characters, past the end of the chunk");
        }
        String n = new String(chunk, offset + 8, 2 * chars, StandardCharsets.UTF_16LE);
        if (names.size() < 65536) {
            names.put(offset, n);
        }
        return n;
    }

    private String utf16(int[] pos, int end, int chars, int at) throws Damaged {
        require(pos, end, 2 * chars, at);
        String s = new String(chunk, pos[0], 2 * chars, StandardCharsets.UTF_16LE);
        pos[0] += 2 * chars;
        return strip(s);
    }

    private static String strip(String s) {
        int e = s.length();
        while (e > 0 && s.charAt(e - 1) == '\0') {
            e--;
        }
        return s.substring(0, e);
    }

    private static void require(int[] pos, int end, int n, int at) throws Damaged {
        if (n < 0 || pos[0] + n > end) {
            throw new Damaged("BinXML cut off at offset " + at + ": " + n + " more bytes needed, " + (end - pos[0]) + " left");
        }
    }

    private void skip(int[] pos, int end, int n) throws Damaged {
        require(pos, end, n, pos[0]);
        pos[0] += n;
    }

    private int u8(int[] pos, int end) throws Damaged {
        require(pos, end, 1, pos[0]);
        return chunk[pos[0]++] & 0xff;
    }

    private int u16(int[] pos, int end) throws Damaged {
        require(pos, end, 2, pos[0]);
        int v = (int) le(pos[0], 2);
        pos[0] += 2;
        return v;
    }

    private long u32(int[] pos, int end) throws Damaged {
        require(pos, end, 4, pos[0]);
        long v = le(pos[0], 4);
        pos[0] += 4;
        return v;
    }

    private long le32(int offset) {
        return le(offset, 4);
    }

    private long le(int offset, int n) {
        long v = 0;
        for (int i = n - 1; i >= 0; i--) {
            v = v << 8 | (chunk[offset + i] & 0xff);
        }
        return v;
    }
}
