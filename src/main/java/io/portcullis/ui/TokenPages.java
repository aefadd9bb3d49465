package io.portcullis.ui;

import io.portcullis.api.LoginChallenge;
import io.portcullis.api.UiPaths;
import io.portcullis.access.AccessPolicy;
import io.portcullis.audit.AuditTrail;
import io.portcullis.base.LogText;
import io.portcullis.ui.Views.Message;
import io.portcullis.ui.Views.Visitor;
import io.portcullis.exchange.AuthenticatedUser;
import io.portcullis.token.AuthenticatedToken;
import io.portcullis.token.IssuedToken;
import io.portcullis.token.Token;
import io.portcullis.token.TokenPolicy;
import io.portcullis.token.TokenRequest;
import io.portcullis.token.TokenScope;
import io.portcullis.token.TokenSecret;
import io.portcullis.token.TokenStore;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Methods;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web catalog's Tokens page ({@code /ui/tokens}): a signed-in user creates tokens within their own rights (the
 * secret and the {@code docker login} line shown once), lists and revokes their own; a user with {@code allow …
 * tokens} in the rules sees and revokes everyone's. Forms carry the same protection as the delete form: an HMAC
 * bound to the user and the action, and the browser's Origin must be this gate. Only a password login gets here:
 * a token could otherwise mint itself a wider one.
 */
