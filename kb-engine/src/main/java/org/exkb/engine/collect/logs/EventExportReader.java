package org.exkb.engine.collect.logs;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.exkb.engine.collect.CollectResult;
import org.exkb.engine.model.EvidenceProblem;
import org.exkb.engine.model.EvidenceRef;
import org.exkb.engine.model.WindowsEvent;

/**
 * Windows event-log exports: the XML of {@code wevtutil qe ... /f:xml} (events one after another,
 * no root element) and of Event Viewer's "Save as XML" ({@code <Events>} root), Event Viewer's CSV
 * (header {@code Level,Date and Time,Source,Event ID,Task Category} plus an unnamed, quoted,
 * possibly multi-line description) and the same as tab-delimited text, PowerShell's Export-Csv of
 * events (by column name), and {@code wevtutil qe ... /f:text} (labels in any language). Events are
 * counted by computer, source and id, with the accounts (CN=...) their messages name. XML is read
 * with DTDs and external entities off.
 */
final class EventExportReader {
    enum Format { XML, CSV, TEXT }

    static final String CSV_HEADER = "Level,Date and Time,Source,Event ID,Task Category";
    private static final Pattern CN = Pattern.compile("CN=([^,\"/\\\\]+)");

    private final String source;
    private final CollectResult out;
    private final Map<String, Agg> events = new LinkedHashMap<>();
    private long total;
    private int[] columns; // a CSV's event id, source, computer and message columns; null: Event Viewer's layout
    private String headerText; // a CSV's header, to know it again when an appended export repeats it

    private static final class Agg {
        long count;
        String first = "";
        String last = "";
        final Set<String> names = new LinkedHashSet<>();
        EvidenceRef firstRef;
    }

    /** Sees every event tallied (computer, source, id, message, locator): for tests that compare two readers event by event. */
    java.util.function.Consumer<String[]> each;

    EventExportReader(String source, CollectResult out) {
        this.source = source;
        this.out = out;
    }

    void read(BufferedReader in, Format f) throws IOException {
        switch (f) {
            case XML -> {
                if (!xml(in)) {
                    return; // not an export at all: said as a problem, nothing claimed about events
                }
            }
            case CSV -> csv(in);
            default -> text(in);
        }
        finish("Windows event export (" + f.name().toLowerCase() + "), " + total + " events");
    }

    /** The facts of the events tallied, and the line saying what was read ({@code what}, then the pairs counted). */
    void finish(String what) {
        finish(what, what.startsWith("binary") ? "evtx" : what.replaceAll(".*\\((\\w+)\\).*", "$1"), Map.of());
    }

    /** The facts of the events tallied, the line saying what was read, and the same as fields ({@code more}: further counts). */
    void finish(String what, String format, Map<String, Long> more) {
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("events", total);
        counts.put("source_id_pairs", (long) events.size());
        counts.putAll(more);
        out.read(new org.exkb.engine.model.ReadSummary(source, org.exkb.engine.model.EvidenceKind.EVENTS, format, counts));
        for (Map.Entry<String, Agg> e : events.entrySet()) {
            String[] k = e.getKey().split("\\|", 3);
            out.fact(new WindowsEvent(k[0], k[1], Integer.parseInt(k[2]), e.getValue().count, new ArrayList<>(e.getValue().names),
                    List.of(e.getValue().firstRef), e.getValue().first, e.getValue().last));
        }
        out.examined(source + ": " + what + ", " + events.size() + " distinct source/id pairs");
    }

    /**
     * An event's data values as one message: the values that are not empty, in order, a space between;
     * line breaks and runs of blanks inside a value are one space, and control characters (which XML
     * cannot carry) are U+FFFD, so that an event reads the same from an export and from the .evtx.
     * At most 4,000 characters.
     */
    static String joined(List<String> values) {
        StringBuilder b = new StringBuilder();
        for (String v : values) {
            boolean space = b.length() > 0; // a space is owed before the next character kept
            boolean any = false;
            for (int i = 0; i < v.length() && b.length() < 4000; i++) {
                char c = v.charAt(i);
                if (Character.isWhitespace(c)) {
                    space |= any;
                    continue;
                }
                if (space) {
                    b.append(' ');
                    space = false;
                }
                b.append(c < 0x20 || c == 0x7f ? '\uFFFD' : c);
                any = true;
            }
        }
        return b.length() > 4000 ? b.substring(0, 4000) : b.toString();
    }

