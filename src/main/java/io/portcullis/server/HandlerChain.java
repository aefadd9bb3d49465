package io.portcullis.server;

import io.portcullis.access.AccessRulesHandler;
import io.portcullis.access.AnonymousAccess;
import io.portcullis.access.ImmutableTags;
import io.portcullis.access.ImmutableTagsHandler;
import io.portcullis.upstream.RegistryTags;
import io.portcullis.audit.AuditTrail;
import io.portcullis.auth.Authenticator;
import io.portcullis.auth.BasicAuthHandler;
import io.portcullis.auth.LoginThrottle;
import io.portcullis.auth.SignInAgain;
import io.portcullis.auth.TokenLogin;
import io.portcullis.ui.WebUi;
import io.portcullis.config.Settings;
import io.portcullis.frontdoor.ApiVersionHeaderHandler;
import io.portcullis.frontdoor.CorsHandler;
import io.portcullis.frontdoor.ErrorBodyHandler;
import io.portcullis.frontdoor.HstsHandler;
import io.portcullis.frontdoor.RequestSanityHandler;
import io.portcullis.maintenance.MaintenanceHandler;
import io.portcullis.maintenance.MaintenanceSwitch;
import io.portcullis.observe.AccessLog;
import io.portcullis.observe.AccessLogFormat;
import io.portcullis.observe.AsyncLineWriter;
import io.portcullis.observe.ExchangeObserver;
import io.portcullis.observe.GateMetrics;
import io.portcullis.observe.HealthHandler;
import io.portcullis.observe.ObserveHandler;
import io.portcullis.observe.Readiness;
import io.portcullis.proxy.CanonicalTargetHandler;
import io.portcullis.proxy.ForwardedHeadersHandler;
import io.portcullis.proxy.HopByHopHeadersHandler;
import io.portcullis.proxy.UpstreamProxy;
import io.portcullis.api.LoginChallenge;
import io.portcullis.api.ParseHandler;
import io.portcullis.api.RouterAnswerHandler;
import io.portcullis.api.UiPaths;
import io.portcullis.sso.SingleSignOn;
import io.portcullis.token.TokenPolicy;
import io.undertow.server.HttpHandler;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The request path, written in the order a request meets it (ARCHITECTURE.md draws the same list). Each step does
 * one thing and calls the next; what a step decides is its own class's business, this class only wires.
 */
record HandlerChain(HttpHandler root, InFlightRequests inFlight) {

