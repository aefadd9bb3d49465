package io.portcullis.auth;

import io.portcullis.UserError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The users of an htpasswd file: user name to stored hash. The file is only ever read (the gate must work with
 * a read-only mount). Errors name the file and line and never echo a hash.
 */
public final class Htpasswd {
    private final Map<String, String> hashes;
    private final int typicalCost;

    private Htpasswd(Map<String, String> hashes, int typicalCost) {
        this.hashes = Map.copyOf(hashes);
        this.typicalCost = typicalCost;
    }

    public static Htpasswd load(Path file) {
        List<String> lines;
        try (Stream<String> s = Files.lines(file, StandardCharsets.UTF_8)) {
            lines = s.toList();
        } catch (NoSuchFileException e) {
            throw new UserError("htpasswd file " + file + " does not exist; create it with `portcullis htpasswd USER --file "
                    + file + "` or point --htpasswd at yours");
        } catch (AccessDeniedException e) {
            throw new UserError("htpasswd file " + file + " is not readable by this user; fix its permissions");
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new UserError("cannot read htpasswd file " + file + ": " + e.getMessage());
        }
        return parse(file.toString(), lines);
    }

    static Htpasswd parse(String fileName, List<String> lines) {
        Map<String, String> hashes = new HashMap<>();
        Map<String, Integer> firstLine = new HashMap<>();
        Map<Integer, Integer> costs = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            int lineNo = i + 1;
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
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
            Integer earlier = firstLine.putIfAbsent(user, lineNo);
            if (earlier != null) {
                throw new UserError(where + ": user '" + user + "' is listed again (first on line " + earlier + "); keep one entry");
            }
            if (!BcryptHash.isBcrypt(hash)) {
                throw new UserError(where + ": user '" + user + "' has " + describe(hash)
                        + "; only bcrypt ($2y$, $2a$, $2b$) is accepted: recreate it with `portcullis htpasswd " + user + "` or `htpasswd -B`");
            }
            hashes.put(user, hash);
            costs.merge(BcryptHash.cost(hash), 1, Integer::sum);
        }
        int typicalCost = costs.entrySet().stream()
                .max(Map.Entry.<Integer, Integer>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
                .map(Map.Entry::getKey).orElse(BcryptHash.DEFAULT_COST);
        return new Htpasswd(hashes, typicalCost);
    }

    private static String describe(String hash) {
        if (hash.startsWith("$2")) {
            return "a malformed bcrypt hash";
        }
        if (hash.startsWith("$apr1$") || hash.startsWith("$1$")) {
            return "an MD5 hash";
        }
        if (hash.startsWith("{SHA}")) {
            return "a SHA-1 hash";
        }
        if (hash.startsWith("$5$") || hash.startsWith("$6$")) {
            return "a SHA-crypt hash";
        }
        if (hash.isEmpty()) {
            return "an empty password";
        }
        return "an unrecognised hash (plain-text passwords are refused)";
    }

    public Optional<String> hashOf(String user) {
        return Optional.ofNullable(hashes.get(user));
    }

    /** The user names, for reporting what a reload changed. */
    public Set<String> users() {
        return hashes.keySet();
    }

    public int size() {
        return hashes.size();
    }

    /** The cost most entries use: unknown users are checked against a dummy hash of this cost. */
    public int typicalCost() {
        return typicalCost;
    }
}
