package io.portcullis.reload;

import io.portcullis.reload.ReloadReport.Outcome;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hot reload of what the gate serves from files ({@link Reloadable}: the certificate pair, the htpasswd users, the
 * access rules, the audit log), on file changes and on SIGHUP, so operators never restart the gate for a renewal or
 * a new user. Reloads run on the watcher thread or the signal thread (never on an IO thread) and one at a time.
 */
public final class Reloader implements Closeable {
    /** Long enough for a certificate and its key written one after the other to count as one change. */
    public static final Duration QUIET_PERIOD = Duration.ofMillis(250);
    /**
     * What docs/operating.md promises operators: a change to a watched file is in service within this time, however busy
     * its directory (a removed user refused, a new certificate served). Two seconds is the "at once" of a person
     * editing a file and trying it, and short enough that revoking a user does not need the traffic stopped.
     */
    public static final Duration PICKUP_BOUND = Duration.ofSeconds(2);
    /**
     * The longest a check waits after the first relevant event, however many follow (a file rewritten every few
     * ms would otherwise never be quiet). Half the bound: the other half is for the reload itself (parsing the
     * files, building a TLS context: tens of ms measured, more on a loaded machine).
     */
    public static final Duration MAX_DELAY = PICKUP_BOUND.dividedBy(2);

    private static final Logger LOG = LoggerFactory.getLogger(Reloader.class);

    private final List<Reloadable> reloadables;
    private final ReloadLog log;
    // Guards `running` only. Separate from the reload lock (this): close() waits for the watcher thread, which
    // may be waiting for that lock inside filesChanged().
    private final Object lifecycle = new Object();
    private final List<Closeable> running = new ArrayList<>();

    /** @param reloadables in the order they are reloaded on SIGHUP (the audit log first: it only reopens) */
    Reloader(List<Reloadable> reloadables, ReloadLog log) {
        this.reloadables = List.copyOf(reloadables);
        this.log = log;
    }

    /**
     * Watches the files of {@code reloadables} and listens for SIGHUP. Call it once the gate is listening, with what
     * it serves, right after loading that from those files.
     */
    public static Reloader start(List<Reloadable> reloadables) {
        Reloader reloader = new Reloader(reloadables, ReloadLog.to(LOG));
        reloader.watch(QUIET_PERIOD);
        if (!reloader.onSighup()) {
            LOG.warn("SIGHUP cannot be handled in this JVM (ignored by its parent, e.g. nohup, or -Xrs): reload follows file changes only");
        }
        return reloader;
    }

    /**
     * Starts the file watcher, one for all the files of all reloadables; without a watch service (rare) only SIGHUP
     * reloads, which is said in the log.
     */
    void watch(Duration quiet) {
        List<Path> files = reloadables.stream().flatMap(r -> r.files().stream()).toList();
        Duration cap = quiet.compareTo(MAX_DELAY) > 0 ? quiet : MAX_DELAY;
        try {
            FileWatcher watcher = new FileWatcher(files, quiet, cap, this::filesChanged);
            synchronized (lifecycle) {
                running.add(watcher);
            }
        } catch (IOException e) {
            LOG.warn("Cannot watch {} ({}): send SIGHUP after changing them", files, e.getClass().getSimpleName());
        }
    }

    boolean onSighup() {
        Optional<Sighup> sighup = Sighup.install(() -> reloadAll("SIGHUP"));
        synchronized (lifecycle) {
            sighup.ifPresent(running::add);
        }
        return sighup.isPresent();
    }

    /** Reloads what the changed files feed; {@code changed} holds paths as {@link FileWatcher} reports them. */
    synchronized void filesChanged(Set<Path> changed) {
        for (Reloadable r : reloadables) {
            if (touches(changed, r.files())) {
                report(run(r));
            }
        }
    }

    /** Checks every file and reloads what changed; logs "{@code trigger}: nothing changed" when nothing did. */
    public synchronized void reloadAll(String trigger) {
        List<ReloadReport> reports = reloadables.stream().map(this::run).toList();
        if (reports.stream().allMatch(r -> r.outcome() == Outcome.UNCHANGED)) {
            log.info(trigger + ": nothing changed");
            return;
        }
        reports.forEach(this::report);
    }

    private ReloadReport run(Reloadable reloadable) {
        String what = reloadable.name();
        try {
            return reloadable.reload();
        } catch (RuntimeException e) {
            // Not a UserError, so its message is unvetted: name the type only, details at debug.
            LOG.debug("Reload of the {} failed", what, e);
            return ReloadReport.rejected("Reload of the " + what + " failed (" + e.getClass().getSimpleName()
                    + "); the previous one stays in service");
        }
    }

    private void report(ReloadReport report) {
        switch (report.outcome()) {
            case RELOADED -> {
                log.info(report.message());
                report.warnings().forEach(log::warn);
            }
            case REJECTED -> log.warn(report.message());
            case UNCHANGED -> {
                // a touch, or content back to what is in service: nothing to say
            }
        }
    }

    private static boolean touches(Set<Path> changed, List<Path> files) {
        return files.stream().map(f -> f.toAbsolutePath().normalize()).anyMatch(changed::contains);
    }

    @Override
    public void close() {
        List<Closeable> toClose;
        synchronized (lifecycle) {
            toClose = new ArrayList<>(running);
            running.clear();
        }
        Collections.reverse(toClose);
        for (Closeable c : toClose) {
            try {
                c.close();
            } catch (IOException e) {
                LOG.debug("Closing {}: {}", c, e.toString());
            }
        }
    }
}