    void event(String computer, String src, String id, String message, String locator) {
        event(computer, src, id, message, locator, "");
    }

    /** One event; {@code time} is its SystemTime (ISO 8601 UTC, as Windows writes it), or empty. */
    void event(String computer, String src, String id, String message, String locator, String time) {
        if (each != null) {
            each.accept(new String[] {computer, src, id, message, locator});
        }
        int eventId;
        try {
            eventId = Integer.parseInt(id.strip());
        } catch (NumberFormatException e) {
            out.problem(new EvidenceProblem(source, locator, EvidenceProblem.MALFORMED, "event id '" + id + "' is not a number; event skipped"));
            return;
        }
        total++;
        String key = computer.strip() + "|" + src.strip() + "|" + eventId;
        Agg a = events.get(key);
        if (a == null) {
            if (events.size() >= 10_000) {
                return;
            }
            a = new Agg();
            a.firstRef = new EvidenceRef(source, locator, src.strip() + " " + eventId + ": " + message);
            events.put(key, a);
        }
        a.count++;
        if (!time.isEmpty()) { // ISO 8601 in UTC compares as text
            if (a.first.isEmpty() || time.compareTo(a.first) < 0) {
                a.first = time;
            }
            if (a.last.isEmpty() || time.compareTo(a.last) > 0) {
                a.last = time;
            }
        }
        if (!message.contains("CN=")) {
            return;
        }
        Matcher m = CN.matcher(message);
        while (m.find() && a.names.size() < WindowsEvent.MAX_NAMES) {
            a.names.add(m.group(1).strip());
        }
    }

    // ---- XML -------------------------------------------------------------------------------

    /** Reads the XML; false when it holds no Event element at all, which makes it something else than an export. */
    private boolean xml(BufferedReader in) throws IOException {
        XMLInputFactory f = XMLInputFactory.newFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        long events = 0;
        XMLStreamReader x = null;
        try {
            x = f.createXMLStreamReader(new Wrapped(in));
            String provider = "";
            String id = "";
            String computer = "";
            StringBuilder message = new StringBuilder();
            List<String> data = new ArrayList<>();
            StringBuilder value = null; // the text of a Data element, or of an element under UserData that may be a leaf
            int section = 0; // 1 inside EventData, 2 inside UserData
            String time = "";
            String element = "";
            int line = 0;
            String root = null;
            boolean anyEvent = false;
            while (x.hasNext()) {
                int ev = x.next();
                if (ev == XMLStreamConstants.START_ELEMENT) {
                    element = x.getLocalName();
                    if (root == null && !element.equals("kb-wrapper")) {
                        root = element;
                    }
                    anyEvent |= element.equals("Event");
                    switch (element) {
                        case "Event" -> {
                            provider = "";
                            id = "";
                            computer = "";
                            message.setLength(0);
                            data.clear();
                            section = 0;
                            time = "";
                            line = x.getLocation().getLineNumber();
                        }
                        case "EventData" -> section = 1;
                        case "UserData" -> section = 2;
                        case "TimeCreated" -> {
                            String t = x.getAttributeValue(null, "SystemTime");
                            time = t == null ? "" : t.strip();
                        }
                        case "Provider" -> {
                            String n = x.getAttributeValue(null, "Name");
                            String e = x.getAttributeValue(null, "EventSourceName");
                            provider = e != null ? e : n != null ? n : "";
                        }
                        default -> {
                            if (section == 1 && element.equals("Data") || section == 2) {
                                value = new StringBuilder();
                            }
                        }
                    }
                } else if (ev == XMLStreamConstants.CHARACTERS || ev == XMLStreamConstants.CDATA) {
                    String t = x.getText();
                    switch (element) {
                        case "EventID" -> id += t.strip();
                        case "Computer" -> computer += t.strip();
                        case "Message" -> append(message, t);
                        default -> {
                            if (value != null && value.length() < 4000) {
                                value.append(t);
                            }
                        }
                    }
                } else if (ev == XMLStreamConstants.END_ELEMENT) {
                    if (x.getLocalName().equals("Event")) {
                        events++;
                        event(computer, provider, id, message.length() > 0 ? message.toString() : joined(data),
                                "event " + events + " (line " + line + ")", time);
                    } else if (x.getLocalName().equals("EventData") || x.getLocalName().equals("UserData")) {
                        section = 0;
                    } else if (value != null && section != 0) {
                        data.add(value.toString()); // a Data element, or a leaf under UserData
                    }
                    value = null;
                    element = "";
                }
            }
            if (!anyEvent) {
                out.problem(new EvidenceProblem(source, "", EvidenceProblem.UNSUPPORTED, "an XML file without any <Event> element"
                        + (root == null ? "" : " (its root element is <" + root + ">)") + ": not a Windows event export; not read"));
                return false;
            }
        } catch (XMLStreamException e) {
            String where = e.getLocation() == null ? "" : "line " + e.getLocation().getLineNumber() + ", column " + e.getLocation().getColumnNumber();
            out.problem(new EvidenceProblem(source, where, EvidenceProblem.MALFORMED, "XML cut off or broken after " + events
                    + " complete events, which are used; the rest is not: " + e.getMessage().replaceAll("\\s+", " ")));
        } finally {
            if (x != null) {
                try {
                    x.close();
                } catch (XMLStreamException e) {
                    // nothing left to read
                }
            }
        }
        return true;
    }

