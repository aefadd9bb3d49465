package io.portcullis.ui;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Optional;

/** What each page of the web catalog shows: plain records, rendered by the JTE templates in src/main/jte. */
public final class Views {
    private Views() {
    }

    /**
     * Shared by every page: who is looking (empty: anonymous), the visitor's groups from its login source (a
     * directory's, for {@code group:NAME} rules), and the maintenance mode when it is on (the layout shows it on
     * every page).
     */
    public record Visitor(Optional<String> user, Set<String> groups, Optional<String> maintenance) {
        public String name() {
            return user.orElse("anonymous");
        }
    }

    public record RepositoryList(Visitor visitor, List<String> repositories, String filter, Optional<String> nextHref) {
    }

    public record Platform(String platform, String digest, long size) {
        public String sizeText() {
            return Sizes.human(size);
        }
    }

    public record TagRow(String tag, String digest, long size, String created, List<Platform> platforms) {
        public String sizeText() {
            return Sizes.human(size);
        }
    }

    public record Repository(Visitor visitor, String name, String pull, List<TagRow> tags, boolean mayDelete) {
    }

    public record Layer(String digest, String mediaType, long size) {
        public String sizeText() {
            return Sizes.human(size);
        }
    }

    public record History(String created, String createdBy, boolean emptyLayer) {
    }

    public record Config(String created, List<String> entrypoint, List<String> cmd, List<String> env,
                         List<String> exposedPorts, Map<String, String> labels, String workingDir, String user,
                         List<History> history) {
    }

    /** One image (one platform of an index, or the whole of a single-platform tag). */
    public record Image(String platform, String digest, String mediaType, long size, List<Layer> layers, Config config,
                        Map<String, String> annotations) {
        public String sizeText() {
            return Sizes.human(size);
        }
    }

    public record ImagePage(Visitor visitor, String name, String reference, String digest, String mediaType,
                            String pull, List<Platform> platforms, Map<String, String> annotations, List<Image> images,
                            boolean mayDelete) {
    }

    public record ConfirmDelete(Visitor visitor, String name, String tag, String digest, List<String> otherTags,
                                String csrf) {
    }

    public record Message(Visitor visitor, int status, String title, String text, String backHref) {
    }
}
