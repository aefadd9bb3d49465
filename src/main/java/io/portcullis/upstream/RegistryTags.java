package io.portcullis.upstream;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Asks the registry, never a cache, where tags point now: what an immutable-tag decision must be made on. Blocking
 * (HttpURLConnection: no threads of its own, keep-alive pooled by the JDK); call it on a worker thread only.
 */
public final class RegistryTags {
    /** What docker, podman and skopeo accept: so the registry answers with the stored manifest, never a conversion. */
    static final String MANIFEST_TYPES = String.join(",",
            "application/vnd.oci.image.index.v1+json",
            "application/vnd.docker.distribution.manifest.list.v2+json",
            "application/vnd.oci.image.manifest.v1+json",
            "application/vnd.docker.distribution.manifest.v2+json",
            "application/vnd.docker.distribution.manifest.v1+prettyjws",
            "application/vnd.docker.distribution.manifest.v1+json");
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** A tag list larger than this is not read (a few hundred thousand tags). */
    static final int MAX_TAG_LIST = 16 * 1024 * 1024;
    /** distribution's maxManifestBodySize. */
    static final int MAX_MANIFEST = 4 * 1024 * 1024;
    private static final Pattern QUOTED = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** The registry did not give an answer a decision can be made on. */
    public static final class Unavailable extends Exception {
        Unavailable(String message) {
            super(message);
        }
    }

    private final URI upstream;

    public RegistryTags(URI upstream) {
        this.upstream = upstream;
    }

    /** The digest the tag points to now (a HEAD); empty when the registry has no such tag (or repository). */
    public Optional<String> digestOf(String repository, String tag) throws Unavailable {
        return manifest(repository, tag, false).map(StoredManifest::digest);
    }

    /** A manifest as stored: its digest and its text (empty after a HEAD). */
    public record StoredManifest(String digest, String body) {
        /** Whether the manifest names {@code digest}: an index its platform manifests, an image its config and layers. */
        public boolean refersTo(String digest) {
            return body.contains("\"" + digest + "\"");
        }
    }

    /** The manifest the tag points to now (at most 4 MiB, the registry's own limit); empty when there is none. */
    public Optional<StoredManifest> manifestOf(String repository, String tag) throws Unavailable {
        return manifest(repository, tag, true);
    }

    private Optional<StoredManifest> manifest(String repository, String tag, boolean withBody) throws Unavailable {
        HttpURLConnection c = open("/v2/" + repository + "/manifests/" + tag, withBody ? "GET" : "HEAD");
        try {
            c.setRequestProperty("Accept", MANIFEST_TYPES);
            int status = c.getResponseCode();
            if (status == 404) {
                return Optional.empty();
            }
            String digest = c.getHeaderField("Docker-Content-Digest");
            if (status != 200 || digest == null || digest.isEmpty()) {
                throw new Unavailable("the registry answered " + status + " when asked where " + repository + ":" + tag + " points");
            }
            String body = withBody ? new String(bounded(c.getInputStream(), MAX_MANIFEST, repository + ":" + tag), StandardCharsets.UTF_8) : "";
            return Optional.of(new StoredManifest(digest, body));
        } catch (IOException e) {
            throw new Unavailable("the registry cannot be reached (" + e.getClass().getSimpleName() + ")");
        } finally {
            c.disconnect();
        }
    }

    private static byte[] bounded(InputStream stream, int max, String what) throws IOException, Unavailable {
        try (InputStream in = stream) {
            byte[] bytes = in.readNBytes(max + 1);
            if (bytes.length > max) {
                throw new Unavailable("the registry sent more than " + max + " bytes for " + what);
            }
            return bytes;
        }
    }

    /** Every tag of the repository; empty when it has none. */
    public List<String> tags(String repository) throws Unavailable {
        HttpURLConnection c = open("/v2/" + repository + "/tags/list", "GET");
        try {
            int status = c.getResponseCode();
            if (status == 404) {
                return List.of();
            }
            if (status != 200) {
                throw new Unavailable("the registry answered " + status + " when asked for the tags of " + repository);
            }
            return tagsIn(new String(bounded(c.getInputStream(), MAX_TAG_LIST, "the tag list of " + repository), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new Unavailable("the registry cannot be reached (" + e.getClass().getSimpleName() + ")");
        } finally {
            c.disconnect();
        }
    }

    /** The strings of {@code "tags":[…]} in {@code {"name":"…","tags":[…]}}; tags need no unescaping (their grammar). */
    public static List<String> tagsIn(String body) {
        int key = body.indexOf("\"tags\"");
        List<String> tags = new ArrayList<>();
        if (key < 0) {
            return tags;
        }
        int open = body.indexOf('[', key);
        int close = body.indexOf(']', open + 1);
        if (open < 0 || close < 0) {
            return tags;
        }
        Matcher m = QUOTED.matcher(body.substring(open + 1, close));
        while (m.find()) {
            tags.add(m.group(1));
        }
        return tags;
    }

    private HttpURLConnection open(String path, String method) throws Unavailable {
        try {
            HttpURLConnection c = (HttpURLConnection) upstream.resolve(path).toURL().openConnection(Proxy.NO_PROXY);
            c.setRequestMethod(method);
            c.setConnectTimeout((int) TIMEOUT.toMillis());
            c.setReadTimeout((int) TIMEOUT.toMillis());
            c.setInstanceFollowRedirects(false);
            c.setUseCaches(false);
            return c;
        } catch (IOException e) {
            throw new Unavailable("the registry cannot be reached (" + e.getClass().getSimpleName() + ")");
        }
    }
}
