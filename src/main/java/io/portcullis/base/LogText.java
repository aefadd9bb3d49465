package io.portcullis.base;

/** Text that comes from clients (user names, paths) made safe for one log line. */
public final class LogText {
    private static final int MAX = 256;

    private LogText() {
    }

    public static String printable(String s) {
        return printable(s, MAX);
    }

    /** The same with another bound, for text that is worth more than a line (a registry's error body). */
    public static String printable(String s, int max) {
        if (s == null) {
            return "-";
        }
        StringBuilder out = new StringBuilder(Math.min(s.length(), max));
        for (int i = 0; i < s.length() && i < max; i++) {
            char c = s.charAt(i);
            out.append(c < 0x20 || c == 0x7f || c == '"' ? '?' : c);
        }
        if (s.length() > max) {
            out.append("...");
        }
        return out.toString();
    }
}
