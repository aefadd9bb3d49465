package io.portcullis.ui;

import io.portcullis.ui.Views.Visitor;
import io.portcullis.token.Token;
import io.portcullis.token.TokenScope;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;

/** What the Tokens page shows: plain records for tokens.jte and token-created.jte. */
public final class TokenViews {
    private TokenViews() {
    }

    /** One token in the list, with the revoke form's CSRF value when the visitor may revoke it. */
    public record Row(String id, String owner, String label, String scopes, String created, String expires, String lastUsed,
                      String status, String revokeCsrf) {
        static Row of(Token t, Instant now, String revokeCsrf) {
            return new Row(t.id(), t.owner(), t.label(), String.join(" ", t.scopes().stream().map(TokenScope::toString).toList()),
                    time(t.created()), t.expires().map(TokenViews::time).orElse("never"),
                    t.lastUsed().map(u -> time(u.at()) + " from " + u.from()).orElse("never"),
                    t.status(now).name().toLowerCase(Locale.ROOT), t.status(now) == Token.Status.REVOKED ? "" : revokeCsrf);
        }
    }

    /**
     * @param admin    the visitor sees everyone's tokens ({@code allow … tokens})
     * @param lifetimes what the expiry menu offers, in days, the default first
     */
    public record TokenList(Visitor visitor, List<Row> tokens, boolean admin, String createCsrf, List<String> lifetimes,
                            String error) {
    }

    /** The page shown once after a create: the token and the login line, never again. */
    public record Created(Visitor visitor, String id, String token, String login, String expires) {
    }

    static String time(Instant at) {
        return at.truncatedTo(ChronoUnit.MINUTES).toString().replace("T", " ").replace(":00Z", " UTC").replace("Z", " UTC");
    }
}
