package io.portcullis.cli;

import io.portcullis.base.Json;
import io.portcullis.token.Token;
import io.portcullis.token.TokenScope;
import io.portcullis.token.TokenStore;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code portcullis token list [--owner NAME] [--json]}: every token, never a secret. */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = {"List tokens: id, owner, status, label, scopes, created, expires, last used (time and client address).",
                "Secrets are never shown: the store does not have them."})
public final class TokenListCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--owner", paramLabel = "NAME", description = "Only this user's or robot's tokens.")
    String owner;

    @Option(names = "--json", description = "One JSON array, for scripts.")
    boolean json;

    @Override
    public Integer call() {
        List<Token> tokens;
        try (TokenStore store = TokenCommand.store(TokenCommand.settings(spec))) {
            tokens = store.list().stream().filter(t -> owner == null || t.owner().equals(owner)).toList();
        }
        Instant now = Instant.now();
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(tokens.stream().map(t -> json(t, now)).collect(Collectors.joining(",\n ", "[", "]")));
        } else {
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"ID", "OWNER", "STATUS", "LABEL", "SCOPES", "CREATED", "EXPIRES", "LAST USED", "FROM"});
            for (Token t : tokens) {
                rows.add(new String[] {t.id(), t.owner(), status(t, now), t.label().isEmpty() ? "-" : t.label(), scopes(t),
                        time(Optional.of(t.created())), t.expires().map(e -> time(Optional.of(e))).orElse("never"),
                        time(t.lastUsed().map(Token.LastUse::at)), t.lastUsed().map(Token.LastUse::from).orElse("-")});
            }
            table(out, rows);
        }
        out.flush();
        return 0;
    }

    private static String status(Token t, Instant now) {
        return t.status(now).name().toLowerCase(Locale.ROOT);
    }

    private static String scopes(Token t) {
        return String.join(" ", t.scopes().stream().map(TokenScope::toString).toList());
    }

    private static String time(Optional<Instant> at) {
        return at.map(i -> i.truncatedTo(ChronoUnit.SECONDS).toString()).orElse("-");
    }

    private static String json(Token t, Instant now) {
        return "{\"id\":" + Json.quote(t.id()) + ",\"owner\":" + Json.quote(t.owner()) + ",\"status\":" + Json.quote(status(t, now))
                + ",\"label\":" + Json.quote(t.label())
                + ",\"scopes\":[" + t.scopes().stream().map(s -> Json.quote(s.toString())).collect(Collectors.joining(",")) + "]"
                + ",\"created\":" + Json.quote(t.created().toString())
                + ",\"expires\":" + t.expires().map(e -> Json.quote(e.toString())).orElse("null")
                + ",\"revoked\":" + t.revoked().map(e -> Json.quote(e.toString())).orElse("null")
                + ",\"lastUsed\":" + t.lastUsed().map(u -> Json.quote(u.at().toString())).orElse("null")
                + ",\"lastUsedFrom\":" + t.lastUsed().map(u -> Json.quote(u.from())).orElse("null") + "}";
    }

    private static void table(PrintWriter out, List<String[]> rows) {
        int[] width = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(i == row.length - 1 ? row[i] : String.format("%-" + width[i] + "s  ", row[i]));
            }
            out.println(line.toString().stripTrailing());
        }
    }
}
