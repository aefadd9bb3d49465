package io.portcullis.sso;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Sessions in this process: bounded in number, each dropped when it expires. A restart signs everybody out, which
 * for a catalog is a sign-in away; the last sign-in per user is kept as long as the newest session would live.
 */
public final class MemorySessionStore implements SessionStore {
    private static final long MAX_SESSIONS = 100_000;

    private final Cache<String, Session> sessions;
    private final ConcurrentMap<String, Instant> lastSignIns = new ConcurrentHashMap<>();
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
    public void save(Session session) {
        sessions.put(session.id(), session);
        lastSignIns.merge(session.user(), session.signedIn(), (a, b) -> a.isAfter(b) ? a : b);
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

    @Override
    public Optional<Instant> lastSignIn(String user) {
        return Optional.ofNullable(lastSignIns.get(user));
    }
}
