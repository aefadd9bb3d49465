package io.portcullis.reload;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which directories to watch for a set of files, and which names in each directory can change what a file holds.
 * Computed once per check (off the event path), so that an event is judged by one map lookup.
 *
 * <p>Watched are the directory of the file and of every symlink hop to the real file, each as a real path (the
 * same directory reached two ways is watched once). A name in a watched directory is relevant when it is a
 * component of the path of one of those hops: the file itself, each link on its chain ({@code live/fullchain.pem}
 * and the {@code archive/fullchain2.pem} it points to), and a link the chain goes through as a directory
 * (Kubernetes' {@code ..data} in {@code tls.crt -> ..data/tls.crt}). Everything else in those directories (the
 * gate's own log, certbot's next archive file, kubelet's new {@code ..2026_…} directory and its {@code ..data_tmp})
 * cannot change the files' content until a relevant name changes too (the final rename or relink), so its events
 * are ignored, so a busy neighbour (a log written beside the file) cannot postpone the check.
 */
final class WatchPlan {
    private static final int MAX_SYMLINK_HOPS = 40;

    private final Map<Path, Set<Path>> namesByDirectory;

    private WatchPlan(Map<Path, Set<Path>> namesByDirectory) {
        this.namesByDirectory = namesByDirectory;
    }

    /** The plan for {@code files} as the file system links them right now; missing parts are simply left out. */
    static WatchPlan of(List<Path> files) {
        Set<Path> directories = new LinkedHashSet<>();
        Map<Path, Set<Path>> names = new HashMap<>();
        for (Path file : files) {
            for (Path hop : chainOf(file)) {
                addRealDirectory(directories, hop.getParent());
                addComponentNames(names, hop);
            }
        }
        Map<Path, Set<Path>> plan = new LinkedHashMap<>();
        for (Path dir : directories) {
            plan.put(dir, Set.copyOf(names.getOrDefault(dir, Set.of())));
        }
        return new WatchPlan(plan);
    }

    /** The real directories to watch, in the order of the files. */
    Set<Path> directories() {
        return namesByDirectory.keySet();
    }

    /**
     * Whether these events, taken from the key of the watched real directory {@code dir}, call for a check: one
     * of them is for a relevant name, or is an OVERFLOW (the kernel or the JDK dropped events; one of them may
     * have been the change).
     */
    boolean callsForCheck(Path dir, List<WatchEvent<?>> events) {
        for (WatchEvent<?> event : events) {
            if (event.kind() == StandardWatchEventKinds.OVERFLOW || isRelevant(dir, (Path) event.context())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether an event for {@code name} (relative, as a watch event gives it) in the watched real directory
     * {@code dir} can change a watched file.
     */
    boolean isRelevant(Path dir, Path name) {
        Set<Path> names = namesByDirectory.get(dir);
        return names != null && names.contains(name);
    }

    /**
     * The file and each symlink hop to the real file (absolute, normalized), ending with the real file's path
     * when it exists, so that an in-place edit behind a chain of links is seen where it happens.
     */
    private static List<Path> chainOf(Path file) {
        Set<Path> chain = new LinkedHashSet<>();
        Path current = file;
        for (int hop = 0; hop <= MAX_SYMLINK_HOPS && current != null && chain.add(current); hop++) {
            if (!Files.isSymbolicLink(current)) {
                break;
            }
            try {
                current = current.resolveSibling(Files.readSymbolicLink(current)).toAbsolutePath().normalize();
            } catch (IOException e) {
                break;
            }
        }
        try {
            chain.add(file.toRealPath());
        } catch (IOException e) {
            // missing right now (mid-swap, or deleted): its name in its directory is already in the chain
        }
        return List.copyOf(chain);
    }

    /**
     * For each component of {@code path}, its name in the real directory holding it: replacing any of them
     * (a rename over the file, a retargeted link, a swapped directory link) changes what the path reads.
     */
    private static void addComponentNames(Map<Path, Set<Path>> names, Path path) {
        Path parent = path.getRoot();
        for (Path component : path) {
            Path realParent;
            try {
                realParent = parent.toRealPath();
            } catch (IOException e) {
                return; // nothing below a missing directory can be watched
            }
            names.computeIfAbsent(realParent, d -> new HashSet<>()).add(component);
            parent = parent.resolve(component);
        }
    }

    /**
     * Adds {@code dir} as a real path; when it is missing, its deepest existing ancestor, where the missing
     * component's name is relevant: a state directory created after the gate started, or a directory removed
     * and made again, is then an event, and the next plan watches the directory itself.
     */
    private static void addRealDirectory(Set<Path> dirs, Path dir) {
        for (Path candidate = dir; candidate != null; candidate = candidate.getParent()) {
            try {
                dirs.add(candidate.toRealPath());
                return;
            } catch (IOException e) {
                // missing (or unreadable): try the directory above
            }
        }
    }
}
