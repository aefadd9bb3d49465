package io.portcullis.ui;

import io.portcullis.listing.VisibleCatalog;
import io.portcullis.upstream.JsonMembers;
import io.portcullis.upstream.Manifest;
import io.portcullis.upstream.RegistryClient;

import io.portcullis.access.AccessPolicy;
import io.portcullis.ui.Views.Image;
import io.portcullis.ui.Views.ImagePage;
import io.portcullis.ui.Views.Platform;
import io.portcullis.ui.Views.Repository;
import io.portcullis.ui.Views.RepositoryList;
import io.portcullis.ui.Views.TagRow;
import io.portcullis.ui.Views.Visitor;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * Reads what each page shows from the registry. A repository page reads every tag's manifest (and config)
 * in parallel on {@code fanOut}; the {@link RegistryClient} bounds how many reach the registry at once and caches
 * by digest, so a page of 200 tags costs 200 small requests once and then only the tag resolutions.
 */
public final class CatalogPages {
    static final int PAGE_SIZE = 50;

    private final RegistryClient registry;
    private final VisibleCatalog catalog;
    private final AccessPolicy policy;
    private final ImageReader images;
    private final Executor fanOut;

    public CatalogPages(RegistryClient registry, AccessPolicy policy, Executor fanOut) {
        this.registry = registry;
        this.catalog = new VisibleCatalog(registry, policy);
        this.policy = policy;
        this.images = new ImageReader(registry);
        this.fanOut = fanOut;
    }

    public RepositoryList repositories(Visitor visitor, String filter, String last) {
        String wanted = filter.strip();
        VisibleCatalog.Page page = catalog.page(visitor.user(), visitor.groups(), PAGE_SIZE, last, name -> name.contains(wanted));
        Optional<String> next = page.next().map(n -> "/ui/?last=" + encode(n) + (wanted.isEmpty() ? "" : "&q=" + encode(wanted)));
        return new RepositoryList(visitor, page.repositories(), wanted, next);
    }

    public Repository repository(Visitor visitor, String name, String host) {
        List<CompletableFuture<TagRow>> rows = new ArrayList<>();
        for (String tag : registry.tags(name).stream().sorted().toList()) {
            rows.add(CompletableFuture.supplyAsync(() -> tagRow(name, tag), fanOut));
        }
        return new Repository(visitor, name, "docker pull " + host + "/" + name, join(rows),
                policy.mayDelete(visitor.user(), visitor.groups(), name));
    }

    private TagRow tagRow(String name, String tag) {
        Manifest m = registry.manifest(name, tag);
        if (m.isIndex()) {
            List<Platform> platforms = images.platforms(name, m);
            long size = platforms.stream().mapToLong(Platform::size).sum();
            String created = JsonMembers.array(m.json(), "manifests").isEmpty() ? ""
                    : images.created(name, registry.manifest(name, platforms.get(0).digest()));
            return new TagRow(tag, m.digest(), size, created, platforms);
        }
        return new TagRow(tag, m.digest(), ImageReader.imageSize(m), images.created(name, m), List.of());
    }

    public ImagePage image(Visitor visitor, String name, String reference, String host) {
        Manifest m = registry.manifest(name, reference);
        List<Platform> platforms = List.of();
        List<Image> shown;
        if (m.isIndex()) {
            platforms = images.platforms(name, m);
            List<CompletableFuture<Image>> each = new ArrayList<>();
            for (Platform p : platforms) {
                each.add(CompletableFuture.supplyAsync(() -> images.image(name, p.platform(), registry.manifest(name, p.digest())), fanOut));
            }
            shown = join(each);
        } else {
            shown = List.of(images.image(name, null, m));
        }
        String separator = reference.contains(":") ? "@" : ":";
        Map<String, String> annotations = m.isIndex() ? ImageReader.strings(JsonMembers.object(m.json(), "annotations")) : Map.of();
        return new ImagePage(visitor, name, reference, m.digest(), m.mediaType(),
                "docker pull " + host + "/" + name + separator + reference, platforms, annotations, shown,
                policy.mayDelete(visitor.user(), visitor.groups(), name) && !reference.contains(":"));
    }

    /** Every tag of the repository whose manifest is {@code digest}: a delete by digest removes them all. */
    public List<String> tagsOn(String name, String digest) {
        List<CompletableFuture<Optional<String>>> each = new ArrayList<>();
        for (String tag : registry.tags(name)) {
            each.add(CompletableFuture.supplyAsync(
                    () -> registry.manifest(name, tag).digest().equals(digest) ? Optional.of(tag) : Optional.<String>empty(), fanOut));
        }
        return join(each).stream().flatMap(Optional::stream).toList();
    }

    public String digestOf(String name, String tag) {
        return registry.manifest(name, tag).digest();
    }

    public int delete(String name, String digest) {
        return registry.deleteManifest(name, digest);
    }

    private static <T> List<T> join(List<CompletableFuture<T>> futures) {
        List<T> out = new ArrayList<>(futures.size());
        for (CompletableFuture<T> f : futures) {
            try {
                out.add(f.join());
            } catch (CompletionException e) {
                if (e.getCause() instanceof RuntimeException r) {
                    throw r;
                }
                throw e;
            }
        }
        return out;
    }

    static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
