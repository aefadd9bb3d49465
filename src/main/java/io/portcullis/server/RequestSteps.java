package io.portcullis.server;

import io.undertow.server.HandlerWrapper;
import io.undertow.server.HttpHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Handlers listed in the order a request meets them, outermost first, and folded once into the chain (as Caddy
 * lists its middleware; each step is an Undertow {@link HandlerWrapper} around whatever comes after it).
 */
final class RequestSteps {
    private final List<HandlerWrapper> steps = new ArrayList<>();

    RequestSteps then(HandlerWrapper step) {
        steps.add(step);
        return this;
    }

    /** A step only some set-ups have (HSTS, CORS, the audit trail, the web UI, ...). */
    RequestSteps thenIf(boolean present, Supplier<HandlerWrapper> step) {
        return present ? then(step.get()) : this;
    }

    /** The chain: the first step outermost, {@code last} (the forwarding to the registry) innermost. */
    HttpHandler endingIn(HttpHandler last) {
        HttpHandler handler = last;
        for (int i = steps.size() - 1; i >= 0; i--) {
            handler = steps.get(i).wrap(handler);
        }
        return handler;
    }
}
