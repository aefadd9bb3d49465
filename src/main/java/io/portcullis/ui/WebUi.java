package io.portcullis.ui;

import io.portcullis.listing.FilteredCatalogHandler;
import io.portcullis.listing.VisibleCatalog;
import io.portcullis.upstream.RegistryClient;

import io.portcullis.access.AccessPolicy;
import io.portcullis.access.ImmutableTags;
import io.portcullis.maintenance.MaintenanceSwitch;
import io.portcullis.api.LoginChallenge;
import io.portcullis.shared.RedisStore;
import io.portcullis.shared.SharedKey;
import io.undertow.server.HttpHandler;
import io.portcullis.audit.AuditTrail;
import io.portcullis.token.TokenPolicy;
import io.portcullis.token.TokenStore;
import java.util.Optional;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Builds the web UI's steps of the chain (the token pages and the web catalog, after basic auth) and the filtered
 * {@code _catalog} (after the access decision) around one {@link RegistryClient}, so both read the registry through
 * the same bounded client and cache.
 *
 * <p>Its HTTP client and threads are its own, not shared with the audit webhooks: the catalog must follow the
 * registry's redirects (a blob GET may answer 307 to storage) and a webhook must not (its signed events would go
 * wherever a receiver points), and the JDK sets that per client, so one client cannot serve both. Both are
 * bounded where they are sized: here {@link #CONCURRENCY} fan-out threads and registry requests at once, in the
 * audit trail one thread per sink. The JDK client's own executor only runs short non-blocking steps of the requests
 * in flight, so its threads follow their number, not the clients': 19 for this client while 200-tag pages were
 * loaded over and over (JFR), one or two per webhook.
 */
public final class WebUi {
    /** Registry requests of the catalog in flight at once, across all pages. */
    static final int CONCURRENCY = 16;
    /** How long a tag list or tag → digest answer is reused. */
    static final Duration TAG_TTL = Duration.ofSeconds(3);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final AccessPolicy policy;
    private final RegistryClient registry;
    private final ExecutorService fanOut;
    private final MaintenanceSwitch maintenance;
    private final CsrfTokens csrf;
    private final ImmutableTags immutable;

    public WebUi(URI upstream, AccessPolicy policy, MaintenanceSwitch maintenance, ImmutableTags immutable) {
        this(upstream, policy, maintenance, immutable, Optional.empty());
    }

    /** @param redis where the form-signing key is shared with the other gates, when several share one */
    public WebUi(URI upstream, AccessPolicy policy, MaintenanceSwitch maintenance, ImmutableTags immutable,
                        Optional<RedisStore> redis) {
        this.csrf = new CsrfTokens(SharedKey.named("catalog-csrf", redis));
        this.policy = policy;
        this.maintenance = maintenance;
        this.immutable = immutable;
        this.registry = new RegistryClient(upstream, REQUEST_TIMEOUT, CONCURRENCY, TAG_TTL);
        AtomicInteger n = new AtomicInteger();
        this.fanOut = Executors.newFixedThreadPool(CONCURRENCY, r -> {
            Thread t = new Thread(r, "catalog-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    public HttpHandler webCatalog(HttpHandler next) {
        return new WebCatalog(policy, new CatalogPages(registry, policy, fanOut), maintenance, immutable, csrf, next);
    }

    /** The Tokens page ({@code /ui/tokens}) in front of the web catalog. */
    public HttpHandler tokenPages(TokenStore store, TokenPolicy lifetimes, Optional<AuditTrail> audit, LoginChallenge challenge,
                                  HttpHandler next) {
        return new TokenPages(store, policy, lifetimes, audit, challenge, next);
    }

    public HttpHandler filteredCatalog(HttpHandler next) {
        return new FilteredCatalogHandler(policy, new VisibleCatalog(registry, policy), next);
    }
}
