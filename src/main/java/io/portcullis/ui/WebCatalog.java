package io.portcullis.ui;
import io.portcullis.upstream.RegistryUnavailable;

import io.portcullis.api.UiPaths;
import io.portcullis.access.AccessPolicy;
import io.portcullis.access.ImmutableTags;
import io.portcullis.upstream.RegistryTags;
import io.portcullis.exchange.Answer;
import io.portcullis.exchange.AuthenticatedUser;
import io.portcullis.exchange.DeletedByGate;
import io.portcullis.ui.Views.ConfirmDelete;
import io.portcullis.ui.Views.Message;
import io.portcullis.ui.Views.Visitor;
import io.portcullis.base.LogText;
import io.portcullis.api.Grammar;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import io.portcullis.token.AuthenticatedToken;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import io.portcullis.maintenance.MaintenanceSwitch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web catalog at {@code /ui/} ({@code /} redirects there), behind basic auth: pages for the repositories a
 * visitor may pull, a repository's tags, an image, and deleting a tag's manifest where the rules allow
 * {@code delete} (a confirmation first; the POST carries a CSRF token and must come from this origin). Requests
 * for other paths go to {@code next}. Pages read the registry, so they run on a worker thread.
 */
public final class WebCatalog implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(WebCatalog.class);

    private final AccessPolicy policy;
    private final CatalogPages pages;
    private final Templates templates = new Templates();
    private final CsrfTokens csrf;
    private final MaintenanceSwitch maintenance;
    private final HttpHandler next;

    private final ImmutableTags immutable;

    public WebCatalog(AccessPolicy policy, CatalogPages pages, MaintenanceSwitch maintenance, ImmutableTags immutable,
                      HttpHandler next) {
        this(policy, pages, maintenance, immutable, new CsrfTokens(), next);
    }

    WebCatalog(AccessPolicy policy, CatalogPages pages, MaintenanceSwitch maintenance, ImmutableTags immutable,
               CsrfTokens csrf, HttpHandler next) {
        this.policy = policy;
        this.pages = pages;
        this.maintenance = maintenance;
        this.immutable = immutable;
        this.csrf = csrf;
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        String path = exchange.getRequestPath();
        if (!UiPaths.isUiPath(path)) {
            next.handleRequest(exchange);
            return;
        }
        // also on a worker: a login that missed the credential cache reaches here after bcrypt, off the IO thread
        // (every first POST to another gate behind a load balancer, whose cache has not seen the password yet)
        if (isDeleteForm(exchange, path) && !PostedForm.isRead(exchange)) {
            PostedForm.read(exchange, this);
            return;
        }
        if (exchange.isInIoThread()) {
            exchange.dispatch(this);
            return;
        }
        Visitor visitor = new Visitor(AuthenticatedUser.of(exchange), AuthenticatedUser.groups(exchange),
                maintenance.isOn() ? Optional.of(maintenance.describe()) : Optional.empty());
        if (AuthenticatedToken.of(exchange).isPresent()) {
            // a token is for clients, within its scopes; the pages (deleting, creating tokens) want the owner's password,
            // or a pull-only token could mint itself a push token
            message(exchange, new Message(visitor, 403, "Sign in with your password",
                    "The web catalog does not accept tokens: sign in with your user name and password.", "/ui/"));
            return;
        }
        try {
            route(exchange, path, visitor);
        } catch (RegistryUnavailable e) {
            message(exchange, new Message(visitor, e.status() == 404 ? 404 : 502, "The registry did not answer as expected",
                    e.getMessage(), "/ui/"));
        }
    }

    private void route(HttpServerExchange exchange, String path, Visitor visitor) throws IOException {
        boolean get = UiPaths.isRead(exchange);
        Map<String, String> q = Forms.parse(exchange.getQueryString());
        if (UiPaths.isEntrance(exchange)) {
            exchange.getResponseHeaders().put(Headers.LOCATION, "/ui/");
            Answer.text(exchange, 302, "The registry's web catalog is at /ui/\n");
        } else if (get && path.equals("/ui/style.css")) {
            Static.send(exchange, "/ui/style.css", "text/css; charset=utf-8");
        } else if (get && path.equals("/ui/")) {
            html(exchange, 200, "repositories.jte", pages.repositories(visitor, q.getOrDefault("q", ""), q.getOrDefault("last", "")));
        } else if (get && path.equals("/ui/repository")) {
            String name = q.get("name");
            if (mayPull(exchange, visitor, name)) {
                html(exchange, 200, "repository.jte", pages.repository(visitor, name, host(exchange)));
            }
        } else if (get && path.equals("/ui/image")) {
            String name = q.get("name");
            String ref = q.getOrDefault("ref", "");
            if (!Grammar.isTag(ref) && !Grammar.isDigest(ref)) {
                message(exchange, new Message(visitor, 400, "No such image", "'" + ref + "' is neither a tag nor a digest.", "/ui/"));
            } else if (mayPull(exchange, visitor, name)) {
                html(exchange, 200, "image.jte", pages.image(visitor, name, ref, host(exchange)));
            }
        } else if (get && path.equals("/ui/delete")) {
            confirm(exchange, visitor, q.get("name"), q.getOrDefault("tag", ""));
        } else if (isDeleteForm(exchange, path)) {
            delete(exchange, visitor, Forms.parse(PostedForm.of(exchange)));
        } else {
            message(exchange, new Message(visitor, 404, "Not found", "There is no page at this address.", "/ui/"));
        }
    }

    /** Invalid names and repositories the visitor may not pull look the same: not found. */
    private boolean mayPull(HttpServerExchange exchange, Visitor visitor, String name) throws IOException {
        if (Grammar.isRepository(name) && policy.mayPull(visitor.user(), visitor.groups(), java.util.Optional.empty(), name)) {
            return true;
        }
        message(exchange, new Message(visitor, 404, "No such repository",
                "There is no repository '" + (name == null ? "" : name) + "' that you may see.", "/ui/"));
        return false;
    }

    private boolean mayDelete(HttpServerExchange exchange, Visitor visitor, String name) throws IOException {
        if (!mayPull(exchange, visitor, name)) {
            return false;
        }
        if (!policy.mayDelete(visitor.user(), visitor.groups(), name)) {
            message(exchange, new Message(visitor, 403, "Not allowed",
                    "The access rules do not allow you to delete in '" + name + "'.", "/ui/repository?name=" + CatalogPages.encode(name)));
            return false;
        }
        return true;
    }

    private void confirm(HttpServerExchange exchange, Visitor visitor, String name, String tag) throws IOException {
        if (!mayDelete(exchange, visitor, name)) {
            return;
        }
        if (!Grammar.isTag(tag)) {
            message(exchange, new Message(visitor, 400, "No such tag", "'" + tag + "' is not a tag.", "/ui/"));
            return;
        }
        String digest = pages.digestOf(name, tag);
        List<String> others = pages.tagsOn(name, digest).stream().filter(t -> !t.equals(tag)).toList();
        html(exchange, 200, "confirm.jte", new ConfirmDelete(visitor, name, tag, digest, others,
                csrf.token(visitor.name(), name, digest)));
    }

    private void delete(HttpServerExchange exchange, Visitor visitor, Map<String, String> form) throws IOException {
        String name = form.get("name");
        String digest = form.getOrDefault("digest", "");
        if (!mayDelete(exchange, visitor, name)) {
            return;
        }
        String back = "/ui/repository?name=" + CatalogPages.encode(name);
        if (!sameOrigin(exchange) || !csrf.valid(form.get("csrf"), visitor.name(), name, digest)) {
            message(exchange, new Message(visitor, 403, "Refused",
                    "This delete did not come from the confirmation page of this catalog; nothing was deleted.", back));
            return;
        }
        if (!Grammar.isDigest(digest)) {
            message(exchange, new Message(visitor, 400, "Nothing deleted", "'" + digest + "' is not a digest.", back));
            return;
        }
        Optional<String> refusal;
        try {
            refusal = immutable.refuseDelete(name, digest);
        } catch (RegistryTags.Unavailable e) {
            message(exchange, new Message(visitor, 503, "Nothing deleted", "The immutable tags could not be checked: " + e.getMessage(), back));
            return;
        }
        if (refusal.isPresent()) {
            message(exchange, new Message(visitor, 403, "Nothing deleted", "Not allowed: " + refusal.get() + ".", back));
            return;
        }
        // counted like a delete through the API, so 'maintenance on --wait' waits for it
        if (!maintenance.admit(null)) {
            exchange.getResponseHeaders().put(Headers.RETRY_AFTER, "60");
            message(exchange, new Message(visitor, 503, "Nothing deleted",
                    "The registry is in maintenance: deletes are refused until it ends. Try again later.", back));
            return;
        }
        int status;
        try {
            status = pages.delete(name, digest);
        } finally {
            maintenance.done();
        }
        LOG.info("web catalog: user '{}' deleted {}@{}: registry answered {}", LogText.printable(visitor.name()),
                LogText.printable(name), digest, status);
        if (status == 202) {
            DeletedByGate.mark(exchange, name, digest); // the audit trail's delete event, as for a delete through the API
            message(exchange, new Message(visitor, 200, "Deleted", "The manifest " + digest + " of " + name
                    + " was deleted, with every tag on it.", back));
        } else if (status == 405) {
            message(exchange, new Message(visitor, 409, "Nothing deleted",
                    "The registry does not allow deletes (storage.delete.enabled is off in its configuration).", back));
        } else if (status == 404) {
            message(exchange, new Message(visitor, 404, "Nothing deleted", "The registry no longer has " + digest + ".", back));
        } else {
            message(exchange, new Message(visitor, 502, "Nothing deleted", "The registry answered " + status + ".", back));
        }
    }

    /** The form must come from a page of this origin: browsers send Origin on every POST. */
    static boolean sameOrigin(HttpServerExchange exchange) {
        String origin = exchange.getRequestHeaders().getFirst(Headers.ORIGIN);
        return origin != null && origin.equals("https://" + host(exchange));
    }

    static String host(HttpServerExchange exchange) {
        String host = exchange.getRequestHeaders().getFirst(Headers.HOST);
        return host == null ? "localhost" : host;
    }

    private static boolean isDeleteForm(HttpServerExchange exchange, String path) {
        return exchange.getRequestMethod().equals(Methods.POST) && path.equals("/ui/delete");
    }

    private void message(HttpServerExchange exchange, Message m) {
        html(exchange, m.status(), "message.jte", m);
    }

    private void html(HttpServerExchange exchange, int status, String template, Object model) {
        templates.send(exchange, status, template, model);
    }

}
