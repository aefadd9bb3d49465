package io.portcullis.ui;

import io.portcullis.upstream.JsonMembers;
import io.portcullis.upstream.Manifest;
import io.portcullis.upstream.RegistryClient;

import io.portcullis.ui.Views.Config;
import io.portcullis.ui.Views.History;
import io.portcullis.ui.Views.Image;
import io.portcullis.ui.Views.Layer;
import io.portcullis.ui.Views.Platform;
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
        for (Object entry : JsonMembers.array(index.json(), "manifests")) {
            String digest = JsonMembers.string(entry, "digest");
            long size = imageSize(registry.manifest(repository, digest));
            platforms.add(new Platform(platform(JsonMembers.object(entry, "platform")), digest, size));
        }
        return platforms;
    }

    static String platform(Map<String, Object> p) {
        String os = JsonMembers.string(p, "os");
        String arch = JsonMembers.string(p, "architecture");
        String variant = JsonMembers.string(p, "variant");
        if (os.isEmpty() && arch.isEmpty()) {
            return "unknown";
        }
        return os + "/" + arch + (variant.isEmpty() ? "" : "/" + variant);
    }

    /** Config plus layers: what a pull downloads, compressed. */
    static long imageSize(Manifest m) {
        long size = JsonMembers.number(JsonMembers.object(m.json(), "config"), "size");
        for (Object layer : JsonMembers.array(m.json(), "layers")) {
            size += JsonMembers.number(layer, "size");
        }
        return size;
    }

    /** The created date from an image's config, or empty when it has none. */
    String created(String repository, Manifest image) {
        String configDigest = JsonMembers.string(JsonMembers.object(image.json(), "config"), "digest");
        return configDigest.isEmpty() ? "" : JsonMembers.string(registry.config(repository, configDigest), "created");
    }

    Image image(String repository, String platform, Manifest m) {
        List<Layer> layers = new ArrayList<>();
        for (Object layer : JsonMembers.array(m.json(), "layers")) {
            layers.add(new Layer(JsonMembers.string(layer, "digest"), JsonMembers.string(layer, "mediaType"), JsonMembers.number(layer, "size")));
        }
        String configDigest = JsonMembers.string(JsonMembers.object(m.json(), "config"), "digest");
        Object config = configDigest.isEmpty() ? Map.of() : registry.config(repository, configDigest);
        if (platform == null) {
            platform = JsonMembers.string(config, "os") + "/" + JsonMembers.string(config, "architecture");
        }
        return new Image(platform, m.digest(), m.mediaType(), imageSize(m), layers, config(config),
                strings(JsonMembers.object(m.json(), "annotations")));
    }

    static Config config(Object document) {
        Map<String, Object> c = JsonMembers.object(document, "config");
        List<History> history = new ArrayList<>();
        for (Object h : JsonMembers.array(document, "history")) {
            history.add(new History(JsonMembers.string(h, "created"), JsonMembers.string(h, "created_by"),
                    Boolean.TRUE.equals(h instanceof Map<?, ?> m ? m.get("empty_layer") : null)));
        }
        return new Config(JsonMembers.string(document, "created"), JsonMembers.strings(c, "Entrypoint"), JsonMembers.strings(c, "Cmd"),
                JsonMembers.strings(c, "Env"), List.copyOf(JsonMembers.object(c, "ExposedPorts").keySet()), strings(JsonMembers.object(c, "Labels")),
                JsonMembers.string(c, "WorkingDir"), JsonMembers.string(c, "User"), history);
    }

    static Map<String, String> strings(Map<String, Object> map) {
        Map<String, String> out = new LinkedHashMap<>();
        map.forEach((k, v) -> out.put(k, String.valueOf(v)));
        return out;
    }
}
