package io.portcullis.token;

import java.time.Duration;

/** Durations as people read them in messages and lists: 90d, 12h, 15m, 30s. */
final class Durations {
    private Durations() {
    }

    static String text(Duration d) {
        long s = d.getSeconds();
        if (s > 0 && s % 86400 == 0) {
            return s / 86400 + "d";
        }
        if (s > 0 && s % 3600 == 0) {
            return s / 3600 + "h";
        }
        if (s > 0 && s % 60 == 0) {
            return s / 60 + "m";
        }
        return s + "s";
    }
}
