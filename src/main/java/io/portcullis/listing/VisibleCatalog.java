package io.portcullis.listing;

import io.portcullis.upstream.RegistryClient;

import io.portcullis.access.AccessPolicy;
import io.portcullis.token.Token;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The registry's catalog as one user may see it: only repositories the rules let them pull, in the registry's
 * order, paged with the registry's own {@code n}/{@code last} so that a page holds {@code n} visible names
 * whatever was filtered out between them. The registry is paged until {@code n + 1} visible names are found (the
 * extra one says whether a next page exists) or {@link #MAX_UPSTREAM_PAGES} pages were read (each read asks for twice
 * as many names as the one before, up to {@link #MAX_ENTRIES}); then the page may be
 * shorter than {@code n} but still says where to go on.
 */
public final class VisibleCatalog {
    /** distribution's default {@code catalog.maxentries}: the most names one registry answer holds. */
    public static final int MAX_ENTRIES = 1000;
    static final int MAX_UPSTREAM_PAGES = 50;

    private final RegistryClient registry;
    private final AccessPolicy policy;

    public VisibleCatalog(RegistryClient registry, AccessPolicy policy) {
        this.registry = registry;
        this.policy = policy;
    }

    /**
     * @param next the {@code last} for the following page, or empty when this page is the end
     */
    public record Page(List<String> repositories, Optional<String> next) {
    }

    /** The repositories {@code user} (in {@code groups}), within {@code token}'s scopes when it logged in with one, may pull. */
    public Page page(Optional<String> user, Set<String> groups, Optional<Token> token, int n, String last) {
        return page(user, groups, token, n, last, name -> true);
    }

    /** @param wanted a further filter (the web catalog's filter box), applied like the rules */
    public Page page(Optional<String> user, Set<String> groups, int n, String last, Predicate<String> wanted) {
        return page(user, groups, Optional.empty(), n, last, wanted);
    }

    private Page page(Optional<String> user, Set<String> groups, Optional<Token> token, int n, String last, Predicate<String> wanted) {
        if (n <= 0) {
            return new Page(List.of(), Optional.empty());
        }
        boolean all = policy.seesWholeCatalog(user, groups, token);
        int batch = Math.min(MAX_ENTRIES, Math.max(100, n + 1));
        List<String> visible = new ArrayList<>(n + 1);
        String cursor = last;
        for (int read = 0; read < MAX_UPSTREAM_PAGES; read++) {
            RegistryClient.CatalogPage page = registry.catalog(batch, cursor);
            // many names filtered out: ask for more at once next time (fewer round trips, same order)
            batch = Math.min(MAX_ENTRIES, batch * 2);
            for (String repository : page.repositories()) {
                if (wanted.test(repository) && (all || policy.mayPull(user, groups, token, repository))) {
                    visible.add(repository);
                    if (visible.size() > n) {
                        return new Page(List.copyOf(visible.subList(0, n)), Optional.of(visible.get(n - 1)));
                    }
                }
                cursor = repository;
            }
            if (!page.more() || page.repositories().isEmpty()) {
                return new Page(List.copyOf(visible), Optional.empty());
            }
        }
        // bounded work per request: say where the scan stopped, so the client's next request goes on from there
        return new Page(List.copyOf(visible), Optional.ofNullable(cursor));
    }
}
