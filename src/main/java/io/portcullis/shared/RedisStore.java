package io.portcullis.shared;

import io.portcullis.base.UserError;
import io.portcullis.config.SharedSettings;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The Redis server several gates share (Jedis). Every call is bounded: a connection has {@link #TIMEOUT} to open
 * and each reply {@link #TIMEOUT} to come; at most {@link #MAX_CALLS} threads are in Redis at once and a further
 * caller waits at most {@link #POOL_WAIT} for a connection. When a call fails the store counts as down and calls
 * fail at once, without touching the network, until the background check (every {@link #CHECK_EVERY}) gets a PING
 * answered again: so a stalled Redis (SIGSTOP) costs one timeout, not one per request, and threads never pile up.
 * Callers then use their per-gate fall-back, and pick the shared state up again when it is back (no restart).
 */
public final class RedisStore implements AutoCloseable {
    /** Redis answers a loopback or LAN call in well under a millisecond; 500 ms is a stall, not a slow reply. */
    static final Duration TIMEOUT = Duration.ofMillis(500);
    static final Duration POOL_WAIT = Duration.ofMillis(200);
    static final int MAX_CALLS = 16;
    public static final Duration CHECK_EVERY = Duration.ofMillis(250);
    /** The prefix of every key the gate writes, so one Redis can serve other things beside it. */
    public static final String PREFIX = "portcullis:";

    private static final Logger LOG = LoggerFactory.getLogger(RedisStore.class);

    private final String where;
    private final UnifiedJedis redis;
    private final ScheduledExecutorService background;
    private final List<Runnable> whileUp = new CopyOnWriteArrayList<>();
    private volatile boolean up;
    private volatile String down = "not connected yet";

    private RedisStore(String where, UnifiedJedis redis) {
        this.where = where;
        this.redis = redis;
        this.background = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "portcullis-redis");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Connects when {@code redis} is set. A Redis that does not answer at start is logged, not fatal: the gate
     * serves with per-gate state and joins the others as soon as Redis answers.
     */
    public static Optional<RedisStore> connect(SharedSettings settings) {
        if (settings.redis().isEmpty()) {
            return Optional.empty();
        }
        URI url = settings.redis().get();
        DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis((int) TIMEOUT.toMillis())
                .socketTimeoutMillis((int) TIMEOUT.toMillis())
                .database(settings.redisDatabase())
                .clientName("portcullis");
        settings.redisPasswordFile().ifPresent(file -> config.password(SecretFile.firstLine(file, "--redis-password-file")));
        if (settings.redisTls()) {
            config.ssl(true).sslSocketFactory(RedisTls.socketFactory(settings.redisCa()));
        } else if (settings.redisCa().isPresent()) {
            throw new UserError("--redis-ca is set but --redis " + url + " is not TLS; write rediss:// to use it");
        }
        GenericObjectPoolConfig<Connection> pool = new GenericObjectPoolConfig<>();
        pool.setMaxTotal(MAX_CALLS);
        pool.setMaxIdle(MAX_CALLS);
        pool.setMinIdle(0);
        pool.setBlockWhenExhausted(true);
        pool.setMaxWait(POOL_WAIT);
        pool.setJmxEnabled(false);
        RedisStore store = new RedisStore(url.getScheme() + "://" + url.getHost() + ":" + url.getPort(),
                new JedisPooled(pool, new HostAndPort(url.getHost(), url.getPort()), config.build()));
        store.check();
        if (store.up) {
            LOG.info("Sharing state with the other gates through Redis at {}", store.where);
        } else {
            LOG.warn("Redis at {} does not answer ({}): serving with per-gate throttling and state until it does",
                    store.where, store.down);
        }
        store.background.scheduleWithFixedDelay(store::checkQuietly, CHECK_EVERY.toMillis(), CHECK_EVERY.toMillis(),
                TimeUnit.MILLISECONDS);
        return Optional.of(store);
    }

    /**
     * Runs {@code call} against Redis, or returns empty at once when Redis is down, or empty when this call fails
     * (which marks it down). Blocks up to about {@link #TIMEOUT}: never call it on an IO thread.
     */
    public <T> Optional<T> call(Function<UnifiedJedis, T> call) {
        if (!up) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(call.apply(redis));
        } catch (JedisException | IllegalStateException e) {
            lost(e);
            return Optional.empty();
        }
    }

    /** Runs {@code task} on the background thread after every check that finds Redis up (resync, revocations). */
    public void whileUp(Runnable task) {
        whileUp.add(task);
    }

    public boolean isUp() {
        return up;
    }

    /** For /readyz and the log: "connected", or why not. Names no host or password. */
    public String status() {
        return up ? "connected" : "unreachable (" + down + "): per-gate limits";
    }

    private void checkQuietly() {
        try {
            check();
            if (up) {
                for (Runnable task : whileUp) {
                    task.run();
                }
            }
        } catch (RuntimeException e) {
            LOG.debug("Redis background task failed", e);
        }
    }

    private void check() {
        boolean wasUp = up;
        try {
            redis.ping();
        } catch (JedisException | IllegalStateException e) {
            lost(e);
            return;
        }
        up = true;
        if (!wasUp && !"not connected yet".equals(down)) {
            LOG.info("Redis at {} answers again: login throttling and state are shared again", where);
        }
        down = "";
    }

    private void lost(Exception e) {
        String why = e.getClass().getSimpleName();
        if (up) {
            LOG.warn("Redis at {} stopped answering ({}): per-gate throttling and the last synced state until it is back",
                    where, why);
        }
        down = why;
        up = false;
    }

    @Override
    public void close() {
        background.shutdownNow();
        redis.close();
    }
}
