package io.portcullis.maintenance;

import io.portcullis.base.UserError;
import io.portcullis.shared.RedisStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The maintenance switch in the Redis several gates share: one hash holds the mode, changed by a Lua script so two
 * {@code maintenance on} at once make one generation; another hash holds each gate's report. Gates poll the mode
 * every heartbeat (half a second), so a switch reaches every gate within a second.
 *
 * <p>While Redis does not answer, a gate keeps the mode it last read (a gate in maintenance stays in it, one that
 * was serving goes on serving) and its reports are skipped; {@code portcullis maintenance on|off} fails with a
 * message saying Redis did not answer, rather than changing some gates and not others.
 */
public final class RedisMaintenanceStore implements MaintenanceStore {
    static final String MODE = RedisStore.PREFIX + "maintenance";
    static final String REPORTS = RedisStore.PREFIX + "maintenance:gates";
    /** Reports this old belong to gates long gone: dropped when the reports are read, so the hash stays small. */
    private static final Duration FORGET_AFTER = Duration.ofMinutes(10);
    private static final String CHANGE = """
            local on = redis.call('HGET', KEYS[1], 'on') == 'true'
            local generation = tonumber(redis.call('HGET', KEYS[1], 'generation') or '0')
            if ARGV[1] == 'on' and not on then
              redis.call('HSET', KEYS[1], 'on', 'true', 'generation', generation + 1, 'since', ARGV[2])
            elseif ARGV[1] == 'off' and on then
              redis.call('HSET', KEYS[1], 'on', 'false', 'generation', generation + 1)
              redis.call('HDEL', KEYS[1], 'since')
            end
            return redis.call('HGETALL', KEYS[1])
            """;

    private final RedisStore redis;
    private final boolean owned;
    private volatile MaintenanceMode lastRead = MaintenanceMode.OFF;

    /** @param owned whether closing this store closes {@code redis} (a command's own connection) */
    public RedisMaintenanceStore(RedisStore redis, boolean owned) {
        this.redis = redis;
        this.owned = owned;
    }

    @Override
    public MaintenanceMode mode() {
        Optional<Map<String, String>> fields = redis.call(r -> r.hgetAll(MODE));
        fields.ifPresent(f -> lastRead = parse(f));
        return lastRead;
    }

    @Override
    public MaintenanceMode switchOn(Instant now) {
        return change("on", now);
    }

    @Override
    public MaintenanceMode switchOff() {
        return change("off", Instant.now());
    }

    private MaintenanceMode change(String how, Instant now) {
        Object reply = redis.call(r -> r.eval(CHANGE, List.of(MODE), List.of(how, now.toString())))
                .orElseThrow(() -> new UserError("Redis does not answer (" + redis.status()
                        + "); the maintenance switch was not changed: try again when it does"));
        List<?> flat = (List<?>) reply;
        Map<String, String> fields = new java.util.HashMap<>();
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            fields.put(String.valueOf(flat.get(i)), String.valueOf(flat.get(i + 1)));
        }
        MaintenanceMode mode = parse(fields);
        lastRead = mode;
        return mode;
    }

    @Override
    public void report(GateReport report) {
        redis.call(r -> r.hset(REPORTS, report.gate(), report.generation() + " " + report.pendingWrites() + " " + report.at()));
    }

    @Override
    public void withdraw(String gate) {
        redis.call(r -> r.hdel(REPORTS, gate));
    }

    @Override
    public List<GateReport> reports() {
        Map<String, String> all = redis.call(r -> r.hgetAll(REPORTS))
                .orElseThrow(() -> new UserError("Redis does not answer (" + redis.status() + "); cannot read the gates' reports"));
        List<GateReport> found = new ArrayList<>();
        Instant forget = Instant.now().minus(FORGET_AFTER);
        for (Map.Entry<String, String> e : all.entrySet()) {
            String[] parts = e.getValue().split(" ");
            try {
                GateReport report = new GateReport(e.getKey(), Long.parseLong(parts[0]), Integer.parseInt(parts[1]), Instant.parse(parts[2]));
                if (report.at().isBefore(forget)) {
                    redis.call(r -> r.hdel(REPORTS, e.getKey()));
                } else {
                    found.add(report);
                }
            } catch (RuntimeException notOurs) {
                // not a report this version writes: nothing a gate said
            }
        }
        return found;
    }

    private static MaintenanceMode parse(Map<String, String> fields) {
        if (fields.isEmpty()) {
            return MaintenanceMode.OFF;
        }
        boolean on = "true".equals(fields.get("on"));
        long generation = Long.parseLong(fields.getOrDefault("generation", "0"));
        Optional<Instant> since = on && fields.containsKey("since") ? Optional.of(Instant.parse(fields.get("since"))) : Optional.empty();
        return new MaintenanceMode(on, generation, since);
    }

    @Override
    public void close() {
        if (owned) {
            redis.close();
        }
    }
}
