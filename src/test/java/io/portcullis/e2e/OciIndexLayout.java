package io.portcullis.e2e;

import io.portcullis.testing.Digests;
import io.portcullis.testing.OciLayout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An OCI image layout holding a two-platform image index (linux/amd64 and linux/arm64/v8), built by hand like
 * {@link OciLayout}: each platform has two small layers and a config with entrypoint, cmd, env, exposed ports,
 * working dir, user, history and labels. One label value and one index annotation hold {@code SCRIPT}, so a page
 * that shows them unescaped runs it. Skopeo copies it with {@code copy --all oci:DIR:TAG}.
 */
public final class OciIndexLayout {
    public static final String SCRIPT = "<script>document.title='pwned'</script>";
    public static final List<String> PLATFORMS = List.of("linux/amd64", "linux/arm64/v8");

    public record Index(Path layout, String tag, String indexDigest, List<String> platformDigests, List<String> layerDigests) {
    }

    private OciIndexLayout() {
    }

    public static Index build(Path work, String tag) {
        try {
            Path layout = Files.createDirectories(work.resolve("layout"));
            Path blobs = Files.createDirectories(layout.resolve("blobs").resolve("sha256"));
            List<String> entries = new ArrayList<>();
            List<String> platformDigests = new ArrayList<>();
            List<String> allLayers = new ArrayList<>();
            int seed = 0;
            for (String platform : PLATFORMS) {
                String[] p = platform.split("/");
                List<String> layers = new ArrayList<>();
                List<String> diffIds = new ArrayList<>();
                for (int i = 1; i <= 2; i++) {
                    seed++;
                    Path root = Files.createDirectories(work.resolve("rootfs" + seed).resolve("app"));
                    Files.write(root.resolve("data-" + seed + ".bin"), Digests.randomBytes(20_000 * seed, 100 + seed));
                    OciLayout.LayerBlob layer = OciLayout.layer(work, blobs, seed);
                    diffIds.add(layer.diffId());
                    layers.add("{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"" + layer.digest()
                            + "\",\"size\":" + layer.size() + "}");
                    allLayers.add(layer.digest());
                }
                String config = "{\"created\":\"2026-11-30T12:00:00Z\",\"architecture\":\"" + p[1] + "\",\"os\":\"" + p[0] + "\""
                        + (p.length > 2 ? ",\"variant\":\"" + p[2] + "\"" : "")
                        + ",\"config\":{\"User\":\"app\",\"WorkingDir\":\"/app\",\"Entrypoint\":[\"/app/serve\"],\"Cmd\":[\"--port\",\"8080\"],"
                        + "\"Env\":[\"PATH=/usr/bin:/bin\",\"MODE=test\"],\"ExposedPorts\":{\"8080/tcp\":{}},"
                        + "\"Labels\":{\"org.opencontainers.image.title\":\"portcullis e2e\",\"evil\":\"" + json(SCRIPT) + "\"}},"
                        + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + String.join("\",\"", diffIds) + "\"]},"
                        + "\"history\":[{\"created\":\"2026-11-30T12:00:00Z\",\"created_by\":\"COPY app/ /app # layer one\"},"
                        + "{\"created\":\"2026-11-30T12:00:00Z\",\"created_by\":\"COPY data /app # layer two\"}]}";
                String configDigest = OciLayout.writeBlob(blobs, config);
                String manifest = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                        + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + configDigest
                        + "\",\"size\":" + config.getBytes(StandardCharsets.UTF_8).length + "},"
                        + "\"layers\":[" + String.join(",", layers) + "]}";
                String manifestDigest = OciLayout.writeBlob(blobs, manifest);
                platformDigests.add(manifestDigest);
                entries.add("{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" + manifestDigest
                        + "\",\"size\":" + manifest.getBytes(StandardCharsets.UTF_8).length + ",\"platform\":{\"architecture\":\""
                        + p[1] + "\",\"os\":\"" + p[0] + "\"" + (p.length > 2 ? ",\"variant\":\"" + p[2] + "\"" : "") + "}}");
            }
            String index = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":["
                    + String.join(",", entries) + "],\"annotations\":{\"org.example.note\":\"" + json(SCRIPT) + "\"}}";
            String indexDigest = OciLayout.writeBlob(blobs, index);
            String top = "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"application/vnd.oci.image.index.v1+json\","
                    + "\"digest\":\"" + indexDigest + "\",\"size\":" + index.getBytes(StandardCharsets.UTF_8).length
                    + ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"" + tag + "\"}}]}";
            Files.writeString(layout.resolve("index.json"), top);
            Files.writeString(layout.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
            return new Index(layout, tag, indexDigest, List.copyOf(platformDigests), List.copyOf(allLayers));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String json(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
