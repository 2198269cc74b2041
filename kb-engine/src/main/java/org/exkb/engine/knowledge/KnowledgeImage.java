package org.exkb.engine.knowledge;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * The knowledge of one resource root (a jar or a classes folder) in a compact binary form, written at
 * build time next to the YAML it is made from ({@code kb/knowledge.image}; kb-rules' build runs
 * {@link #main}). Reading it takes milliseconds, where parsing the YAML with Jackson and SnakeYAML
 * takes about 0.1-0.15 s of CPU on a cold start.
 *
 * <p>The YAML stays the source: the image records the CRC-32 of every file it was made from, and it
 * is used only when the class path holds exactly that one root's knowledge files, unchanged. Anything
 * else (a second knowledge jar, a rule folder, YAML edited after the build, a damaged image) reads the
 * YAML as before.
 */
public final class KnowledgeImage {
    static final String NAME = "kb/knowledge.image";
    /** The knowledge files of a root besides its documents; any of them may be absent. */
    static final List<String> FIXED = List.of("catalog.yaml", "devices.yaml", "symptoms.yaml", "questions.yaml");
    private static final int MAGIC = 0x6b62696d; // "kbim"
    private static final int VERSION = 1;
    private static final long ABSENT = -1;

    private KnowledgeImage() {
    }

    /** Writes {@code kb/knowledge.image} into a classes folder that holds {@code kb/catalog.yaml}. */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: KnowledgeImage CLASSES_DIR");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        if (!Files.isRegularFile(dir.resolve("kb/catalog.yaml"))) {
            return; // no knowledge here
        }
        Vocabulary.write(dir);
        try (URLClassLoader only = new URLClassLoader(new URL[] {dir.toUri().toURL()}, null)) {
            Knowledge k = Knowledge.fromYaml(only);
            URL root = new URL(dir.toUri().toURL(), "kb/");
            try (OutputStream out = Files.newOutputStream(dir.resolve(NAME))) {
                write(k, root, out);
            }
        }
    }

    /** Writes the image of {@code k}, which was read from the knowledge files under {@code root} (a {@code kb/} URL). */
    static void write(Knowledge k, URL root, OutputStream target) throws IOException {
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(body);
        List<String> files = new ArrayList<>(FIXED);
        k.ids().forEach(id -> {
            files.addAll(Knowledge.documentFiles(id));
            files.add(Knowledge.questionFile(id));
        });
        out.writeInt(files.size());
        for (String f : files) {
            writeString(out, f);
            out.writeLong(crc(new URL(root, f)));
        }
        List<Object> docs = new ArrayList<>();
        k.ids().forEach(id -> docs.add(k.doc(id).orElseThrow()));
        writeValue(out, LIST_OF_DOCS, docs);
        writeValue(out, LIST_OF_DEVICES, new ArrayList<Object>(k.devices().all()));
        writeValue(out, LIST_OF_SYMPTOMS, new ArrayList<Object>(k.symptoms().all()));
        writeValue(out, LIST_OF_QUESTIONS, new ArrayList<Object>(k.questions().values()));
        out.flush();
        DataOutputStream head = new DataOutputStream(new BufferedOutputStream(target));
        head.writeInt(MAGIC);
        head.writeInt(VERSION);
        CRC32 c = new CRC32();
        c.update(body.toByteArray());
        head.writeLong(c.getValue()); // the image's own check: a damaged image is never half-read
        head.writeInt(body.size());
        body.writeTo(head);
        head.flush();
    }

    /**
     * The knowledge from the image of the one root that {@code cl} finds knowledge in, or null when
     * there is no usable image (see the class comment): the caller then reads the YAML.
     */
    static Knowledge read(ClassLoader cl) {
        try {
            List<URL> catalogs = Collections.list(cl.getResources("kb/catalog.yaml"));
            if (catalogs.size() != 1) {
                return null;
            }
            URL root = new URL(catalogs.get(0), "./");
            byte[] body;
            try (DataInputStream head = new DataInputStream(new BufferedInputStream(new URL(root, "knowledge.image").openStream()))) {
                if (head.readInt() != MAGIC || head.readInt() != VERSION) {
                    return null;
                }
                long crc = head.readLong();
                int size = head.readInt();
                if (size < 0 || size > 1 << 26) {
                    return null;
                }
                body = head.readNBytes(size);
                CRC32 c = new CRC32();
                c.update(body);
                if (body.length != size || c.getValue() != crc || head.read() != -1) {
                    return null;
                }
            }
            try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(body))) {
                int files = in.readInt();
                if (files < FIXED.size() || files > 10_000) {
                    return null;
                }
                for (int i = 0; i < files; i++) {
                    String f = readString(in);
                    long crc = in.readLong();
                    List<URL> found = Collections.list(cl.getResources("kb/" + f));
                    if (crc == ABSENT ? !found.isEmpty()
                            : found.size() != 1 || !found.get(0).toString().equals(new URL(root, f).toString()) || crc(found.get(0)) != crc) {
                        return null; // another root adds to it, or the YAML changed since the image was made
                    }
                }
                Map<String, EntryDoc> docs = new LinkedHashMap<>();
                for (Object d : (List<?>) readValue(in, LIST_OF_DOCS)) {
                    docs.put(((EntryDoc) d).id(), (EntryDoc) d);
                }
                return new Knowledge(docs, cast(readValue(in, LIST_OF_DEVICES)), cast(readValue(in, LIST_OF_SYMPTOMS)),
                        cast(readValue(in, LIST_OF_QUESTIONS)));
            }
        } catch (IOException | RuntimeException | ReflectiveOperationException e) {
            return null; // no image, or not one this version reads: the YAML decides
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> List<T> cast(Object list) {
        return (List<T>) list;
    }

    private static long crc(URL file) throws IOException {
        try (InputStream in = file.openStream()) {
            CRC32 c = new CRC32();
            c.update(in.readAllBytes());
            return c.getValue();
        } catch (java.io.FileNotFoundException | java.nio.file.NoSuchFileException e) {
            return ABSENT;
        }
    }

    // ---- values: strings, Boolean, Integer, lists and records of them ----------------------------

    private static final Type LIST_OF_DOCS = listOf(EntryDoc.class);
    private static final Type LIST_OF_DEVICES = listOf(DeviceDef.class);
    private static final Type LIST_OF_SYMPTOMS = listOf(SymptomDef.class);
    private static final Type LIST_OF_QUESTIONS = listOf(QuestionDef.class);

    private static Type listOf(Class<?> element) {
        return new ParameterizedType() {
            @Override
            public Type[] getActualTypeArguments() {
                return new Type[] {element};
            }

            @Override
            public Type getRawType() {
                return List.class;
            }

            @Override
            public Type getOwnerType() {
                return null;
            }
        };
    }

    /** Whether a record component is data (a derived one, such as compiled patterns, is made again by the constructor). */
    private static boolean stored(Type t) {
        if (t == String.class || t == Boolean.class || t == Integer.class) {
            return true;
        }
        if (t instanceof Class<?> c) {
            return c.isRecord();
        }
        return t instanceof ParameterizedType p && p.getRawType() == List.class && stored(p.getActualTypeArguments()[0]);
    }

    private static void writeValue(DataOutputStream out, Type t, Object v) throws IOException {
        if (t == String.class) {
            out.writeBoolean(v != null);
            if (v != null) {
                writeString(out, (String) v);
            }
        } else if (t == Boolean.class) {
            out.writeByte(v == null ? 0 : (Boolean) v ? 2 : 1);
        } else if (t == Integer.class) {
            out.writeBoolean(v != null);
            if (v != null) {
                out.writeInt((Integer) v);
            }
        } else if (t instanceof ParameterizedType p) {
            List<?> list = (List<?>) v;
            out.writeInt(list == null ? -1 : list.size());
            if (list != null) {
                for (Object e : list) {
                    writeValue(out, p.getActualTypeArguments()[0], e);
                }
            }
        } else {
            Class<?> c = (Class<?>) t;
            out.writeBoolean(v != null);
            if (v != null) {
                for (RecordComponent rc : c.getRecordComponents()) {
                    if (stored(rc.getGenericType())) {
                        try {
                            writeValue(out, rc.getGenericType(), rc.getAccessor().invoke(v));
                        } catch (ReflectiveOperationException e) {
                            throw new IOException("cannot read " + c.getSimpleName() + "." + rc.getName() + ": " + e, e);
                        }
                    }
                }
            }
        }
    }

    private static Object readValue(DataInputStream in, Type t) throws IOException, ReflectiveOperationException {
        if (t == String.class) {
            return in.readBoolean() ? readString(in) : null;
        }
        if (t == Boolean.class) {
            int b = in.readByte();
            return b == 0 ? null : b == 2;
        }
        if (t == Integer.class) {
            return in.readBoolean() ? in.readInt() : null;
        }
        if (t instanceof ParameterizedType p) {
            int n = in.readInt();
            if (n < 0) {
                return null;
            }
            if (n > 100_000) {
                throw new IOException("list of " + n + " entries");
            }
            List<Object> list = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                list.add(readValue(in, p.getActualTypeArguments()[0]));
            }
            return list;
        }
        Class<?> c = (Class<?>) t;
        if (!in.readBoolean()) {
            return null;
        }
        RecordComponent[] rcs = c.getRecordComponents();
        Class<?>[] types = new Class<?>[rcs.length];
        Object[] args = new Object[rcs.length];
        for (int i = 0; i < rcs.length; i++) {
            types[i] = rcs[i].getType();
            args[i] = stored(rcs[i].getGenericType()) ? readValue(in, rcs[i].getGenericType()) : null;
        }
        Constructor<?> canonical = c.getDeclaredConstructor(types);
        return canonical.newInstance(args);
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readString(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > 1 << 24) {
            throw new IOException("string of " + n + " bytes");
        }
        byte[] b = in.readNBytes(n);
        if (b.length < n) {
            throw new java.io.EOFException("string cut after " + b.length + " of " + n + " bytes");
        }
        return new String(b, StandardCharsets.UTF_8);
    }
}
