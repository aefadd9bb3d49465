package io.portcullis.server;

import io.portcullis.access.AccessPolicy;
import io.portcullis.access.AccessRulesHandler;
import io.portcullis.auth.Authenticator;
import io.portcullis.auth.BasicAuthHandler;
import io.portcullis.auth.LoginThrottle;
import io.portcullis.config.Settings;
import io.portcullis.observe.AccessLogHandler;
import io.portcullis.proxy.ApiVersionHeaderHandler;
import io.portcullis.proxy.ErrorBodyHandler;
import io.portcullis.proxy.ForwardedHeadersHandler;
import io.portcullis.proxy.UpstreamProxy;
import io.undertow.server.HttpHandler;
import io.undertow.server.handlers.GracefulShutdownHandler;
import java.util.Optional;

/**
 * The request path, outermost first. Each handler does one thing and calls the next; reading this method
 * is reading what happens to every request.
 */
record HandlerChain(HttpHandler root, GracefulShutdownHandler inFlight) {

    static HandlerChain build(Settings settings, Authenticator authenticator, AccessPolicy access) {
        HttpHandler upstream = UpstreamProxy.to(settings.upstream(), new UpstreamProxy.Limits(
                settings.upstreamConnections(), settings.upstreamQueue(), settings.connectTimeout(),
                settings.readTimeout(), settings.writeTimeout()));
        HttpHandler forwarded = new ForwardedHeadersHandler(upstream);
        HttpHandler permitted = new AccessRulesHandler(access, settings.realm(), forwarded);
        LoginThrottle throttle = new LoginThrottle(settings.throttleFailures(), settings.throttleUserFailures(),
                settings.throttleWindow(), settings.throttleMaxTracked());
        // without credentials a request passes auth only if the rules would let anybody do what it asks
        HttpHandler authenticated = new BasicAuthHandler(authenticator, settings.realm(), null, throttle,
                ex -> access.permits(Optional.empty(), ex.getRequestMethod().toString(), ex.getRequestPath(),
                        ex.getQueryString()),
                permitted);
        // counts requests in flight for a drain; inside the error-body handler so its 503s get the JSON envelope
        GracefulShutdownHandler inFlight = new GracefulShutdownHandler(authenticated);
        HttpHandler errorBodies = new ErrorBodyHandler(inFlight);
        HttpHandler apiVersion = new ApiVersionHeaderHandler(errorBodies);
        return new HandlerChain(new AccessLogHandler(apiVersion), inFlight);
    }
}
