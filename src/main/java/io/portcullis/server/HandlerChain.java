package io.portcullis.server;

import io.portcullis.access.AccessPolicy;
import io.portcullis.access.AccessRulesHandler;
import io.portcullis.audit.AuditTrail;
import io.portcullis.auth.Authenticator;
import io.portcullis.auth.BasicAuthHandler;
import io.portcullis.auth.LoginThrottle;
import io.portcullis.catalog.CatalogRooms;
import io.portcullis.catalog.WebCatalog;
import io.portcullis.config.Settings;
import io.portcullis.frontdoor.HstsHandler;
import io.portcullis.frontdoor.RequestSanityHandler;
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
import io.portcullis.registry.RouterAnswerHandler;
import io.undertow.server.HttpHandler;
import io.undertow.server.handlers.GracefulShutdownHandler;
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
                              Readiness readiness, Optional<AuditTrail> audit) {
        HttpHandler upstream = UpstreamProxy.to(settings.upstream().url(), new UpstreamProxy.Limits(
                settings.upstream().connections(), settings.upstream().queue(), settings.upstream().connectTimeout(),
                settings.connections().readTimeout(), settings.connections().writeTimeout(), settings.upstream().idleTimeout()));
        // what is forwarded is the target the decision was made on, without the client's connection headers
        HttpHandler canonical = new CanonicalTargetHandler(upstream);
        HttpHandler forwarded = new ForwardedHeadersHandler(canonical);
        HttpHandler hopByHop = new HopByHopHeadersHandler(forwarded);
        CatalogRooms catalog = new CatalogRooms(settings.upstream().url(), access);
        // _catalog lists only what the user may pull, unless the rules say "allow … catalog"
        HttpHandler permitted = new AccessRulesHandler(access, settings.auth().realm(), catalog.filteredCatalog(hopByHop));
        // the web catalog (/ui/) after basic auth: same users, same rules; without credentials only if anonymous may pull
        HttpHandler behindLogin = settings.ui() ? catalog.webCatalog(permitted) : permitted;
        LoginThrottle throttle = new LoginThrottle(settings.auth().throttle().failures(), settings.auth().throttle().userFailures(),
                settings.auth().throttle().window(), settings.auth().throttle().maxTracked(), settings.auth().throttle().pendingPerAddress(),
                settings.auth().throttle().pendingTotal());
        // without credentials a request passes auth only if the rules would let anybody do what it asks (the catalog's
        // entrance, / redirecting to /ui/, shows nothing and passes)
        HttpHandler authenticated = new BasicAuthHandler(authenticator, settings.auth().realm(), null, metrics, throttle,
                ex -> settings.ui() && WebCatalog.isCatalogPath(ex.getRequestPath())
                        ? WebCatalog.isEntrance(ex) || access.mayPullSomewhere(Optional.empty())
                        : ParsedRequest.of(ex) instanceof RegistryOperation operation && access.permits(Optional.empty(), operation),
                behindLogin);
        // one parse of the raw request target, read by everything after it (401 detail, decision, forwarding)
        // the audit trail reads the parse, the user and the answer once the exchange is over
        // what the registry's router answers before its auth (404, 301), the gate answers before its own
        HttpHandler routed = new RouterAnswerHandler(ex -> settings.ui() && WebCatalog.isCatalogPath(ex.getRequestPath()), authenticated);
        HttpHandler parsed = new ParseHandler(audit.map(trail -> trail.handler(routed)).orElse(routed));
        // counts requests in flight for a drain; inside the error-body handler so its 503s get the JSON envelope
        GracefulShutdownHandler inFlight = new GracefulShutdownHandler(parsed);
        // health before auth: probes carry no credentials; and never forwarded
        HttpHandler health = new HealthHandler(readiness, inFlight);
        // before auth: a request no registry client sends is refused whoever sends it
        HttpHandler sane = new RequestSanityHandler(health);
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
