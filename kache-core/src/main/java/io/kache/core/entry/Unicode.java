package io.kache.core.entry;

/**
 * Whether a string can be written as UTF-8: every surrogate is half of a pair. The same answer as
 * {@code UTF_8.newEncoder().canEncode(s)}, without encoding: manifests are checked on every hit
 * and every pulled pack, and an entry's recorded inputs run to kilobytes.
 */
final class Unicode {

    private Unicode() {
    }

    static boolean isWellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 == s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }
}
