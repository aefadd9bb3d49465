package io.portcullis.maintenance;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;

/**
 * The uploads this gate started (POST answered 202 with an upload id) and that have not finished yet, with the
 * switch generation they were started under: an upload started before maintenance was turned on may go on during
 * the grace period. Bounded, and forgotten a day after their last request (the registry itself purges unfinished
 * uploads after a week, but no client resumes one after a day).
 */
final class UploadSessions {
    private record Session(long generation, long lastActivityNanos) {
    }

    private final Cache<String, Session> sessions = Caffeine.newBuilder().maximumSize(100_000)
            .expireAfterAccess(Duration.ofDays(1)).build();

    void started(String uploadId, long generation) {
        sessions.put(uploadId, new Session(generation, System.nanoTime()));
    }

    /** A request of the upload passed: it is alive. */
    void touched(String uploadId) {
        sessions.asMap().computeIfPresent(uploadId, (id, s) -> new Session(s.generation(), System.nanoTime()));
    }

    void finished(String uploadId) {
        sessions.invalidate(uploadId);
    }

    /** Whether the upload was started under an earlier generation than {@code generation} (before the switch). */
    boolean startedBefore(String uploadId, long generation) {
        Session s = sessions.getIfPresent(uploadId);
        return s != null && s.generation() < generation;
    }

    /** Uploads started before {@code generation} that sent a request within {@code alive}. */
    int activeBefore(long generation, Duration alive) {
        long now = System.nanoTime();
        int n = 0;
        for (Session s : sessions.asMap().values()) {
            if (s.generation() < generation && now - s.lastActivityNanos() < alive.toNanos()) {
                n++;
            }
        }
        return n;
    }
}