    private static void append(StringBuilder b, String t) {
        if (b.length() < 4000) {
            b.append(t, 0, Math.min(t.length(), 4000 - b.length()));
        }
    }

    /** The export inside one root element: wevtutil writes events one after another without one. */
    private static final class Wrapped extends Reader {
        private final BufferedReader in;
        private Reader current;
        private int part;

        Wrapped(BufferedReader in) throws IOException {
            this.in = in;
            in.mark(256);
            char[] head = new char[256];
            int n = in.read(head);
            String h = n <= 0 ? "" : new String(head, 0, n);
            in.reset();
            if (h.startsWith("<?xml")) {
                int end = h.indexOf("?>");
                if (end > 0) {
                    in.skip(end + 2); // the declaration cannot follow the wrapper's start tag
                }
            }
            current = new StringReader("<kb-wrapper>");
        }

        @Override
        public int read(char[] buf, int off, int len) throws IOException {
            while (true) {
                int n = current.read(buf, off, len);
                if (n >= 0) {
                    return n;
                }
                if (part == 0) {
                    current = in;
                } else if (part == 1) {
                    current = new StringReader("</kb-wrapper>");
                } else {
                    return -1;
                }
                part++;
            }
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    // ---- CSV -------------------------------------------------------------------------------

    /**
     * Whether the first line of {@code text} is the header of Event Viewer's CSV or tab-delimited text
     * in another language (Ebene,Datum und Uhrzeit,Quelle,Ereignis-ID,Aufgabenkategorie; Niveau,Date et
     * heure,...): five plain names, the columns in the same order, and a first row (when the text
     * holds one) whose fourth column is an event id.
     */
    static boolean localizedCsvHeader(String text) {
        int end = text.length();
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\r' || text.charAt(i) == '\n') {
                end = i;
                break;
            }
        }
        if (end == text.length()) {
            return false; // not a whole line
        }
        String header = text.substring(0, end);
        char sep = separator(header);
        String[] names = stripSeparator(header, sep).split(sep == '\t' ? "\t" : ",", -1);
        if (names.length != 5) {
            return false;
        }
        for (String n : names) {
            if (n.isBlank() || n.length() > 40 || n.indexOf('"') >= 0 || n.chars().anyMatch(Character::isDigit)) {
                return false;
            }
        }
        String rest = text.substring(end).stripLeading();
        int rowEnd = rest.indexOf('\n');
        if (rowEnd < 0) {
            return true; // no whole first row in what was read: the header decides
        }
        String[] row = rest.substring(0, rowEnd).split(sep == '\t' ? "\t" : ",", 6);
        return row.length >= 5 && row[3].strip().matches("\\d{1,5}");
    }

    /** Event Viewer writes the same export comma-separated (.csv) or tab-delimited (.txt); the header says which. */
    static char separator(String header) {
        return header.indexOf('\t') >= 0 && header.indexOf(',') < 0 ? '\t' : ',';
    }

