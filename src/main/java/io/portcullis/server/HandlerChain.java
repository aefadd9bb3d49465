package io.portcullis.server;

import io.portcullis.auth.Authenticator;
import io.portcullis.auth.BasicAuthHandler;
import io.portcullis.config.Settings;
import io.portcullis.frontdoor.HstsHandler;
import io.portcullis.frontdoor.RequestSanityHandler;
import io.portcullis.observe.AccessLogHandler;
import io.portcullis.proxy.ApiVersionHeaderHandler;
import io.portcullis.proxy.ErrorBodyHandler;
import io.portcullis.proxy.ForwardedHeadersHandler;
import io.portcullis.proxy.UpstreamProxy;
import io.undertow.server.HttpHandler;
import io.undertow.server.handlers.GracefulShutdownHandler;

/**
 * The request path, outermost first. Each handler does one thing and calls the next; reading this method
 * is reading what happens to every request.
 */
record HandlerChain(HttpHandler root, GracefulShutdownHandler inFlight) {

    static HandlerChain build(Settings settings, Authenticator authenticator) {
        HttpHandler upstream = UpstreamProxy.to(settings.upstream(), new UpstreamProxy.Limits(
                settings.upstreamConnections(), settings.upstreamQueue(), settings.connectTimeout(),
                settings.readTimeout(), settings.writeTimeout()));
        HttpHandler forwarded = new ForwardedHeadersHandler(upstream);
        HttpHandler authenticated = new BasicAuthHandler(authenticator, settings.realm(), null, forwarded);
        // counts requests in flight for a drain; inside the error-body handler so its 503s get the JSON envelope
        GracefulShutdownHandler inFlight = new GracefulShutdownHandler(authenticated);
        // before auth: a request no registry client sends is refused whoever sends it
        HttpHandler sane = new RequestSanityHandler(inFlight);
        HttpHandler errorBodies = new ErrorBodyHandler(sane);
        HttpHandler apiVersion = new ApiVersionHeaderHandler(errorBodies);
        HttpHandler hsts = settings.hstsMaxAge().<HttpHandler>map(age -> new HstsHandler(age, apiVersion)).orElse(apiVersion);
        return new HandlerChain(new AccessLogHandler(hsts), inFlight);
    }
}
