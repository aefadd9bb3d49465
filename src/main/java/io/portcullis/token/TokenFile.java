package io.portcullis.token;

import io.portcullis.base.UserError;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The embedded store's file: a comment line, then one token per line, fields separated by tabs, {@code -} for
 * nothing; in text fields (owner, label, client address) {@code %}, tab and line breaks are %-escaped. Line-based and
 * readable with grep, so an operator can see what is in it; it holds SHA-256 hashes, never a secret.
 *
 * <pre>
 * id owner label scopes created expires secret-hash previous-hash previous-until revoked last-used last-used-from
 * </pre>
 */
final class TokenFile {
    static final String HEADER = "# portcullis tokens v1: one token per line, tab-separated; secrets are never stored, only their SHA-256";
    private static final int FIELDS = 12;
    private static final String NONE = "-";

    private TokenFile() {
    }

    static byte[] format(Map<String, Token> tokens) {
        StringBuilder out = new StringBuilder(HEADER).append('\n');
        for (Token t : tokens.values()) {
            List<String> f = List.of(t.id(), enc(t.owner()), enc(t.label()),
                    String.join(" ", t.scopes().stream().map(TokenScope::toString).toList()),
                    t.created().toString(), opt(t.expires(), Instant::toString), t.secretHash(),
                    opt(t.previous(), p -> p.hash()), opt(t.previous(), p -> p.until().toString()),
                    opt(t.revoked(), Instant::toString), opt(t.lastUsed(), u -> u.at().toString()),
                    opt(t.lastUsed(), u -> enc(u.from())));
            out.append(String.join("\t", f)).append('\n');
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** @throws UserError naming the file and line, never a hash */
    static Map<String, Token> parse(String fileName, byte[] content) {
        Map<String, Token> tokens = new LinkedHashMap<>();
        String[] lines = new String(content, StandardCharsets.UTF_8).split("\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            try {
                Token t = token(line.split("\t", -1));
                tokens.put(t.id(), t);
            } catch (IllegalArgumentException | DateTimeParseException e) {
                throw new UserError("token store " + fileName + " line " + (i + 1) + " is not a token (" + e.getMessage()
                        + "); restore it from a backup or move it away (every token in it stops working)");
            }
        }
        return tokens;
    }

    private static Token token(String[] f) {
        if (f.length != FIELDS) {
            throw new IllegalArgumentException(f.length + " fields instead of " + FIELDS);
        }
        if (!TokenSecret.isId(f[0]) || !f[6].matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("malformed id or hash");
        }
        List<TokenScope> scopes = f[3].isEmpty() ? List.of() : Arrays.stream(f[3].split(" ")).map(TokenScope::parse).toList();
        Optional<Token.PreviousSecret> previous = f[7].equals(NONE) ? Optional.empty()
                : Optional.of(new Token.PreviousSecret(f[7], Instant.parse(f[8])));
        Optional<Token.LastUse> used = f[10].equals(NONE) ? Optional.empty()
                : Optional.of(new Token.LastUse(Instant.parse(f[10]), dec(f[11])));
        return new Token(f[0], dec(f[1]), dec(f[2]), scopes, Instant.parse(f[4]), instant(f[5]), f[6], previous,
                instant(f[9]), used);
    }

    private static Optional<Instant> instant(String field) {
        return field.equals(NONE) ? Optional.empty() : Optional.of(Instant.parse(field));
    }

    private static <T> String opt(Optional<T> value, Function<T, String> text) {
        return value.map(text).orElse(NONE);
    }

    /** Only what would break a line or a field is escaped, so names read as they are ({@code robot+ci}). */
    private static String enc(String text) {
        return text.replace("%", "%25").replace("\t", "%09").replace("\n", "%0A").replace("\r", "%0D");
    }

    private static String dec(String text) {
        return text.replace("%09", "\t").replace("%0A", "\n").replace("%0D", "\r").replace("%25", "%");
    }

    static List<Token> sorted(Map<String, Token> tokens) {
        List<Token> list = new ArrayList<>(tokens.values());
        list.sort((a, b) -> a.created().compareTo(b.created()));
        return list;
    }
}