    private static String stripSeparator(String header, char sep) {
        String h = header;
        while (!h.isEmpty() && h.charAt(h.length() - 1) == sep) {
            h = h.substring(0, h.length() - 1);
        }
        return h;
    }

    /**
     * The columns (event id, source, computer or -1, message) of a PowerShell export: {@code Get-WinEvent
     * | Export-Csv} (Id, ProviderName, MachineName, Message) or {@code Get-EventLog | Export-Csv} (EventID,
     * Source, MachineName, Message), whose header names are quoted; null for any other header.
     */
    static int[] powershellColumns(String header) {
        if (header == null || !header.startsWith("\"")) {
            return null;
        }
        List<String> names = new ArrayList<>();
        for (String n : header.split(",", -1)) {
            names.add(n.strip().replace("\"", "").toLowerCase(java.util.Locale.ROOT));
        }
        int id = names.indexOf("eventid") >= 0 ? names.indexOf("eventid") : names.indexOf("id");
        int src = names.indexOf("providername") >= 0 ? names.indexOf("providername") : names.indexOf("source");
        int message = names.indexOf("message");
        return id < 0 || src < 0 || message < 0 ? null : new int[] {id, src, names.indexOf("machinename"), message};
    }

    /** Whether {@code text} starts like a PowerShell CSV export of events (a {@code #TYPE} line first or not). */
    static boolean powershellCsv(String text) {
        String[] lines = text.split("\r?\n", 3);
        String header = lines[0].startsWith("#TYPE") && lines.length > 1 ? lines[1] : lines[0];
        return powershellColumns(header) != null;
    }