final class TokenPages implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(TokenPages.class);
    private static final List<Duration> OFFERED = List.of(Duration.ofDays(1), Duration.ofDays(7), Duration.ofDays(30),
            Duration.ofDays(90), Duration.ofDays(365));

    private final TokenStore store;
    private final AccessPolicy policy;
    private final TokenPolicy lifetimes;
    private final Optional<AuditTrail> audit;
    private final LoginChallenge challenge;
    private final Templates templates = new Templates();
    private final CsrfTokens csrf = new CsrfTokens();
    private final HttpHandler next;

    TokenPages(TokenStore store, AccessPolicy policy, TokenPolicy lifetimes, Optional<AuditTrail> audit, LoginChallenge challenge,
               HttpHandler next) {
        this.store = store;
        this.policy = policy;
        this.lifetimes = lifetimes;
        this.audit = audit;
        this.challenge = challenge;
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        String path = exchange.getRequestPath();
        if (!path.equals("/ui/tokens") && !path.startsWith("/ui/tokens/")) {
            next.handleRequest(exchange);
            return;
        }
        if (exchange.isInIoThread()) {
            if (isForm(exchange) && !PostedForm.isRead(exchange)) {
                PostedForm.read(exchange, this);
                return;
            }
            exchange.dispatch(this);
            return;
        }
        Optional<String> user = AuthenticatedUser.of(exchange);
        // no maintenance banner here: tokens can be managed during maintenance (they are the gate's state, not the registry's)
        Visitor visitor = new Visitor(user, AuthenticatedUser.groups(exchange), Optional.empty());
        if (user.isEmpty()) {
            // anonymous visitors of the catalog have no tokens: ask the browser to sign in
            challenge.ask(exchange);
            message(exchange, new Message(visitor, 401, "Sign in", "Tokens belong to users: sign in to see yours.", "/ui/"));
            return;
        }
        if (AuthenticatedToken.of(exchange).isPresent()) {
            message(exchange, new Message(visitor, 403, "Sign in with your password",
                    "The web catalog does not accept tokens: sign in with your user name and password.", "/ui/"));
            return;
        }
        Map<String, String> form = Forms.parse(PostedForm.of(exchange));
        if (UiPaths.isRead(exchange) && path.equals("/ui/tokens")) {
            list(exchange, visitor, "");
        } else if (isForm(exchange) && path.equals("/ui/tokens/create")) {
            create(exchange, visitor, form);
        } else if (isForm(exchange) && path.equals("/ui/tokens/revoke")) {
            revoke(exchange, visitor, form);
        } else {
            message(exchange, new Message(visitor, 404, "Not found", "There is no page at this address.", "/ui/tokens"));
        }
    }

    private void list(HttpServerExchange exchange, Visitor visitor, String error) {
        boolean admin = policy.administersTokens(visitor.user(), visitor.groups());
        Instant now = Instant.now();
        List<TokenViews.Row> rows = new ArrayList<>();
        for (Token t : store.list()) {
            if (admin || t.owner().equals(visitor.name())) {
                rows.add(TokenViews.Row.of(t, now, csrf.token(visitor.name(), "tokens/revoke", t.id())));
            }
        }
        html(exchange, error.isEmpty() ? 200 : 400, "tokens.jte", new TokenViews.TokenList(visitor, rows, admin,
                csrf.token(visitor.name(), "tokens/create", ""), offered(), error));
    }

    /** The default lifetime first, then the usual ones up to the maximum. */
    private List<String> offered() {
        Set<String> days = new LinkedHashSet<>();
        days.add(days(lifetimes.defaultLifetime()));
        for (Duration d : OFFERED) {
            if (lifetimes.maxLifetime().map(max -> d.compareTo(max) <= 0).orElse(true)) {
                days.add(days(d));
            }
        }
        return List.copyOf(days);
    }

    private static String days(Duration d) {
        return d.toDays() >= 1 && d.toHours() % 24 == 0 ? d.toDays() + "d" : d.toHours() + "h";
    }

    private boolean refused(HttpServerExchange exchange, Visitor visitor, String csrfValue, String action, String subject) {
        if (WebCatalog.sameOrigin(exchange) && csrf.valid(csrfValue, visitor.name(), action, subject)) {
            return false;
        }
        message(exchange, new Message(visitor, 403, "Refused",
                "This form did not come from the Tokens page of this catalog; nothing was changed.", "/ui/tokens"));
        return true;
    }

    private void create(HttpServerExchange exchange, Visitor visitor, Map<String, String> form) {
        if (refused(exchange, visitor, form.get("csrf"), "tokens/create", "")) {
            return;
        }
        List<TokenScope> scopes = new ArrayList<>();
        String label = form.getOrDefault("label", "").strip();
        Optional<Instant> expires;
        try {
            for (String text : form.getOrDefault("scopes", "").trim().split("\\s+")) {
                TokenScope scope = TokenScope.parse(text);
                Optional<String> problem = AccessPolicy.scopeProblem(scope);
                if (problem.isPresent()) {
                    throw new IllegalArgumentException(problem.get());
                }
                if (!policy.ownerMayScope(visitor.user(), visitor.groups(), scope)) {
                    throw new IllegalArgumentException("scope '" + scope + "' is more than your own rights allow");
                }
                scopes.add(scope);
            }
            if (label.length() > 200 || label.chars().anyMatch(c -> c < 0x20)) {
                throw new IllegalArgumentException("the label must be one line of at most 200 characters");
            }
            String wanted = form.getOrDefault("expires", "");
            if (!offered().contains(wanted)) {
                throw new IllegalArgumentException("choose a lifetime from the list");
            }
            long hours = wanted.endsWith("d") ? 24L * Long.parseLong(wanted.substring(0, wanted.length() - 1))
                    : Long.parseLong(wanted.substring(0, wanted.length() - 1));
            expires = lifetimes.expiry(Optional.of(Duration.ofHours(hours)), false, Instant.now());
        } catch (IllegalArgumentException e) {
            list(exchange, visitor, "No token created: " + e.getMessage() + ".");
            return;
        }
        IssuedToken issued = store.create(new TokenRequest(visitor.name(), label, scopes, expires));
        audit.ifPresent(trail -> trail.tokenChanged("token.create", issued.token(), visitor.name()));
        LOG.info("web catalog: user '{}' created token {}", LogText.printable(visitor.name()), issued.token().id());
        String login = "echo '" + issued.text() + "' | docker login " + WebCatalog.host(exchange) + " -u " + visitor.name()
                + " --password-stdin";
        html(exchange, 200, "token-created.jte", new TokenViews.Created(visitor, issued.token().id(), issued.text(), login,
                expires.map(TokenViews::time).orElse("never")));
    }

    private void revoke(HttpServerExchange exchange, Visitor visitor, Map<String, String> form) {
        String id = form.getOrDefault("id", "");
        if (!TokenSecret.isId(id) || refused(exchange, visitor, form.get("csrf"), "tokens/revoke", id)) {
            if (!exchange.isResponseStarted()) {
                message(exchange, new Message(visitor, 400, "Nothing revoked", "No such token.", "/ui/tokens"));
            }
            return;
        }
        Optional<Token> token = store.find(id);
        if (token.isEmpty() || !(token.get().owner().equals(visitor.name()) || policy.administersTokens(visitor.user(), visitor.groups()))) {
            message(exchange, new Message(visitor, 404, "Nothing revoked", "You have no token " + id + ".", "/ui/tokens"));
            return;
        }
        store.revoke(id).ifPresent(t -> audit.ifPresent(trail -> trail.tokenChanged("token.revoke", t, visitor.name())));
        LOG.info("web catalog: user '{}' revoked token {} of '{}'", LogText.printable(visitor.name()), id,
                LogText.printable(token.get().owner()));
        message(exchange, new Message(visitor, 200, "Revoked", "Token " + id + " was revoked; it no longer works.", "/ui/tokens"));
    }

    private static boolean isForm(HttpServerExchange exchange) {
        return exchange.getRequestMethod().equals(Methods.POST);
    }

    private void message(HttpServerExchange exchange, Message m) {
        html(exchange, m.status(), "message.jte", m);
    }

    private void html(HttpServerExchange exchange, int status, String template, Object model) {
        templates.send(exchange, status, template, model);
    }
}
