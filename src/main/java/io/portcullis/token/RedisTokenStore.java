package io.portcullis.token;

import io.portcullis.base.UserError;
import io.portcullis.shared.RedisStore;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.UnaryOperator;

/**
 * Tokens in the Redis several gates share: one hash, id → the token as one line of {@link TokenFile} (hashes only,
 * never a secret), and a version counter that every change increments in the same script. Each gate keeps a copy in
 * memory that {@link #find} answers from (no Redis round trip on any request) and re-reads the hash when the
 * version moved, on the store's background check every {@link RedisStore#CHECK_EVERY}: a token created, rotated or
 * revoked on any gate or by the CLI is seen by every gate within a second.
 *
 * <p>Changes are compare-and-set scripts (the token line as read must still be there), so a rotation racing a
 * revocation cannot bring the revoked token back. Last uses are coalesced like the file store's (at most one write
 * per token per {@link TokenStore#USE_WRITE_INTERVAL}) and written by the background check.
 *
 * <p>While Redis does not answer, tokens are served from the last synced copy for {@link #SERVE_STALE_FOR}; after
 * that {@link #find} knows no token (logins with a token fail, passwords still work), because a revocation made
 * meanwhile could not be seen. Changes fail with a message saying nothing was changed.
 */
public final class RedisTokenStore implements TokenStore {
    /** How long the last synced copy is trusted without Redis; docs/several-gates.md. */
    public static final Duration SERVE_STALE_FOR = Duration.ofMinutes(5);
    static final String TOKENS = RedisStore.PREFIX + "tokens";
    static final String VERSION = RedisStore.PREFIX + "tokens:version";
    private static final String PUT = """
            local now = redis.call('HGET', KEYS[1], ARGV[1])
            if (ARGV[2] == '' and now) or (ARGV[2] ~= '' and now ~= ARGV[2]) then return 0 end
            redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
            redis.call('INCR', KEYS[2])
            return 1
            """;

    private final RedisStore redis;
    private final Clock clock;
    private final boolean owned;
    private final SecureRandom random = new SecureRandom();
    private volatile Map<String, Token> tokens = Map.of();
    private volatile String version = "";
    private volatile long syncedAt = System.nanoTime() - SERVE_STALE_FOR.toNanos() - 1;
    private final ConcurrentMap<String, Token.LastUse> pendingUses = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Instant> usesWritten = new ConcurrentHashMap<>();

    private RedisTokenStore(RedisStore redis, Clock clock, boolean owned) {
        this.redis = redis;
        this.clock = clock;
        this.owned = owned;
    }

    /**
     * @param owned whether {@link #close} closes {@code redis} (a command's own connection, not a gate's shared one)
     */
    public static RedisTokenStore open(RedisStore redis, Clock clock, boolean owned) {
        RedisTokenStore store = new RedisTokenStore(redis, clock, owned);
        store.sync();
        redis.whileUp(() -> {
            store.sync();
            store.flushUses(false);
        });
        return store;
    }

    @Override
    public Optional<Token> find(String id) {
        if (System.nanoTime() - syncedAt > SERVE_STALE_FOR.toNanos()) {
            return Optional.empty();
        }
        return Optional.ofNullable(tokens.get(id));
    }

    /**
     * One HGET (bounded by the store's timeout; on a worker thread): a token created or rotated on another gate a
     * moment ago works at once, before the next sync. Redis down: the copy in memory.
     */
    @Override
    public Optional<Token> findFresh(String id) {
        Optional<String> line = redis.call(r -> Optional.ofNullable(r.hget(TOKENS, id)).orElse(""));
        if (line.isEmpty()) {
            return find(id);
        }
        if (line.get().isEmpty()) {
            return Optional.empty();
        }
        Token fresh;
        try {
            fresh = parse(line.get());
        } catch (UserError notOurs) {
            return Optional.empty();
        }
        // kept, so the copy that serves while Redis is away has every token this gate has seen; only when the copy
        // lacks it: a copy that has it came from a sync at least as new, and must not be overwritten (a revocation)
        synchronized (this) {
            if (!tokens.containsKey(id)) {
                Map<String, Token> copy = new HashMap<>(tokens);
                copy.put(id, fresh);
                tokens = Map.copyOf(copy);
            }
        }
        return Optional.of(fresh);
    }

    @Override
    public List<Token> list() {
        if (!sync()) {
            throw unavailable("cannot list tokens");
        }
        return TokenFile.sorted(tokens);
    }

    @Override
    public IssuedToken create(TokenRequest request) {
        for (int attempt = 0; attempt < 5; attempt++) {
            TokenSecret secret = TokenSecret.generate(random);
            Token token = new Token(secret.id(), request.owner(), request.label(), request.scopes(), clock.instant(),
                    request.expires(), secret.hash(), Optional.empty(), Optional.empty(), Optional.empty());
            if (put(token.id(), "", token)) {
                return new IssuedToken(token, secret);
            }
        }
        throw new IllegalStateException("five random token ids in a row were taken");
    }

    @Override
    public Optional<Token> revoke(String id) {
        Instant now = clock.instant();
        return change(id, t -> t.revoked().isPresent() ? t : t.revokedAt(now));
    }

