package org.exkb.engine.collect.logs;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Small open-addressing tables for the byte-level log reader: they count and group by byte ranges
 * of a line without making a String per line.
 */
final class ByteKeys {
    private ByteKeys() {
    }

    private static final java.lang.invoke.VarHandle LONGS =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

    /** A 64-bit hash of {@code a[from, to)}: eight bytes per multiply, then MurmurHash3's fmix64 avalanche. */
    static long hash(byte[] a, int from, int to) {
        long h = 0x9e3779b97f4a7c15L ^ (to - from);
        int i = from;
        for (; i + 8 <= to; i += 8) {
            h = Long.rotateLeft((h ^ (long) LONGS.get(a, i)) * 0xff51afd7ed558ccdL, 29);
        }
        long t = 0;
        for (int shift = 0; i < to; i++, shift += 8) {
            t |= (a[i] & 0xffL) << shift;
        }
        return mix((h ^ t) * 0xc4ceb9fe1a85ec53L);
    }

    static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }

    /**
     * A set of 64-bit hashes: counts distinct byte strings (device ids). Two different ids with the
     * same 64-bit hash would count once; for the hundreds of thousands of devices a log can hold,
     * the odds of that are below one in a billion.
     */
    static final class LongSet implements java.io.Serializable {
        private long[] slots = new long[16];
        private int size;
        private boolean zero;

        boolean add(long h) {
            if (h == 0) {
                if (zero) {
                    return false;
                }
                zero = true;
                size++;
                return true;
            }
            int mask = slots.length - 1;
            int i = (int) h & mask;
            while (true) {
                long s = slots[i];
                if (s == h) {
                    return false;
                }
                if (s == 0) {
                    slots[i] = h;
                    if (++size * 2 > slots.length) {
                        grow();
                    }
                    return true;
                }
                i = (i + 1) & mask;
            }
        }

        /** About the memory this holds, in bytes. */
        long bytes() {
            return 8L * slots.length + 32;
        }

        int size() {
            return size;
        }

        /** Calls {@code each} with every member, in no particular order. */
        void forEach(java.util.function.LongConsumer each) {
            if (zero) {
                each.accept(0);
            }
            for (long h : slots) {
                if (h != 0) {
                    each.accept(h);
                }
            }
        }

        private void grow() {
            long[] old = slots;
            slots = new long[old.length * 2];
            int mask = slots.length - 1;
            for (long h : old) {
                if (h != 0) {
                    int i = (int) h & mask;
                    while (slots[i] != 0) {
                        i = (i + 1) & mask;
                    }
                    slots[i] = h;
                }
            }
        }
    }

    /**
     * Byte strings to small ids, in the order first seen, with the bytes compared (no collisions);
     * at most {@code cap} of them (then {@link #id} answers -1 for new ones).
     */
    static final class Interner implements java.io.Serializable {
        private final int cap;
        private long[] hashes = new long[64];
        private int[] ids = new int[64];
        private final List<byte[]> keys = new ArrayList<>();
        private final List<String> names = new ArrayList<>();

        Interner(int cap) {
            this.cap = cap;
            Arrays.fill(ids, -1);
        }

        int id(byte[] a, int from, int to) {
            long h = hash(a, from, to);
            int mask = ids.length - 1;
            int i = (int) h & mask;
            while (true) {
                int id = ids[i];
                if (id < 0) {
                    if (keys.size() >= cap) {
                        return -1;
                    }
                    id = keys.size();
                    byte[] k = Arrays.copyOfRange(a, from, to);
                    keys.add(k);
                    names.add(new String(k, StandardCharsets.UTF_8));
                    ids[i] = id;
                    hashes[i] = h;
                    if (keys.size() * 2 > ids.length) {
                        grow();
                    }
                    return id;
                }
                if (hashes[i] == h && Arrays.equals(keys.get(id), 0, keys.get(id).length, a, from, to)) {
                    return id;
                }
                i = (i + 1) & mask;
            }
        }

        int id(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            return id(b, 0, b.length);
        }

        String name(int id) {
            return names.get(id);
        }

        byte[] key(int id) {
            return keys.get(id);
        }

        int size() {
            return keys.size();
        }

        private void grow() {
            long[] oldH = hashes;
            int[] oldI = ids;
            hashes = new long[oldH.length * 2];
            ids = new int[oldI.length * 2];
            Arrays.fill(ids, -1);
            int mask = ids.length - 1;
            for (int j = 0; j < oldI.length; j++) {
                if (oldI[j] >= 0) {
                    int i = (int) oldH[j] & mask;
                    while (ids[i] >= 0) {
                        i = (i + 1) & mask;
                    }
                    ids[i] = oldI[j];
                    hashes[i] = oldH[j];
                }
            }
        }
    }

    /** Pairs of longs to indexes 0, 1, 2... in the order first seen. */
    static final class PairIndex {
        private long[] as = new long[64];
        private long[] bs = new long[64];
        private int[] ids = new int[64];
        private int size;

        PairIndex() {
            Arrays.fill(ids, -1);
        }

        /** The index of (a, b), or -1 when it is new; {@link #put} then gives it the next index. */
        int get(long a, long b) {
            int mask = ids.length - 1;
            int i = slot(a, b) & mask;
            while (true) {
                int id = ids[i];
                if (id < 0) {
                    return -1;
                }
                if (as[i] == a && bs[i] == b) {
                    return id;
                }
                i = (i + 1) & mask;
            }
        }

        int put(long a, long b) {
            int mask = ids.length - 1;
            int i = slot(a, b) & mask;
            while (ids[i] >= 0) {
                i = (i + 1) & mask;
            }
            as[i] = a;
            bs[i] = b;
            ids[i] = size;
            if (++size * 2 > ids.length) {
                grow();
            }
            return size - 1;
        }

        int size() {
            return size;
        }

        private static int slot(long a, long b) {
            return (int) mix(a * 0x9e3779b97f4a7c15L + b);
        }

        private void grow() {
            long[] oa = as;
            long[] ob = bs;
            int[] oi = ids;
            as = new long[oa.length * 2];
            bs = new long[ob.length * 2];
            ids = new int[oi.length * 2];
            Arrays.fill(ids, -1);
            int mask = ids.length - 1;
            for (int j = 0; j < oi.length; j++) {
                if (oi[j] >= 0) {
                    int i = slot(oa[j], ob[j]) & mask;
                    while (ids[i] >= 0) {
                        i = (i + 1) & mask;
                    }
                    as[i] = oa[j];
                    bs[i] = ob[j];
                    ids[i] = oi[j];
                }
            }
        }
    }

    /**
     * 64-bit hashes to ids 0, 1, 2... in the order first seen, each with two words of state that
     * its user keeps there (so that one cache line holds the hash, the id and the state). Same
     * collision odds as {@link LongSet}; at most {@code cap} ids. Hash 0 is taken as 1 (both stand
     * for the same key, as any two colliding hashes do).
     */
    static final class HashIds implements java.io.Serializable {
        private static final long serialVersionUID = 1L;
        private static final int W = 4; // words per slot: hash, id, state a, state b
        private final int cap;
        /** The table, while ids are given out; a settled part travels with {@link #hashes} only (what its sets' ids stand for). */
        private transient long[] slots = new long[W * 1024];
        private int size;
        private long[] hashes = new long[64];

        private void writeObject(java.io.ObjectOutputStream out) throws java.io.IOException {
            hashes = Arrays.copyOf(hashes, Math.max(size, 1));
            out.defaultWriteObject();
        }

        HashIds(int cap) {
            this.cap = cap;
        }

        /** The slot of a hash, adding it with the next id if new; -1 when {@code cap} ids were given out. Valid until the next call. */
        int slot(long h) {
            if (h == 0) {
                h = 1;
            }
            long[] t = slots;
            int mask = t.length / W - 1;
            int i = (int) h & mask;
            while (true) {
                long s = t[W * i];
                if (s == h) {
                    return i;
                }
                if (s == 0) {
                    if (size >= cap) {
                        return -1;
                    }
                    t[W * i] = h;
                    t[W * i + 1] = next(h);
                    if (size * 2 > t.length / W) {
                        grow();
                        return slot(h);
                    }
                    return i;
                }
                i = (i + 1) & mask;
            }
        }

        int id(long h) {
            int i = slot(h);
            return i < 0 ? -1 : idAt(i);
        }

        int idAt(int slot) {
            return (int) slots[W * slot + 1];
        }

        long a(int slot) {
            return slots[W * slot + 2];
        }

        void a(int slot, long v) {
            slots[W * slot + 2] = v;
        }

        long b(int slot) {
            return slots[W * slot + 3];
        }

        void b(int slot, long v) {
            slots[W * slot + 3] = v;
        }

        /** Calls {@code each} with the id and the state of every key, in no particular order. */
        void forEach(Each each) {
            long[] t = slots;
            for (int j = 0; j < t.length; j += W) {
                if (t[j] != 0) {
                    each.accept((int) t[j + 1], t[j + 2], t[j + 3]);
                }
            }
        }

        interface Each {
            void accept(int id, long a, long b);
        }

        /** The hash an id stands for. */
        long hash(int id) {
            return hashes[id];
        }

        /** How many ids were given out. */
        int size() {
            return size;
        }

        private int next(long h) {
            if (size == hashes.length) {
                hashes = Arrays.copyOf(hashes, size * 2);
            }
            hashes[size] = h;
            return size++;
        }

        private void grow() {
            long[] old = slots;
            long[] t = new long[old.length * 2];
            int mask = t.length / W - 1;
            for (int j = 0; j < old.length; j += W) {
                if (old[j] != 0) {
                    int i = (int) old[j] & mask;
                    while (t[W * i] != 0) {
                        i = (i + 1) & mask;
                    }
                    System.arraycopy(old, j, t, W * i, W);
                }
            }
            slots = t;
        }
    }

    /**
     * A set of ids from {@link HashIds}: a small hash set while it is sparse, a bitset once that is
     * smaller (a group with 50,000 devices fits in 6 KB and stays in cache).
     */
    static final class IdSet implements java.io.Serializable {
        private int[] small = new int[8]; // open addressing, -1 empty; null once a bitset
        private long[] bits;
        private int size;

        IdSet() {
            Arrays.fill(small, -1);
        }

        boolean add(int id) {
            if (bits != null) {
                int w = id >>> 6;
                if (w >= bits.length) {
                    bits = Arrays.copyOf(bits, Math.max(w + 1, bits.length * 2));
                }
                long m = 1L << id;
                if ((bits[w] & m) != 0) {
                    return false;
                }
                bits[w] |= m;
                size++;
                return true;
            }
            int mask = small.length - 1;
            int i = (id * 0x9e3779b9) >>> 8 & mask;
            while (true) {
                int s = small[i];
                if (s == id) {
                    return false;
                }
                if (s < 0) {
                    small[i] = id;
                    size++;
                    if (size * 2 > small.length) {
                        grow(id);
                    }
                    return true;
                }
                i = (i + 1) & mask;
            }
        }

        int size() {
            return size;
        }

        /** Calls {@code each} with every member. */
        void forEach(java.util.function.IntConsumer each) {
            if (bits != null) {
                for (int w = 0; w < bits.length; w++) {
                    long x = bits[w];
                    while (x != 0) {
                        each.accept(w * 64 + Long.numberOfTrailingZeros(x));
                        x &= x - 1;
                    }
                }
            } else {
                for (int s : small) {
                    if (s >= 0) {
                        each.accept(s);
                    }
                }
            }
        }

        private void grow(int latest) {
            int[] old = small;
            int max = latest;
            for (int s : old) {
                max = Math.max(max, s);
            }
            if ((long) old.length * 2 * 32 >= max + 64) { // a bitset up to the largest id is no bigger: switch
                bits = new long[(max >>> 6) + 1];
                size = 0;
                small = null;
                for (int s : old) {
                    if (s >= 0) {
                        add(s);
                    }
                }
                return;
            }
            small = new int[old.length * 2];
            Arrays.fill(small, -1);
            size = 0;
            for (int s : old) {
                if (s >= 0) {
                    add(s);
                }
            }
        }
    }

    /** Counts per long key (Ping durations in seconds) without boxing. */
    static final class LongCounts implements java.io.Serializable {
        private static final long EMPTY = Long.MIN_VALUE;
        private long[] keys = new long[16];
        private long[] counts = new long[16];
        private int size;

        LongCounts() {
            Arrays.fill(keys, EMPTY);
        }

        /** Adds {@code n} to the key's count; a new key only while there are fewer than {@code cap}. */
        void add(long key, long n, int cap) {
            int mask = keys.length - 1;
            int i = (int) mix(key) & mask;
            while (keys[i] != EMPTY && keys[i] != key) {
                i = (i + 1) & mask;
            }
            if (keys[i] == EMPTY) {
                if (size >= cap || key == EMPTY) {
                    return;
                }
                keys[i] = key;
                size++;
            }
            counts[i] += n;
            if (size * 2 > keys.length) {
                grow();
            }
        }

        long get(long key) {
            int mask = keys.length - 1;
            int i = (int) mix(key) & mask;
            while (keys[i] != EMPTY) {
                if (keys[i] == key) {
                    return counts[i];
                }
                i = (i + 1) & mask;
            }
            return 0;
        }

        /** About the memory this holds, in bytes. */
        long bytes() {
            return 16L * keys.length + 48;
        }

        int size() {
            return size;
        }

        /** Calls {@code each} with every key and its count. */
        void forEach(java.util.function.LongBinaryOperator each) {
            for (int i = 0; i < keys.length; i++) {
                if (keys[i] != EMPTY) {
                    each.applyAsLong(keys[i], counts[i]);
                }
            }
        }

        private void grow() {
            long[] ok = keys;
            long[] oc = counts;
            keys = new long[ok.length * 2];
            counts = new long[ok.length * 2];
            Arrays.fill(keys, EMPTY);
            int mask = keys.length - 1;
            for (int j = 0; j < ok.length; j++) {
                if (ok[j] != EMPTY) {
                    int i = (int) mix(ok[j]) & mask;
                    while (keys[i] != EMPTY) {
                        i = (i + 1) & mask;
                    }
                    keys[i] = ok[j];
                    counts[i] = oc[j];
                }
            }
        }
    }
}
