package io.portcullis.auth;

import io.portcullis.base.TextFile;
import io.portcullis.base.UserError;
import io.portcullis.base.LogText;
import io.portcullis.token.Owners;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The users of an htpasswd file: user name to stored hash, its {@link HashScheme} recognised at load. The file is
 * only ever read (the gate must work with a read-only mount). Errors name the file and line and never echo a
 * hash or a plain-text password.
 */
public final class Htpasswd {
    private static final Logger LOG = LoggerFactory.getLogger(Htpasswd.class);
    private final String fileName;
    private final Map<String, PasswordHash> hashes;
    private final int typicalCost;
    private final int highestCost;

    private Htpasswd(String fileName, Map<String, PasswordHash> hashes, int typicalCost, int highestCost) {
        this.fileName = fileName;
        this.hashes = Map.copyOf(hashes);
        this.typicalCost = typicalCost;
        this.highestCost = highestCost;
    }

    public static Htpasswd load(Path file) {
        return parse(file.toString(), TextFile.read(file, "htpasswd file",
                "create it with `portcullis htpasswd USER --file " + file + "` or point --htpasswd at yours"));
    }

    static Htpasswd parse(String fileName, List<String> lines) {
        Map<String, PasswordHash> hashes = new HashMap<>();
        Map<String, Integer> firstLine = new HashMap<>();
        Map<Integer, Integer> costs = new HashMap<>();
        for (TextFile.Line numbered : TextFile.content(lines)) {
            String line = numbered.text();
            int lineNo = numbered.number();
            String where = "htpasswd file " + fileName + " line " + lineNo;
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new UserError(where + ": expected 'user:hash'");
            }
            String user = line.substring(0, colon);
            String hash = line.substring(colon + 1);
            if (!user.chars().allMatch(c -> c > 0x20 && c != 0x7f)) {
                throw new UserError(where + ": the user name contains spaces or control characters");
            }
            if (Owners.looksLikeRobot(user)) {
                // robot+NAME is a token owner's name: a user spelled so could log in as the robot's tokens' owner
                LOG.warn("{}: user '{}' is ignored: names starting with '{}' belong to token robots; rename the user",
                        where, LogText.printable(user), Owners.ROBOT_PREFIX);
                continue;
            }
            Integer earlier = firstLine.putIfAbsent(user, lineNo);
            if (earlier != null) {
                throw new UserError(where + ": user '" + user + "' is listed again (first on line " + earlier + "); keep one entry");
            }
            Optional<PasswordHash> parsed = PasswordHash.parse(hash);
            if (parsed.isEmpty()) {
                throw new UserError(where + ": user '" + user + "' has " + describe(hash)
                        + ": recreate it with `portcullis htpasswd " + user + "` or `htpasswd -B`");
            }
            hashes.put(user, parsed.get());
            if (parsed.get().scheme() == HashScheme.BCRYPT) {
                costs.merge(BcryptHash.cost(hash), 1, Integer::sum);
            }
        }
        int typicalCost = costs.entrySet().stream()
                .max(Map.Entry.<Integer, Integer>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
                .map(Map.Entry::getKey).orElse(BcryptHash.DEFAULT_COST);
        int highestCost = costs.keySet().stream().max(Integer::compare).orElse(BcryptHash.DEFAULT_COST);
        return new Htpasswd(fileName, hashes, typicalCost, highestCost);
    }

    /** Only reached for entries no scheme accepts; says which kind without quoting any of it. */
    private static String describe(String hash) {
        if (hash.startsWith("$2")) {
            return "a malformed bcrypt hash";
        }
        if (hash.startsWith("$apr1$") || hash.startsWith("$1$")) {
            return "a malformed MD5 hash";
        }
        if (hash.startsWith("{SHA}")) {
            return "a malformed SHA-1 hash";
        }
        if (hash.startsWith("$5$") || hash.startsWith("$6$")) {
            return "a malformed SHA-crypt hash";
        }
        if (hash.isEmpty()) {
            return "an empty password";
        }
        return "a plain-text password or an unknown hash format (plain-text passwords are refused; "
                + "accepted: bcrypt, MD5 $apr1$, {SHA}, $5$, $6$, DES crypt)";
    }

    public Optional<String> hashOf(String user) {
        return entryOf(user).map(PasswordHash::encoded);
    }

    /** The user's hash with its scheme, to verify a password against. */
    public Optional<PasswordHash> entryOf(String user) {
        return Optional.ofNullable(hashes.get(user));
    }

    /** The user names, for reporting what a reload changed. */
    public Set<String> users() {
        return hashes.keySet();
    }

    /**
     * A one-line warning naming the users whose entries are not bcrypt, or nothing when all are. The file name is
     * the one it was loaded from.
     */
    public Optional<String> weakFormatWarning() {
        SortedMap<String, HashScheme> weak = new TreeMap<>();
        hashes.forEach((user, hash) -> {
            if (hash.scheme().weak()) {
                weak.put(user, hash.scheme());
            }
        });
        if (weak.isEmpty()) {
            return Optional.empty();
        }
        String formats = weak.values().stream().sorted().map(HashScheme::label).distinct().collect(Collectors.joining(", "));
        return Optional.of("htpasswd " + fileName + ": " + (weak.size() == 1 ? "user " : "users ")
                + weak.keySet().stream().map(LogText::printable).collect(Collectors.joining(", "))
                + (weak.size() == 1 ? " uses a weak hash format (" : " use weak hash formats (") + formats
                + "); re-create them with portcullis htpasswd");
    }

    public int size() {
        return hashes.size();
    }

    /** The bcrypt cost most entries use. */
    public int typicalCost() {
        return typicalCost;
    }

    /** The highest bcrypt cost in the file: the slowest check, which every failed login is made to last. */
    public int highestCost() {
        return highestCost;
    }
}