    static HandlerChain build(Settings settings, GateServices services, GateMetrics metrics, Readiness readiness,
                              MaintenanceSwitch maintenance, Optional<AuditTrail> audit, AsyncLineWriter accessLog) {
        InFlightRequests inFlight = new InFlightRequests();
        LoginChallenge challenge = new LoginChallenge(settings.auth().realm());
        AnonymousAccess anonymous = new AnonymousAccess(services.access(), settings.ui());
        ImmutableTags immutable = new ImmutableTags(services.access(), new RegistryTags(settings.upstream().url()));
        WebUi ui = new WebUi(settings.upstream().url(), services.access(), maintenance, immutable,
                services.redis());
        HttpHandler root = new RequestSteps()
                // metrics and the access line see every answer, the gate's own included
                .then(next -> new ObserveHandler(observers(settings, metrics, accessLog), next))
                .thenIf(settings.listen().hstsMaxAge().isPresent(),
                        () -> next -> new HstsHandler(settings.listen().hstsMaxAge().get(), next))
                // exactly once on every answer, whoever gives it
                .then(ApiVersionHeaderHandler::new)
                // the registry's JSON envelope on the gate's own error answers
                .then(ErrorBodyHandler::new)
                // a request no registry client sends is refused whoever sends it, before any login
                .then(RequestSanityHandler::new)
                // browsers send no credentials on a CORS preflight
                .thenIf(settings.cors().enabled(), () -> next -> new CorsHandler(settings.cors().origins(), next))
                // probes carry no credentials; never forwarded
                .then(next -> new HealthHandler(readiness, next))
                // counts requests in flight for a drain; inside the error-body step so its 503s get the envelope
                .then(inFlight)
                // one parse of the raw target, read by everything after it (401 detail, decision, forwarding)
                .then(ParseHandler::new)
                // reads the parse, the user and the answer once the exchange is over
                .thenIf(audit.isPresent(), () -> audit.get()::handler)
                // what the registry's router answers before its auth (404, 301), the gate answers before its own
                .then(next -> new RouterAnswerHandler(ex -> settings.ui() && UiPaths.isUiPath(ex.getRequestPath()), next))
                // a web UI session stands in for a password on /ui/ pages only
                .thenIf(settings.ui() && settings.sso().isPresent(), () -> next -> SingleSignOn.open(settings.sso().get(),
                        Clock.systemUTC(), services.authenticator().ledger(), services.redis())
                        .handler(ex -> anonymous.mayBrowse(), next))
                // the login: a token by its hash, a password from the cache or by bcrypt on a worker; without credentials
                // only what anybody may do (AnonymousAccess)
                .then(BasicAuthHandler.using(services.authenticator(), LoginThrottle.from(settings.auth().throttle(),
                                services.redis()), challenge)
                        .events(metrics).anonymousWhen(anonymous).tokens(tokenLogin(services)))
                // the web UI: same users, same rules as the API
                .thenIf(settings.ui() && services.tokens().isPresent(), () -> next -> ui.tokenPages(services.tokens().get(),
                        new TokenPolicy(settings.tokens().lifetime(), settings.tokens().maxLifetime()), audit, challenge, next))
                .thenIf(settings.ui(), () -> ui::webCatalog)
                // the one decision what the user may do: later steps may refuse a permitted write, never let more through
                .then(next -> new AccessRulesHandler(services.access(), challenge, next))
                // _catalog lists only what the user may pull, unless the rules say "allow … catalog"
                .then(ui::filteredCatalog)
                // while maintenance is on, writes stop here (after the decision: strangers learn nothing)
                .then(next -> new MaintenanceHandler(maintenance, next))
                // a protected tag keeps its manifest: checked against the registry, the checked bytes forwarded
                .then(next -> new ImmutableTagsHandler(immutable, next))
                // what is forwarded is the target the decision was made on, without the client's connection headers
                .then(HopByHopHeadersHandler::new)
                .then(ForwardedHeadersHandler::new)
                .then(CanonicalTargetHandler::new)
                .endingIn(UpstreamProxy.to(settings.upstream().url(),
                        UpstreamProxy.Limits.from(settings.upstream(), settings.connections())));
        return new HandlerChain(root, inFlight);
    }

    /**
     * A password shaped like a token ({@code pcl_…}) is a token: a hash lookup, no bcrypt. Owners from outside the
     * htpasswd file (directory, single sign-on) count while they keep signing in.
     */
    private static Optional<TokenLogin> tokenLogin(GateServices services) {
        Authenticator authenticator = services.authenticator();
        return services.tokens().map(store -> new TokenLogin(store, authenticator::isTokenOwner,
                user -> authenticator.ledger().flatMap(ledger -> ledger.last(user)).map(last -> SignInAgain.message(user, last,
                        authenticator.ledger().get().window())), Clock.systemUTC()));
    }

    private static List<ExchangeObserver> observers(Settings settings, GateMetrics metrics, AsyncLineWriter accessLog) {
        List<ExchangeObserver> observers = new ArrayList<>(2);
        observers.add(metrics);
        // at warn and error the operator asked for problems only, so the per-request access lines stay off
        if (!settings.logging().level().problemsOnly()) {
            observers.add(new AccessLog(AccessLogFormat.named(settings.logging().format().key()), accessLog));
        }
        return observers;
    }
}
