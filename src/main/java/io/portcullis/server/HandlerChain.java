package io.portcullis.server;

import io.portcullis.auth.Authenticator;
import io.portcullis.auth.BasicAuthHandler;
import io.portcullis.config.Settings;
import io.portcullis.observe.AccessLogHandler;
import io.portcullis.proxy.ApiVersionHeaderHandler;
import io.portcullis.proxy.ErrorBodyHandler;
import io.portcullis.proxy.ForwardedHeadersHandler;
import io.portcullis.proxy.UpstreamProxy;
import io.undertow.server.HttpHandler;

/**
 * The request path, outermost first. Each handler does one thing and calls the next; reading this method
 * is reading what happens to every request.
 */
final class HandlerChain {
    private HandlerChain() {
    }

    static HttpHandler build(Settings settings, Authenticator authenticator) {
        HttpHandler upstream = UpstreamProxy.to(settings.upstream(), new UpstreamProxy.Limits(
                settings.upstreamConnections(), settings.upstreamQueue(), settings.connectTimeout(),
                settings.readTimeout(), settings.writeTimeout()));
        HttpHandler forwarded = new ForwardedHeadersHandler(upstream);
        HttpHandler authenticated = new BasicAuthHandler(authenticator, settings.realm(), null, forwarded);
        HttpHandler errorBodies = new ErrorBodyHandler(authenticated);
        HttpHandler apiVersion = new ApiVersionHeaderHandler(errorBodies);
        return new AccessLogHandler(apiVersion);
    }
}
