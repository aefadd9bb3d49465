package io.portcullis.listing;

import io.portcullis.upstream.RegistryUnavailable;

import io.portcullis.access.AccessPolicy;
import io.portcullis.exchange.Answer;
import io.portcullis.exchange.AuthenticatedUser;
import io.portcullis.base.Json;
import io.portcullis.api.ParsedRequest;
import io.portcullis.api.RegistryError;
import io.portcullis.api.RegistryOperation;
import io.portcullis.api.Route;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HttpString;
import io.portcullis.token.AuthenticatedToken;
import io.portcullis.token.Token;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * {@code GET /v2/_catalog} for users without {@code allow … catalog}: answered by the gate from
 * {@link VisibleCatalog} (the repositories they may pull), with the registry's {@code n}, {@code last} and
 * {@code Link: </v2/_catalog?last=…&n=…>; rel="next"}. Everything else, and the catalog for users who may see it
 * all, goes to {@code next} unchanged. Sits after the access decision; reads the registry on a worker thread.
 */
public final class FilteredCatalogHandler implements HttpHandler {
    private static final HttpString LINK = new HttpString("Link");
    private final AccessPolicy policy;
    private final VisibleCatalog catalog;
    private final HttpHandler next;

    public FilteredCatalogHandler(AccessPolicy policy, VisibleCatalog catalog, HttpHandler next) {
        this.policy = policy;
        this.catalog = catalog;
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        Optional<String> user = AuthenticatedUser.of(exchange);
        Optional<Token> token = AuthenticatedToken.of(exchange);
        if (!(ParsedRequest.of(exchange) instanceof RegistryOperation op) || op.route() != Route.CATALOG
                || policy.seesWholeCatalog(user, AuthenticatedUser.groups(exchange), token)) {
            next.handleRequest(exchange);
            return;
        }
        if (exchange.isInIoThread()) {
            exchange.dispatch(this);
            return;
        }
        Optional<String> nText = op.parameter("n").filter(s -> !s.isEmpty());
        int n;
        try {
            n = nText.map(Integer::parseInt).orElse(VisibleCatalog.MAX_ENTRIES);
        } catch (NumberFormatException e) {
            RegistryError.UNSUPPORTED.send(exchange, "n must be a number");
            return;
        }
        n = Math.min(Math.max(n, 0), VisibleCatalog.MAX_ENTRIES);
        VisibleCatalog.Page page;
        try {
            page = catalog.page(user, AuthenticatedUser.groups(exchange), token, n, op.parameter("last").orElse(""));
        } catch (RegistryUnavailable e) {
            RegistryError.UNAVAILABLE.send(exchange, e.getMessage());
            return;
        }
        if (page.next().isPresent()) {
            exchange.getResponseHeaders().put(LINK, "</v2/_catalog?last="
                    + URLEncoder.encode(page.next().get(), StandardCharsets.UTF_8) + "&n=" + n + ">; rel=\"next\"");
        }
        String body = "{\"repositories\":[" + page.repositories().stream().map(Json::quote).collect(Collectors.joining(","))
                + "]}\n";
        Answer.json(exchange, 200, body);
    }
}
