package io.portcullis.sso;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Sessions in this process: bounded in number, each dropped when it expires. A restart signs everybody out, which
 * for a catalog is a sign-in away.
 */
public final class MemorySessionStore implements SessionStore {
    private static final long MAX_SESSIONS = 100_000;

    private final Cache<String, Session> sessions;
    private final Clock clock;

    public MemorySessionStore(Clock clock) {
        this.clock = clock;
        this.sessions = Caffeine.newBuilder()
                .maximumSize(MAX_SESSIONS)
                .expireAfter(new Expiry<String, Session>() {
                    @Override
                    public long expireAfterCreate(String id, Session s, long now) {
                        return Math.max(0, Duration.between(clock.instant(), s.expires()).toNanos());
                    }

                    @Override
                    public long expireAfterUpdate(String id, Session s, long now, long current) {
                        return expireAfterCreate(id, s, now);
                    }

                    @Override
                    public long expireAfterRead(String id, Session s, long now, long current) {
                        return current;
                    }
                })
                .executor(Runnable::run)
                .build();
    }

    @Override
    public boolean save(Session session) {
        sessions.put(session.id(), session);
        return true;
    }

    @Override
    public Optional<Session> find(String id) {
        Session s = sessions.getIfPresent(id);
        return s != null && s.expires().isAfter(clock.instant()) ? Optional.of(s) : Optional.empty();
    }

    @Override
    public void revoke(String id) {
        sessions.invalidate(id);
    }
}
