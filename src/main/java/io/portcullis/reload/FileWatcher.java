package io.portcullis.reload;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches a few files and reports, after a quiet period, the ones whose content changed.
 *
 * <p>It watches directories, not files: editors rename a temp file over the target, certbot retargets the
 * symlinks in {@code live/}, and Kubernetes swaps a {@code ..data} symlink next to {@code tls.crt -> ..data/tls.crt}.
 * None of these is an event on the file itself, so any event in a watched directory triggers a re-check, and
 * the re-check compares {@link Fingerprint}s. Watched are the file's own directory and the directory of every
 * symlink hop up to the real file (for in-place edits behind a link); that set is recomputed after each check,
 * because a swap moves the real file elsewhere.
 *
 * <p>One daemon thread waits for events and runs {@code onChange} after {@code quiet} without events, so a
 * certificate and key written one after the other are reported once, together.
 */
public final class FileWatcher implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(FileWatcher.class);
    private static final int MAX_SYMLINK_HOPS = 40;

    private final List<Path> files;
    private final Duration quiet;
    private final Consumer<Set<Path>> onChange;
    private final WatchService service;
    private final Thread thread;
    // Both maps are only touched by the constructor (before the thread starts) and then by the thread.
    private final Map<Path, Fingerprint> seen = new HashMap<>();
    private final Map<Path, WatchKey> keys = new HashMap<>();

    /**
     * Starts watching; the current content of each file is the baseline.
     *
     * @param onChange gets the files (as given) whose content changed; runs on the watcher thread
     * @throws IOException when the platform has no watch service
     */
    public FileWatcher(List<Path> files, Duration quiet, Consumer<Set<Path>> onChange) throws IOException {
        this.files = files.stream().map(f -> f.toAbsolutePath().normalize()).distinct().toList();
        this.quiet = quiet;
        this.onChange = onChange;
        this.service = FileSystems.getDefault().newWatchService();
        for (Path file : this.files) {
            seen.put(file, Fingerprint.of(file));
        }
        watchDirectories(true);
        thread = new Thread(this::run, "portcullis-file-watcher");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        boolean pending = false;
        long quietUntil = 0;
        while (true) {
            try {
                WatchKey key;
                if (!pending) {
                    key = service.take();
                } else {
                    long wait = quietUntil - System.nanoTime();
                    key = wait > 0 ? service.poll(wait, TimeUnit.NANOSECONDS) : null;
                }
                if (key != null) {
                    // Which entry changed does not matter: every event means "look again" (see class comment).
                    key.pollEvents();
                    if (!key.reset()) {
                        keys.values().remove(key); // directory gone, e.g. an old Kubernetes ..2026_… dir
                    }
                    pending = true;
                    quietUntil = System.nanoTime() + quiet.toNanos();
                    continue;
                }
                pending = false;
                check();
            } catch (ClosedWatchServiceException | InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // The watcher must outlive a failing reload; the reload itself reports its own errors.
                LOG.warn("File watcher: unexpected {} while checking {}", e.getClass().getSimpleName(), files, e);
            }
        }
    }

    private void check() {
        Set<Path> changed = new LinkedHashSet<>();
        for (Path file : files) {
            Fingerprint now = Fingerprint.of(file);
            if (!now.equals(seen.put(file, now))) {
                changed.add(file);
            }
        }
        watchDirectories(false);
        if (!changed.isEmpty()) {
            onChange.accept(Set.copyOf(changed));
        }
    }

    /** Registers the directories the files now depend on and drops the ones they no longer do. */
    private void watchDirectories(boolean starting) {
        Set<Path> wanted = new LinkedHashSet<>();
        for (Path file : files) {
            wanted.addAll(directoriesOf(file));
        }
        keys.entrySet().removeIf(entry -> {
            if (wanted.contains(entry.getKey())) {
                return false;
            }
            entry.getValue().cancel();
            return true;
        });
        for (Path dir : wanted) {
            if (keys.containsKey(dir)) {
                continue;
            }
            try {
                keys.put(dir, dir.register(service, StandardWatchEventKinds.ENTRY_CREATE,
                        StandardWatchEventKinds.ENTRY_DELETE, StandardWatchEventKinds.ENTRY_MODIFY));
            } catch (IOException | RuntimeException e) {
                if (starting) {
                    LOG.warn("Cannot watch {} ({}): changes there are picked up only on SIGHUP", dir, e.getClass().getSimpleName());
                } else {
                    LOG.debug("Cannot watch {}: {}", dir, e.toString());
                }
            }
        }
    }

    /**
     * The directory holding the file and the directory of every symlink hop to the real file, each as a real
     * path: the same directory reached two ways must be registered once.
     */
    private static Set<Path> directoriesOf(Path file) {
        Set<Path> dirs = new LinkedHashSet<>();
        Path current = file;
        for (int hop = 0; hop <= MAX_SYMLINK_HOPS && current != null; hop++) {
            addRealDirectory(dirs, current.getParent());
            if (!Files.isSymbolicLink(current)) {
                break;
            }
            try {
                current = current.resolveSibling(Files.readSymbolicLink(current)).normalize();
            } catch (IOException e) {
                break;
            }
        }
        try {
            addRealDirectory(dirs, file.toRealPath().getParent());
        } catch (IOException e) {
            // missing right now (mid-swap, or deleted): the next event re-checks
        }
        return dirs;
    }

    private static void addRealDirectory(Set<Path> dirs, Path dir) {
        if (dir == null) {
            return;
        }
        try {
            dirs.add(dir.toRealPath());
        } catch (IOException e) {
            // gone; nothing to watch there
        }
    }

    @Override
    public void close() {
        try {
            service.close(); // wakes the thread with ClosedWatchServiceException
        } catch (IOException e) {
            LOG.debug("Closing the watch service: {}", e.toString());
        }
        if (Thread.currentThread() == thread) {
            return; // closed from onChange: the loop ends on its own
        }
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
