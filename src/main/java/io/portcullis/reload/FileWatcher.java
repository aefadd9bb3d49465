package io.portcullis.reload;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
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
 * Watches a few files and reports the ones whose content changed, within a bounded time however busy their
 * directories are.
 *
 * <p>It watches directories, not files: editors rename a temp file over the target, certbot retargets the
 * symlinks in {@code live/}, and Kubernetes swaps a {@code ..data} symlink next to {@code tls.crt -> ..data/tls.crt}.
 * None of these is an event on the file itself. Which directories, and which names in them can change a file, is a
 * {@link WatchPlan}: an event for any other name (the gate's own log beside the htpasswd file) is ignored, an
 * event for a relevant name, an OVERFLOW (events were lost) or a watched directory that vanished calls for a
 * check, and the check compares {@link Fingerprint}s, so a touch is not a change. The plan is recomputed before
 * each check, because a swap moves the real file elsewhere; recomputing (and registering new directories) before
 * reading the files means a change made meanwhile is either read now or raises an event for the next check.
 *
 * <p>One daemon thread waits for events and runs {@code onChange} when the {@link Debounce} says: {@code quiet}
 * after the last relevant event (so a certificate and key written one after the other are reported once,
 * together), but at most {@code cap} after the first.
 */
public final class FileWatcher implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(FileWatcher.class);

    private final List<Path> files;
    private final Debounce debounce;
    private final Consumer<Set<Path>> onChange;
    private final WatchService service;
    private final Thread thread;
    // All three are only touched by the constructor (before the thread starts) and then by the thread.
    private final Map<Path, Fingerprint> seen = new HashMap<>();
    private final Map<Path, WatchKey> keys = new HashMap<>();
    private WatchPlan plan;

    /**
     * Starts watching; the current content of each file is the baseline.
     *
     * @param quiet    how long to wait after a relevant event for more (a key written just after its certificate)
     * @param cap      the longest a check waits after the first relevant event, however many follow; at least quiet
     * @param onChange gets the files (as given) whose content changed; runs on the watcher thread
     * @throws IOException when the platform has no watch service
     */
    public FileWatcher(List<Path> files, Duration quiet, Duration cap, Consumer<Set<Path>> onChange) throws IOException {
        this.files = files.stream().map(f -> f.toAbsolutePath().normalize()).distinct().toList();
        this.debounce = new Debounce(quiet, cap);
        this.onChange = onChange;
        this.service = FileSystems.getDefault().newWatchService();
        watchDirectories(true);
        for (Path file : this.files) {
            seen.put(file, Fingerprint.of(file));
        }
        thread = new Thread(this::run, "portcullis-file-watcher");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        while (true) {
            try {
                WatchKey key;
                if (!debounce.pending()) {
                    key = service.take();
                } else {
                    long wait = debounce.nanosUntilDue(System.nanoTime());
                    key = wait > 0 ? service.poll(wait, TimeUnit.NANOSECONDS) : null;
                }
                if (key != null) {
                    if (callsForCheck(key)) {
                        debounce.event(System.nanoTime());
                    }
                    continue;
                }
                debounce.checked();
                check();
            } catch (ClosedWatchServiceException | InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // The watcher must outlive a failing reload; the reload itself reports its own errors.
                LOG.warn("File watcher: unexpected {} while checking {}", e.getClass().getSimpleName(), files, e);
            }
        }
    }

    /** Takes the key's events and re-arms it; true if one of them can have changed a watched file. */
    private boolean callsForCheck(WatchKey key) {
        boolean relevant = plan.callsForCheck((Path) key.watchable(), key.pollEvents());
        if (!key.reset()) {
            keys.values().remove(key); // directory gone, e.g. an old Kubernetes ..2026_… dir
            relevant = true;
        }
        return relevant;
    }

    private void check() {
        watchDirectories(false);
        Set<Path> changed = new LinkedHashSet<>();
        for (Path file : files) {
            Fingerprint now = Fingerprint.of(file);
            if (!now.equals(seen.put(file, now))) {
                changed.add(file);
            }
        }
        if (!changed.isEmpty()) {
            onChange.accept(Set.copyOf(changed));
        }
    }

    /** Computes the plan, registers the directories it names and drops the ones the files no longer depend on. */
    private void watchDirectories(boolean starting) {
        plan = WatchPlan.of(files);
        Set<Path> wanted = plan.directories();
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