    @Override
    public List<Token> revokeOwner(String owner) {
        List<Token> revoked = new ArrayList<>();
        for (Token t : list()) {
            if (t.owner().equals(owner) && t.revoked().isEmpty()) {
                Instant now = clock.instant();
                change(t.id(), x -> x.revoked().isPresent() ? x : x.revokedAt(now)).ifPresent(revoked::add);
            }
        }
        return revoked;
    }

    @Override
    public Optional<IssuedToken> rotate(String id, Duration grace) {
        TokenSecret[] secret = {null};
        Optional<Token> rotated = change(id, t -> {
            if (t.revoked().isPresent()) {
                return t;
            }
            secret[0] = new TokenSecret(id, "").rotated(random);
            Instant now = clock.instant();
            return t.rotated(secret[0].hash(), now, now.plus(grace));
        });
        return rotated.filter(t -> t.revoked().isEmpty() && secret[0] != null).map(t -> new IssuedToken(t, secret[0]));
    }

    @Override
    public void recordUse(String id, String clientAddress) {
        pendingUses.put(id, new Token.LastUse(clock.instant(), clientAddress));
    }

    /** Writes due last uses; a use that meets a concurrent change is written at the next round. */
    void flushUses(boolean all) {
        Instant now = clock.instant();
        pendingUses.forEach((id, use) -> {
            Instant written = usesWritten.get(id);
            if (!all && written != null && now.isBefore(written.plus(USE_WRITE_INTERVAL))) {
                return;
            }
            Optional<String> line = redis.call(r -> r.hget(TOKENS, id));
            if (line.isEmpty()) {
                return;
            }
            Token t = parse(line.get());
            if (t.lastUsed().isPresent() && !t.lastUsed().get().at().isBefore(use.at())) {
                pendingUses.remove(id, use);
                return;
            }
            if (redis.call(r -> r.eval(PUT, List.of(TOKENS, VERSION), List.of(id, line.get(), line(t.withLastUsed(use)))))
                    .filter(Long.valueOf(1)::equals).isPresent()) {
                pendingUses.remove(id, use);
                usesWritten.put(id, now);
            }
        });
    }

    /**
     * Re-reads the tokens when the version moved.
     *
     * @return whether Redis answered
     */
    private boolean sync() {
        Optional<String> now = redis.call(r -> Optional.ofNullable(r.get(VERSION)).orElse("0"));
        if (now.isEmpty()) {
            return false;
        }
        // no version at all: a Redis that lost its data (restarted without persistence) or was never written; its
        // hash is empty or nearly so, and re-reading it drops what findFresh kept from before (versions restart at 1)
        if (!now.get().equals(version) || now.get().equals("0")) {
            Optional<Map<String, String>> all = redis.call(r -> r.hgetAll(TOKENS));
            if (all.isEmpty()) {
                return false;
            }
            Map<String, Token> read = new HashMap<>();
            all.get().forEach((id, line) -> {
                try {
                    read.put(id, parse(line));
                } catch (UserError notOurs) {
                    // a line this version cannot read counts as no token: never as a valid one
                }
            });
            synchronized (this) {
                tokens = Map.copyOf(read);
                version = now.get();
            }
        }
        syncedAt = System.nanoTime();
        return true;
    }

    private Optional<Token> change(String id, UnaryOperator<Token> edit) {
        for (int attempt = 0; attempt < 10; attempt++) {
            String before = redis.call(r -> Optional.ofNullable(r.hget(TOKENS, id)).orElse(""))
                    .orElseThrow(() -> unavailable("nothing was changed"));
            if (before.isEmpty()) {
                return Optional.empty();
            }
            Token old = parse(before);
            Token after = edit.apply(old);
            if (after.equals(old)) {
                return Optional.of(old);
            }
            if (put(id, before, after)) {
                return Optional.of(after);
            }
        }
        throw new UserError("token " + id + " kept changing under this command; try again");
    }

    /** Compare-and-set: writes {@code token} only if the stored line is still {@code expected} ("" = absent). */
    private boolean put(String id, String expected, Token token) {
        Object done = redis.call(r -> r.eval(PUT, List.of(TOKENS, VERSION), List.of(id, expected, line(token))))
                .orElseThrow(() -> unavailable("nothing was changed"));
        if (Long.valueOf(1).equals(done)) {
            sync();
            return true;
        }
        return false;
    }

    private UserError unavailable(String consequence) {
        return new UserError("Redis does not answer (" + redis.status() + "); " + consequence + ": try again when it does");
    }

    private static String line(Token token) {
        Map<String, Token> one = new LinkedHashMap<>();
        one.put(token.id(), token);
        String text = new String(TokenFile.format(one), StandardCharsets.UTF_8);
        return text.substring(text.indexOf('\n') + 1).strip();
    }

    private static Token parse(String line) {
        Map<String, Token> one = TokenFile.parse("redis " + TOKENS, (TokenFile.HEADER + "\n" + line + "\n").getBytes(StandardCharsets.UTF_8));
        if (one.size() != 1) {
            throw new UserError("redis " + TOKENS + " holds an entry that is not a token");
        }
        return one.values().iterator().next();
    }

    @Override
    public void close() {
        flushUses(true);
        if (owned) {
            redis.close();
        }
    }
}
