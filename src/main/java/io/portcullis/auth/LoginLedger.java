package io.portcullis.auth;

import io.portcullis.shared.RedisStore;
import io.portcullis.state.AtomicFile;
import io.portcullis.state.StateDirectory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last interactive login of each user the htpasswd file does not have: a single sign-on to the web catalog or
 * a directory password checked by a bind, with the groups it gave. It is what keeps such a user's tokens alive:
 * a token works while its owner has logged in within {@link #window}, with the groups of that login, so leaving
 * the identity provider or the directory ends every token within the window, and no browser session has to stay
 * open meanwhile (Harbor's CLI secret dies with the session).
 *
 * <p>Kept in the state directory ({@value #FILE}: one line per user, epoch seconds, URL-encoded name and groups),
 * written atomically under its lock and merged with what other gates wrote; a login repeats a write only after
 * {@link #COALESCE} (a tenth of a shorter window) or when the groups changed, so a busy user costs one write per ten
 * minutes at most. With several gates on one Redis the last sign-ins are also shared there ({@link SharedSignIns}),
 * so a token works on every gate, not only the one its owner signed in on.
 */
public final class LoginLedger {
    private static final Logger LOG = LoggerFactory.getLogger(LoginLedger.class);
    static final String FILE = "sign-ins.tsv";
    static final Duration COALESCE = Duration.ofMinutes(10);

    /** One user's last login. */
    public record Entry(Instant at, Set<String> groups) {
        public Entry {
            groups = Set.copyOf(groups);
        }
    }

    private final StateDirectory dir;
    private final Duration window;
    private final Clock clock;
    private final ConcurrentMap<String, Entry> entries;
    private final Optional<SharedSignIns> shared;

    private LoginLedger(StateDirectory dir, Duration window, Clock clock, Map<String, Entry> entries, Optional<SharedSignIns> shared) {
        this.shared = shared;
        this.dir = dir;
        this.window = window;
        this.clock = clock;
        this.entries = new ConcurrentHashMap<>(entries);
    }

    public static LoginLedger open(StateDirectory dir, Duration window, Clock clock) {
        return open(dir, window, clock, Optional.empty());
    }

    /** @param redis the store several gates share, when {@code redis} is set: sign-ins are shared there too */
    public static LoginLedger open(StateDirectory dir, Duration window, Clock clock, Optional<RedisStore> redis) {
        LoginLedger ledger = new LoginLedger(dir, window, clock, read(dir.resolve(FILE)),
                redis.map(r -> new SharedSignIns(r, window, clock)));
        ledger.shared.ifPresent(s -> s.follow(ledger::adopt));
        return ledger;
    }

    /** Takes the newer of each user's sign-in known here and in {@code lines} (user → a line as {@link #FILE} holds). */
    private void adopt(Map<String, String> lines) {
        parse(List.copyOf(lines.values()), SharedSignIns.SIGN_INS).forEach((user, entry) ->
                entries.merge(user, entry, (a, b) -> a.at().isAfter(b.at()) ? a : b));
    }

    public Duration window() {
        return window;
    }

    /** {@code user} logged in now with {@code groups}; call off IO threads (it may write the state file). */
    public void record(String user, Set<String> groups) {
        Instant now = clock.instant();
        Entry known = entries.get(user);
        if (known != null && known.groups().equals(Set.copyOf(groups)) && known.at().plus(coalesce()).isAfter(now)) {
            return;
        }
        Entry entry = new Entry(now, groups);
        entries.put(user, entry);
        dir.locked(FILE, () -> {
            Path file = dir.resolve(FILE);
            Map<String, Entry> merged = new TreeMap<>(read(file));
            merged.merge(user, entry, (a, b) -> a.at().isAfter(b.at()) ? a : b);
            merged.entrySet().removeIf(e -> e.getValue().at().plus(window).isBefore(now));
            try {
                AtomicFile.write(file, format(merged).getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + file, e);
            }
            return null;
        });
        shared.ifPresent(s -> s.publish(user, format(Map.of(user, entry)).replace("\n", ""), entry.at().getEpochSecond()));
    }

    /** Ten minutes, or a tenth of a short window: a login refreshes the window to within that. */
    private Duration coalesce() {
        Duration tenth = window.dividedBy(10);
        return tenth.compareTo(COALESCE) < 0 ? tenth : COALESCE;
    }

    /** The user's last login when it is within the window. */
    public Optional<Entry> current(String user) {
        Entry e = entries.get(user);
        return e != null && e.at().plus(window).isAfter(clock.instant()) ? Optional.of(e) : Optional.empty();
    }

    /** The user's last login however old, for the message that says when it was. */
    public Optional<Entry> last(String user) {
        return Optional.ofNullable(entries.get(user));
    }

    private static String format(Map<String, Entry> entries) {
        StringBuilder b = new StringBuilder();
        entries.forEach((user, e) -> b.append(e.at().getEpochSecond()).append('\t').append(encode(user)).append('\t')
                .append(String.join(",", e.groups().stream().map(LoginLedger::encode).sorted().toList())).append('\n'));
        return b.toString();
    }

    private static Map<String, Entry> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Map.of();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return parse(lines, file.toString());
    }

    private static Map<String, Entry> parse(List<String> lines, String source) {
        Map<String, Entry> entries = new HashMap<>();
        for (String line : lines) {
            String[] f = line.split("\t", -1);
            try {
                Set<String> groups = new LinkedHashSet<>();
                for (String g : f[2].isEmpty() ? new String[0] : f[2].split(",")) {
                    groups.add(URLDecoder.decode(g, StandardCharsets.UTF_8));
                }
                entries.put(URLDecoder.decode(f[1], StandardCharsets.UTF_8), new Entry(Instant.ofEpochSecond(Long.parseLong(f[0])), groups));
            } catch (RuntimeException bad) {
                // a torn line cannot happen (atomic rename); a hand-edited one is skipped, the rest still counts
                LOG.warn("{}: skipping a line that does not read as 'SECONDS<TAB>USER<TAB>GROUPS'", source);
            }
        }
        return entries;
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
