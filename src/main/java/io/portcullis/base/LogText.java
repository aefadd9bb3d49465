package io.portcullis.base;

/** Text that comes from clients (user names, paths) made safe for one log line. */
public final class LogText {
    private static final int MAX = 256;

    private LogText() {
    }

    public static String printable(String s) {
        if (s == null) {
            return "-";
        }
        StringBuilder out = new StringBuilder(Math.min(s.length(), MAX));
        for (int i = 0; i < s.length() && i < MAX; i++) {
            char c = s.charAt(i);
            out.append(c < 0x20 || c == 0x7f || c == '"' ? '?' : c);
        }
        if (s.length() > MAX) {
            out.append("...");
        }
        return out.toString();
    }
}
