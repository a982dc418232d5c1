package io.kache.core.hash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * {@link FileIdentity} and {@link FileChecksum} compare by hand (a record's own equals costs a fresh
 * JVM an invokedynamic bootstrap): equal exactly when every field is, with equal hash codes.
 */
class IdentityEqualityProperties {

    @Property
    void identitiesAreEqualExactlyWhenEveryFieldIs(@ForAll long dev, @ForAll long ino, @ForAll long size,
            @ForAll long mtime, @ForAll long ctime, @ForAll @IntRange(min = 0, max = 4) int changed, @ForAll long other) {
        FileIdentity a = new FileIdentity(dev, ino, size, mtime, ctime);
        FileIdentity same = new FileIdentity(dev, ino, size, mtime, ctime);
        assertEquals(a, same);
        assertEquals(a.hashCode(), same.hashCode());
        long[] f = {dev, ino, size, mtime, ctime};
        if (f[changed] == other) {
            return;
        }
        f[changed] = other;
        assertNotEquals(a, new FileIdentity(f[0], f[1], f[2], f[3], f[4]), "field " + changed + " differs");
        assertNotEquals(a, null);
        assertNotEquals(a, new FileChecksum(size, 0));
    }

    @Property
    void checksumsAreEqualExactlyWhenSizeAndCrcAre(@ForAll long size, @ForAll int crc, @ForAll long otherSize,
            @ForAll int otherCrc) {
        FileChecksum a = new FileChecksum(size, crc);
        assertEquals(a, new FileChecksum(size, crc));
        assertEquals(a.hashCode(), new FileChecksum(size, crc).hashCode());
        assertEquals(size == otherSize && crc == otherCrc, a.equals(new FileChecksum(otherSize, otherCrc)));
    }
}