    private void csv(BufferedReader in) throws IOException {
        String header = in.readLine();
        long lineNo = 1;
        if (header != null && header.startsWith("#TYPE")) { // Windows PowerShell's Export-Csv without -NoTypeInformation
            header = in.readLine();
            lineNo++;
        }
        char sep = header == null ? ',' : separator(header);
        columns = powershellColumns(header);
        headerText = header == null ? null : header.replace("\"", "").strip();
        if (columns != null) {
            out.examined(source + ": a PowerShell export of events (Export-Csv), read by its column names");
        } else if (header != null && !header.startsWith(CSV_HEADER) && !header.startsWith(CSV_HEADER.replace(',', '\t'))) {
            out.examined(source + ": " + (sep == '\t' ? "tab-delimited" : "CSV") + " header '" + header.replace('\t', ' ')
                    + "' read as Event Viewer's (" + CSV_HEADER.replace(",", ", ") + ", then the description), column by column");
        }
        List<String> row = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        long rowStart = 2;
        long quoteStart = 0;
        String line;
        List<String> pending = null; // a tab-delimited row whose unquoted description may go on over the next lines
        long pendingStart = 0;
        while ((line = in.readLine()) != null) {
            lineNo++;
            if (!quoted && row.isEmpty() && field.length() == 0) {
                if (pending != null && line.indexOf(sep) < 0) {
                    int last = pending.size() - 1;
                    if (pending.get(last).length() < 4000) {
                        pending.set(last, pending.get(last) + "\n" + line);
                    }
                    continue;
                }
                if (pending != null) {
                    csvRow(pending, pendingStart);
                    pending = null;
                }
                rowStart = lineNo;
                if (line.isBlank()) {
                    continue;
                }
            }
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                if (quoted) {
                    if (c == '"') {
                        if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                            field.append('"');
                            i++;
                        } else {
                            quoted = false;
                        }
                    } else if (field.length() < 4000) {
                        field.append(c);
                    }
                } else if (c == '"') {
                    quoted = true;
                    quoteStart = lineNo;
                } else if (c == sep) {
                    row.add(field.toString());
                    field.setLength(0);
                } else if (field.length() < 4000) {
                    field.append(c);
                }
            }
            if (quoted) {
                field.append('\n');
                continue;
            }
            row.add(field.toString());
            field.setLength(0);
            if (sep == '\t' && row.size() >= 5) {
                pending = new ArrayList<>(row);
                pendingStart = rowStart;
            } else {
                csvRow(row, rowStart);
            }
            row.clear();
        }
        if (pending != null) {
            csvRow(pending, pendingStart);
        }
        if (quoted) {
            out.problem(new EvidenceProblem(source, "line " + quoteStart, EvidenceProblem.MALFORMED,
                    "a quoted field opened here is never closed; the rows before it are used, this one is not"));
        }
        if (header == null) {
            out.problem(new EvidenceProblem(source, "", EvidenceProblem.EMPTY, "empty CSV file"));
        }
    }

    private void csvRow(List<String> row, long line) {
        String joined = String.join(",", row).strip();
        if (joined.startsWith("#TYPE") || headerText != null && (joined.equals(headerText)
                || String.join("\t", row).strip().equals(headerText))) {
            return; // a second export appended to the first repeats its header
        }
        if (columns != null) {
            int need = Math.max(Math.max(columns[0], columns[1]), Math.max(columns[2], columns[3])) + 1;
            if (row.size() < need) {
                out.problem(new EvidenceProblem(source, "line " + line, EvidenceProblem.MALFORMED, row.size()
                        + " columns where the header names at least " + need + "; row skipped"));
                return;
            }
            event(columns[2] >= 0 ? row.get(columns[2]) : "", row.get(columns[1]), row.get(columns[0]), row.get(columns[3]), "line " + line);
            return;
        }
        if (row.size() < 5) {
            out.problem(new EvidenceProblem(source, "line " + line, EvidenceProblem.MALFORMED, row.size()
                    + " columns where Level, Date and Time, Source, Event ID, Task Category and the description are expected; row skipped"));
            return;
        }
        event("", row.get(2), row.get(3), row.size() > 5 ? row.get(5) : "", "line " + line);
    }

    // ---- text (wevtutil /f:text) -----------------------------------------------------------

    /**
     * The labels of {@code wevtutil qe ... /f:text}, always in this order; a Windows in another
     * language translates them, and then they are read by position.
     */
    static final List<String> TEXT_LABELS = List.of("Log Name", "Source", "Date", "Event ID", "Task", "Level", "Opcode",
            "Keyword", "User", "User Name", "Computer", "Description");
    private static final Pattern EVENT_START = Pattern.compile("[^\\s\\[\\]]{1,40}\\[\\d+\\]:\\s*");

    /** Whether a line starts an event of {@code wevtutil /f:text} ("Event[0]:", or its translation). */
    static boolean textEventStart(String line) {
        return EVENT_START.matcher(line).matches();
    }

    private void text(BufferedReader in) throws IOException {
        String line;
        long lineNo = 0;
        Map<String, String> fields = new LinkedHashMap<>();
        StringBuilder description = null;
        long start = 0;
        boolean byPosition = false;
        while ((line = in.readLine()) != null) {
            lineNo++;
            if (textEventStart(line)) {
                textEvent(fields, description, start);
                fields.clear();
                description = null;
                start = lineNo;
                continue;
            }
            if (description != null) {
                append(description, line + "\n");
                continue;
            }
            int colon = line.indexOf(':');
            if (line.startsWith("  ") && colon > 0) {
                String k = line.substring(0, colon).strip();
                String v = line.substring(colon + 1).strip();
                if (fields.isEmpty() && !TEXT_LABELS.contains(k) && !byPosition && start > 0) {
                    byPosition = true;
                    out.examined(source + ": event labels not in English ('" + k + "' for Log Name): read by position ("
                            + String.join(", ", TEXT_LABELS) + ")");
                }
                if (byPosition && fields.size() < TEXT_LABELS.size()) {
                    k = TEXT_LABELS.get(fields.size());
                }
                if (k.equals("Description")) {
                    description = new StringBuilder(v);
                } else {
                    fields.putIfAbsent(k, v);
                }
            }
        }
        textEvent(fields, description, start);
    }

    private void textEvent(Map<String, String> f, StringBuilder description, long line) {
        if (f.isEmpty()) {
            return;
        }
        if (!f.containsKey("Event ID") || !f.containsKey("Source")) {
            out.problem(new EvidenceProblem(source, "line " + line, EvidenceProblem.MALFORMED, "event without Source or Event ID; skipped"));
            return;
        }
        event(f.getOrDefault("Computer", ""), f.get("Source"), f.get("Event ID"), description == null ? "" : description.toString(),
                "line " + line);
    }
}
