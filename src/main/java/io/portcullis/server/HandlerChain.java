package io.portcullis.server;

import io.portcullis.access.AccessPolicy;
import io.portcullis.access.AccessRulesHandler;
import io.portcullis.access.ImmutableTags;
import io.portcullis.access.ImmutableTagsHandler;
import io.portcullis.access.RegistryTags;
import io.portcullis.audit.AuditTrail;
import io.portcullis.auth.Authenticator;
import io.portcullis.auth.BasicAuthHandler;
import io.portcullis.auth.LoginThrottle;
import io.portcullis.auth.SignInAgain;
import io.portcullis.catalog.CatalogRooms;
import io.portcullis.catalog.WebCatalog;
import io.portcullis.config.Settings;
import io.portcullis.frontdoor.CorsHandler;
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
import io.portcullis.frontdoor.ApiVersionHeaderHandler;
import io.portcullis.proxy.CanonicalTargetHandler;
import io.portcullis.frontdoor.ErrorBodyHandler;
import io.portcullis.proxy.ForwardedHeadersHandler;
import io.portcullis.proxy.HopByHopHeadersHandler;
import io.portcullis.proxy.UpstreamProxy;
import io.portcullis.registry.ParseHandler;
import io.portcullis.registry.ParsedRequest;
import io.portcullis.registry.RegistryOperation;
import io.portcullis.shared.RedisStore;
import io.portcullis.sso.SingleSignOn;
import io.portcullis.registry.RouterAnswerHandler;
import io.undertow.server.HttpHandler;
import io.undertow.server.handlers.GracefulShutdownHandler;
import io.portcullis.auth.TokenLogin;
import io.portcullis.token.TokenPolicy;
import io.portcullis.token.TokenStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The request path. Each handler does one thing and calls the next; {@link #build} wraps them from the inside
 * out (the upstream first, the observer last), so reading it bottom-up is reading what happens to every request
 * (README "How a request flows" draws it outermost first).
 */
record HandlerChain(HttpHandler root, GracefulShutdownHandler inFlight, AsyncLineWriter accessLog) {

    static HandlerChain build(Settings settings, Authenticator authenticator, AccessPolicy access, GateMetrics metrics,
                              Readiness readiness, Optional<AuditTrail> audit, MaintenanceSwitch maintenance,
                              Optional<TokenStore> tokens, Optional<RedisStore> redis) {
        HttpHandler upstream = UpstreamProxy.to(settings.upstream().url(), new UpstreamProxy.Limits(
                settings.upstream().connections(), settings.upstream().queue(), settings.upstream().connectTimeout(),
                settings.connections().readTimeout(), settings.connections().writeTimeout(), settings.upstream().idleTimeout()));
        // what is forwarded is the target the decision was made on, without the client's connection headers
        HttpHandler canonical = new CanonicalTargetHandler(upstream);
        HttpHandler forwarded = new ForwardedHeadersHandler(canonical);
        HttpHandler hopByHop = new HopByHopHeadersHandler(forwarded);
        // a protected tag keeps its manifest: checked against the registry, the checked bytes forwarded
        ImmutableTags immutable = new ImmutableTags(access, new RegistryTags(settings.upstream().url()));
        HttpHandler unmoved = new ImmutableTagsHandler(immutable, hopByHop);
        // while maintenance is on, writes stop here (after the decision: strangers learn nothing)
        HttpHandler writable = new MaintenanceHandler(maintenance, unmoved);
        CatalogRooms catalog = new CatalogRooms(settings.upstream().url(), access, maintenance, immutable, redis);
        // _catalog lists only what the user may pull, unless the rules say "allow … catalog"
        HttpHandler permitted = new AccessRulesHandler(access, settings.auth().realm(), catalog.filteredCatalog(writable));
        // the web catalog (/ui/) after basic auth: same users, same rules; without credentials only if anonymous may pull
        HttpHandler behindLogin = settings.ui() ? catalog.webCatalog(permitted) : permitted;
        if (settings.ui() && tokens.isPresent()) {
            behindLogin = catalog.tokenPages(tokens.get(), new TokenPolicy(settings.tokens().lifetime(), settings.tokens().maxLifetime()),
                    audit, settings.auth().realm(), behindLogin);
        }
        Settings.Throttle t = settings.auth().throttle();
        // with several gates on one Redis the failures count across all of them, each gate's own count the fall-back
        LoginThrottle throttle = redis.isPresent()
                ? LoginThrottle.shared(t.failures(), t.userFailures(), t.window(), t.maxTracked(), t.pendingPerAddress(),
                        t.pendingTotal(), redis.get())
                : new LoginThrottle(t.failures(), t.userFailures(), t.window(), t.maxTracked(), t.pendingPerAddress(),
                        t.pendingTotal());
        // without credentials a request passes auth only if the rules would let anybody do what it asks (the catalog's
        // entrance, / redirecting to /ui/, shows nothing and passes)
        // a password shaped like a token (pcl_...) is a token: a hash lookup, no bcrypt (TokenLogin)
        // owners from outside the htpasswd file (directory, single sign-on) count while they keep signing in (LoginLedger)
        Optional<TokenLogin> tokenLogin = tokens.map(store -> new TokenLogin(store, authenticator::isTokenOwner,
                user -> authenticator.ledger().flatMap(ledger -> ledger.last(user)).map(last -> SignInAgain.message(user, last,
                        authenticator.ledger().get().window())), Clock.systemUTC()));
        HttpHandler authenticated = new BasicAuthHandler(authenticator, settings.auth().realm(), null, metrics, throttle,
                ex -> settings.ui() && WebCatalog.isCatalogPath(ex.getRequestPath())
                        ? WebCatalog.isEntrance(ex) || access.mayPullSomewhere(Optional.empty())
                        : ParsedRequest.of(ex) instanceof RegistryOperation operation && access.permits(Optional.empty(), operation),
                tokenLogin, behindLogin);
        // single sign-on before basic auth: a web catalog session stands in for a password on /ui/ pages only
        HttpHandler identified = settings.sso().filter(sso -> settings.ui())
                .map(sso -> SingleSignOn.open(sso, Clock.systemUTC(), authenticator.ledger(), redis)
                        .handler(ex -> access.mayPullSomewhere(Optional.empty()), authenticated))
                .orElse(authenticated);
        // one parse of the raw request target, read by everything after it (401 detail, decision, forwarding)
        // the audit trail reads the parse, the user and the answer once the exchange is over
        // what the registry's router answers before its auth (404, 301), the gate answers before its own
        HttpHandler routed = new RouterAnswerHandler(ex -> settings.ui() && WebCatalog.isCatalogPath(ex.getRequestPath()), identified);
        HttpHandler parsed = new ParseHandler(audit.map(trail -> trail.handler(routed)).orElse(routed));
        // counts requests in flight for a drain; inside the error-body handler so its 503s get the JSON envelope
        GracefulShutdownHandler inFlight = new GracefulShutdownHandler(parsed);
        // health before auth: probes carry no credentials; and never forwarded
        HttpHandler health = new HealthHandler(readiness, inFlight);
        // before auth: a request no registry client sends is refused whoever sends it
        // before auth: browsers send no credentials on a CORS preflight
        HttpHandler crossOrigin = settings.cors().enabled() ? new CorsHandler(settings.cors().origins(), health) : health;
        HttpHandler sane = new RequestSanityHandler(crossOrigin);
        HttpHandler errorBodies = new ErrorBodyHandler(sane);
        HttpHandler apiVersion = new ApiVersionHeaderHandler(errorBodies);
        HttpHandler hsts = settings.listen().hstsMaxAge().<HttpHandler>map(age -> new HstsHandler(age, apiVersion)).orElse(apiVersion);
        AsyncLineWriter stdout = new AsyncLineWriter(System.out);
        metrics.watchAccessLogDropped(stdout::dropped);
        return new HandlerChain(new ObserveHandler(observers(settings, metrics, stdout), hsts), inFlight, stdout);
    }

    private static List<ExchangeObserver> observers(Settings settings, GateMetrics metrics, AsyncLineWriter stdout) {
        List<ExchangeObserver> observers = new ArrayList<>(2);
        observers.add(metrics);
        // at warn and error the operator asked for problems only, so the per-request access lines stay off
        if (!settings.logging().level().problemsOnly()) {
            observers.add(new AccessLog(AccessLogFormat.named(settings.logging().format().key()), stdout));
        }
        return observers;
    }
}
