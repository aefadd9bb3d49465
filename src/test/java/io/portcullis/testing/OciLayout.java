package io.portcullis.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Builds an OCI image layout directory by hand, the way a build tool would: three layers made with
 * {@code tar} and {@code gzip -n}, a config listing their diff_ids, an OCI manifest and index.json with a
 * ref name. Skopeo reads it as {@code oci:DIR:TAG}.
 */
public final class OciLayout {
    public record Image(Path layout, String tag, String manifestDigest, String configDigest, List<String> layerDigests) {
    }

    private OciLayout() {
    }

    public static Image build(Path work, String tag) {
        return build(work, tag, 42);
    }

    /** @param seed of the layers' random data: images built with different seeds share no layer */
    public static Image build(Path work, String tag, long seed) {
        try {
            Path layout = Files.createDirectories(work.resolve("layout"));
            Path blobs = Files.createDirectories(layout.resolve("blobs").resolve("sha256"));
            List<String> layerDigests = new ArrayList<>();
            List<Long> layerSizes = new ArrayList<>();
            List<String> diffIds = new ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                Path root = Files.createDirectories(work.resolve("rootfs" + i).resolve("opt").resolve("layer" + i));
                Files.writeString(root.resolve("README"), "layer " + i + " of the portcullis e2e image\n");
                Files.write(root.resolve("data.bin"), Digests.randomBytes(i * 700_000, seed + i));
                LayerBlob layer = layer(work, blobs, i);
                diffIds.add(layer.diffId());
                layerDigests.add(layer.digest());
                layerSizes.add(layer.size());
            }
            String config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Cmd\":[\"/bin/sh\"]},"
                    + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[" + quoteJoin(diffIds) + "]},"
                    + "\"history\":[{\"created_by\":\"portcullis e2e\"}]}";
            String configDigest = writeBlob(blobs, config);
            StringBuilder layers = new StringBuilder();
            for (int i = 0; i < layerDigests.size(); i++) {
                if (i > 0) {
                    layers.append(',');
                }
                layers.append("{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"")
                        .append(layerDigests.get(i)).append("\",\"size\":").append(layerSizes.get(i)).append('}');
            }
            String manifest = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                    + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\""
                    + configDigest + "\",\"size\":" + config.getBytes(StandardCharsets.UTF_8).length + "},"
                    + "\"layers\":[" + layers + "]}";
            String manifestDigest = writeBlob(blobs, manifest);
            String index = "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                    + "\"digest\":\"" + manifestDigest + "\",\"size\":" + manifest.getBytes(StandardCharsets.UTF_8).length
                    + ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"" + tag + "\"}}]}";
            Files.writeString(layout.resolve("index.json"), index);
            Files.writeString(layout.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
            return new Image(layout, tag, manifestDigest, configDigest, List.copyOf(layerDigests));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A gzipped layer blob: its digest, the digest of its uncompressed tar (config diff_id) and its size. */
    public record LayerBlob(String digest, String diffId, long size) {
    }

    /** Tars {@code work/rootfs<i>} reproducibly, gzips it and stores it among the layout's blobs. */
    public static LayerBlob layer(Path work, Path blobs, int i) throws IOException {
        Path tar = work.resolve("layer" + i + ".tar");
        Cmd.of("tar", "--sort=name", "--owner=0", "--group=0", "--numeric-owner", "--mtime=@0",
                        "-C", work.resolve("rootfs" + i).toString(), "-cf", tar.toString(), ".")
                .timeout(Duration.ofSeconds(60)).ok();
        String diffId = Digests.of(tar);
        Cmd.of("gzip", "-n", "-6", tar.toString()).timeout(Duration.ofSeconds(60)).ok();
        Path gz = work.resolve("layer" + i + ".tar.gz");
        String digest = Digests.of(gz);
        long size = Files.size(gz);
        Files.move(gz, blobs.resolve(Digests.hex(digest)));
        return new LayerBlob(digest, diffId, size);
    }

    public static String writeBlob(Path blobs, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        String digest = Digests.of(bytes);
        Files.write(blobs.resolve(Digests.hex(digest)), bytes);
        return digest;
    }

    private static String quoteJoin(List<String> values) {
        return String.join(",", values.stream().map(v -> "\"" + v + "\"").toList());
    }

    /** name → bytes of every blob in a layout, for byte-for-byte comparison. */
    public static Map<String, byte[]> blobs(Path layout) {
        Map<String, byte[]> all = new TreeMap<>();
        try (Stream<Path> files = Files.list(layout.resolve("blobs").resolve("sha256"))) {
            for (Path p : files.toList()) {
                all.put(p.getFileName().toString(), Files.readAllBytes(p));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return all;
    }
}
