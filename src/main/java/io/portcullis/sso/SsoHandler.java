package io.portcullis.sso;

import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.openid.connect.sdk.AuthenticationErrorResponse;
import com.nimbusds.openid.connect.sdk.AuthenticationResponse;
import com.nimbusds.openid.connect.sdk.AuthenticationResponseParser;
import io.portcullis.auth.LoginLedger;
import io.portcullis.base.LogText;
import io.portcullis.config.SsoSettings;
import io.portcullis.exchange.AuthenticatedUser;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Single sign-on for the web catalog, before basic auth: {@code /ui/sso/login} starts a sign-in at the provider,
 * {@code /ui/sso/callback} finishes it into a server-side {@link Session} and a signed cookie, {@code /ui/sso/logout}
 * (POST, same origin) ends it, {@code /ui/sign-in} offers single sign-on or a password. Any other catalog request
 * with a valid session cookie and no Authorization header passes as the session's user with its groups; the
 * registry API never accepts the cookie (a cookie rides along on cross-site requests, credentials for docker do not).
 */
public final class SsoHandler implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(SsoHandler.class);
    static final String LOGIN = "/ui/sso/login";
    static final String LOGOUT = "/ui/sso/logout";
    static final String SIGN_IN_PAGE = "/ui/sign-in";
    static final String PASSWORD = "/ui/sign-in/password";
    /** Fail closed: a sign-in the other gates could not see is no sign-in (docs/several-gates.md). */
    static final String UNSHARED = "single sign-on is unavailable while the gates' shared store (Redis) does not answer:"
            + " sign in with a password, or try again in a minute";

    private final SsoSettings settings;
    private final OidcClient oidc;
    private final SessionStore sessions;
    private final PendingSignIns pending;
    private final SessionCookie cookies;
    private final Clock clock;
    private final Optional<LoginLedger> ledger;
    private final Predicate<HttpServerExchange> anonymousWelcome;
    private final HttpHandler next;

    /**
     * @param anonymousWelcome whether a visitor without credentials may see the catalog (then it is not sent to
     *                         the sign-in page)
     */
    SsoHandler(SsoSettings settings, String clientSecret, SsoStores stores, Clock clock, Optional<LoginLedger> ledger,
               Predicate<HttpServerExchange> anonymousWelcome, HttpHandler next) {
        this.ledger = ledger;
        this.settings = settings;
        this.oidc = new OidcClient(settings, clientSecret);
        this.sessions = stores.sessions();
        this.pending = stores.pending();
        this.cookies = new SessionCookie(stores.cookieKey());
        this.clock = clock;
        this.anonymousWelcome = anonymousWelcome;
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        String path = exchange.getRequestPath();
        if (!path.startsWith("/ui/")) {
            next.handleRequest(exchange);
            return;
        }
        if (sessions.blocks() && exchange.isInIoThread() && exchange.getRequestCookie(SessionCookie.SESSION) != null) {
            // the session is looked up (or ended) in the shared store: never on an IO thread
            exchange.dispatch(this);
            return;
        }
        boolean get = exchange.getRequestMethod().equals(Methods.GET);
        if (get && path.equals(LOGIN)) {
            exchange.dispatch(this::startSignIn);
        } else if (get && path.equals(SsoSettings.CALLBACK_PATH)) {
            exchange.dispatch(this::finishSignIn);
        } else if (path.equals(LOGOUT)) {
            signOut(exchange);
        } else if (get && path.equals(SIGN_IN_PAGE)) {
            SignInPage.send(exchange, currentSession(exchange));
        } else if (get && path.equals(PASSWORD) && exchange.getRequestHeaders().contains(Headers.AUTHORIZATION)) {
            // the browser has asked for the password and sends it now: the catalog itself checks it
            redirect(exchange, "/ui/");
        } else if (exchange.getRequestHeaders().contains(Headers.AUTHORIZATION) || path.equals(PASSWORD)) {
            next.handleRequest(exchange);
        } else {
            Optional<Session> session = currentSession(exchange);
            if (session.isPresent()) {
                AuthenticatedUser.set(exchange, session.get().user(), session.get().groups());
                next.handleRequest(exchange);
            } else if (get && !anonymousWelcome.test(exchange)) {
                redirect(exchange, SIGN_IN_PAGE);
            } else {
                next.handleRequest(exchange);
            }
        }
    }

    private Optional<Session> currentSession(HttpServerExchange exchange) {
        return cookies.read(exchange, SessionCookie.SESSION).flatMap(sessions::find);
    }

    private void startSignIn(HttpServerExchange exchange) {
        OidcClient.Pending sign = OidcClient.newPending();
        URI to;
        try {
            to = oidc.authorizationRequest(sign);
        } catch (OidcClient.SignInFailed e) {
            failed(exchange, 503, e.getMessage());
            return;
        }
        if (!pending.put(sign)) {
            failed(exchange, 503, UNSHARED);
            return;
        }
        // the state also goes into a cookie of this browser: a callback URL from someone else's sign-in is refused
        cookies.set(exchange, SessionCookie.SIGN_IN, sign.state().getValue(), PendingSignIns.LIFETIME);
        redirect(exchange, to.toString());
    }

    private void finishSignIn(HttpServerExchange exchange) {
        Optional<String> browserState = cookies.read(exchange, SessionCookie.SIGN_IN);
        cookies.clear(exchange, SessionCookie.SIGN_IN);
        AuthenticationResponse response;
        try {
            response = AuthenticationResponseParser.parse(URI.create(settings.redirect() + "?" + exchange.getQueryString()));
        } catch (ParseException | IllegalArgumentException e) {
            failed(exchange, 400, "the provider's answer could not be read");
            return;
        }
        String state = response.getState() == null ? "" : response.getState().getValue();
        Optional<OidcClient.Pending> sign = browserState.filter(state::equals).flatMap(pending::take);
        if (sign.isEmpty() && !pending.reachable()) {
            failed(exchange, 503, UNSHARED);
            return;
        }
        if (sign.isEmpty()) {
            failed(exchange, 400, "this sign-in was not started in this browser, was finished already or took too long");
            return;
        }
        if (response instanceof AuthenticationErrorResponse error) {
            failed(exchange, 403, "the provider refused: " + error.getErrorObject().getCode());
            return;
        }
        AuthorizationCode code = response.toSuccessResponse().getAuthorizationCode();
        OidcClient.Identity identity;
        try {
            identity = oidc.finish(code, sign.get());
        } catch (OidcClient.SignInFailed e) {
            failed(exchange, 403, e.getMessage());
            return;
        }
        Instant now = clock.instant();
        Session session = new Session(SessionCookie.newId(), identity.user(), identity.groups(), now, now.plus(settings.sessionTtl()));
        if (!sessions.save(session)) {
            failed(exchange, 503, UNSHARED);
            return;
        }
        // the sign-in also keeps the user's tokens working, with these groups, for the sign-in window
        ledger.ifPresent(l -> l.record(identity.user(), identity.groups()));
        cookies.set(exchange, SessionCookie.SESSION, session.id(), settings.sessionTtl());
        LOG.info("single sign-on: '{}' signed in to the web catalog, groups {}", LogText.printable(identity.user()),
                LogText.printable(identity.groups().toString()));
        redirect(exchange, "/ui/");
    }

    private void signOut(HttpServerExchange exchange) {
        if (!exchange.getRequestMethod().equals(Methods.POST) || !sameOrigin(exchange)) {
            failed(exchange, 405, "sign out with the button on " + SIGN_IN_PAGE);
            return;
        }
        cookies.read(exchange, SessionCookie.SESSION).ifPresent(sessions::revoke);
        cookies.clear(exchange, SessionCookie.SESSION);
        redirect(exchange, SIGN_IN_PAGE);
    }

    /** A browser's POST says where it comes from; only a page of this gate may sign its user out. */
    private static boolean sameOrigin(HttpServerExchange exchange) {
        String site = exchange.getRequestHeaders().getFirst("Sec-Fetch-Site");
        if (site != null) {
            return site.equals("same-origin");
        }
        String origin = exchange.getRequestHeaders().getFirst(Headers.ORIGIN);
        String host = exchange.getRequestHeaders().getFirst(Headers.HOST);
        return origin != null && host != null && origin.equals("https://" + host);
    }

    private static void redirect(HttpServerExchange exchange, String location) {
        exchange.setStatusCode(302);
        exchange.getResponseHeaders().put(Headers.LOCATION, location);
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        exchange.endExchange();
    }

    private static void failed(HttpServerExchange exchange, int status, String why) {
        LOG.warn("single sign-on failed: {}", LogText.printable(why));
        SignInPage.sendError(exchange, status, why);
    }
}
