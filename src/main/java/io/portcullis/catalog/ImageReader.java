package io.portcullis.catalog;

import io.portcullis.catalog.Views.Config;
import io.portcullis.catalog.Views.History;
import io.portcullis.catalog.Views.Image;
import io.portcullis.catalog.Views.Layer;
import io.portcullis.catalog.Views.Platform;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns manifests, indexes and image configs (registry JSON) into the records the pages show. */
final class ImageReader {
    private final RegistryClient registry;

    ImageReader(RegistryClient registry) {
        this.registry = registry;
    }

    /** The platforms an index lists, each with its own manifest digest and the compressed size of its image. */
    List<Platform> platforms(String repository, Manifest index) {
        List<Platform> platforms = new ArrayList<>();
        for (Object entry : Doc.array(index.json(), "manifests")) {
            String digest = Doc.string(entry, "digest");
            long size = imageSize(registry.manifest(repository, digest));
            platforms.add(new Platform(platform(Doc.object(entry, "platform")), digest, size));
        }
        return platforms;
    }

    static String platform(Map<String, Object> p) {
        String os = Doc.string(p, "os");
        String arch = Doc.string(p, "architecture");
        String variant = Doc.string(p, "variant");
        if (os.isEmpty() && arch.isEmpty()) {
            return "unknown";
        }
        return os + "/" + arch + (variant.isEmpty() ? "" : "/" + variant);
    }

    /** Config plus layers: what a pull downloads, compressed. */
    static long imageSize(Manifest m) {
        long size = Doc.number(Doc.object(m.json(), "config"), "size");
        for (Object layer : Doc.array(m.json(), "layers")) {
            size += Doc.number(layer, "size");
        }
        return size;
    }

    /** The created date from an image's config, or empty when it has none. */
    String created(String repository, Manifest image) {
        String configDigest = Doc.string(Doc.object(image.json(), "config"), "digest");
        return configDigest.isEmpty() ? "" : Doc.string(registry.config(repository, configDigest), "created");
    }

    Image image(String repository, String platform, Manifest m) {
        List<Layer> layers = new ArrayList<>();
        for (Object layer : Doc.array(m.json(), "layers")) {
            layers.add(new Layer(Doc.string(layer, "digest"), Doc.string(layer, "mediaType"), Doc.number(layer, "size")));
        }
        String configDigest = Doc.string(Doc.object(m.json(), "config"), "digest");
        Object config = configDigest.isEmpty() ? Map.of() : registry.config(repository, configDigest);
        if (platform == null) {
            platform = Doc.string(config, "os") + "/" + Doc.string(config, "architecture");
        }
        return new Image(platform, m.digest(), m.mediaType(), imageSize(m), layers, config(config),
                strings(Doc.object(m.json(), "annotations")));
    }

    static Config config(Object document) {
        Map<String, Object> c = Doc.object(document, "config");
        List<History> history = new ArrayList<>();
        for (Object h : Doc.array(document, "history")) {
            history.add(new History(Doc.string(h, "created"), Doc.string(h, "created_by"),
                    Boolean.TRUE.equals(h instanceof Map<?, ?> m ? m.get("empty_layer") : null)));
        }
        return new Config(Doc.string(document, "created"), Doc.strings(c, "Entrypoint"), Doc.strings(c, "Cmd"),
                Doc.strings(c, "Env"), List.copyOf(Doc.object(c, "ExposedPorts").keySet()), strings(Doc.object(c, "Labels")),
                Doc.string(c, "WorkingDir"), Doc.string(c, "User"), history);
    }

    static Map<String, String> strings(Map<String, Object> map) {
        Map<String, String> out = new LinkedHashMap<>();
        map.forEach((k, v) -> out.put(k, String.valueOf(v)));
        return out;
    }
}
