package io.portcullis.reload;

import io.portcullis.access.AccessPolicy;
import io.portcullis.auth.Authenticator;
import io.portcullis.config.Settings;
import io.portcullis.reload.ReloadReport.Outcome;
import io.portcullis.tls.ServerTls;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hot reload of the certificate pair, the htpasswd users and the access rules, on file changes and on SIGHUP, so operators never
 * restart the gate for a renewal or a new user. Reloads run on the watcher thread or the signal thread (never on
 * an IO thread) and one at a time.
 */
public final class Reloader implements Closeable {
    /** Long enough for a certificate and its key written one after the other to count as one change. */
    public static final Duration QUIET_PERIOD = Duration.ofMillis(250);

    private static final Logger LOG = LoggerFactory.getLogger(Reloader.class);

    private final CertificateReload certificate;
    private final HtpasswdReload htpasswd;
    private final AccessReload access;
    private final ReloadLog log;
    // Guards `running` only. Separate from the reload lock (this): close() waits for the watcher thread, which
    // may be waiting for that lock inside filesChanged().
    private final Object lifecycle = new Object();
    private final List<Closeable> running = new ArrayList<>();

    Reloader(CertificateReload certificate, HtpasswdReload htpasswd, ReloadLog log) {
        this(certificate, htpasswd, new AccessReload(AccessPolicy.none()), log);
    }

    Reloader(CertificateReload certificate, HtpasswdReload htpasswd, AccessReload access, ReloadLog log) {
        this.certificate = certificate;
        this.htpasswd = htpasswd;
        this.access = access;
        this.log = log;
    }

    /**
     * Watches the files named by {@code settings} and listens for SIGHUP. Call it once the gate is listening,
     * with the {@link ServerTls} and {@link Authenticator} it serves with, right after loading them from those files.
     */
    public static Reloader start(Settings settings, ServerTls tls, Authenticator authenticator, ReloadListener listener) {
        return start(settings, tls, authenticator, AccessPolicy.none(), listener);
    }

    /** @param access the access rules in force, loaded from {@code settings.access()} (if set) */
    public static Reloader start(Settings settings, ServerTls tls, Authenticator authenticator, AccessPolicy access,
                                 ReloadListener listener) {
        Reloader reloader = new Reloader(
                new CertificateReload(tls, settings.cert(), settings.key(), settings.keyPasswordFile(), listener),
                new HtpasswdReload(authenticator, settings.htpasswd(), listener),
                new AccessReload(access),
                ReloadLog.to(LOG));
        reloader.watch(QUIET_PERIOD);
        if (!reloader.onSighup(listener::signalled)) {
            LOG.warn("SIGHUP cannot be handled in this JVM: reload follows file changes only");
        }
        return reloader;
    }

    /** Starts the file watcher; without a watch service (rare) only SIGHUP reloads, which is said in the log. */
    void watch(Duration quiet) {
        List<Path> files = new ArrayList<>(certificate.files());
        files.addAll(htpasswd.files());
        files.addAll(access.files());
        try {
            FileWatcher watcher = new FileWatcher(files, quiet, this::filesChanged);
            synchronized (lifecycle) {
                running.add(watcher);
            }
        } catch (IOException e) {
            LOG.warn("Cannot watch {} ({}): send SIGHUP after changing them", files, e.getClass().getSimpleName());
        }
    }

    boolean onSighup() {
        return onSighup(() -> { });
    }

    /** @param first runs on each SIGHUP before the files are checked (e.g. reopening a rotated audit log) */
    boolean onSighup(Runnable first) {
        Optional<Sighup> sighup = Sighup.install(() -> {
            first.run();
            reloadAll("SIGHUP");
        });
        synchronized (lifecycle) {
            sighup.ifPresent(running::add);
        }
        return sighup.isPresent();
    }

    /** Reloads what the changed files feed; {@code changed} holds paths as {@link FileWatcher} reports them. */
    synchronized void filesChanged(Set<Path> changed) {
        if (touches(changed, certificate.files())) {
            report(run("certificate", certificate::reload));
        }
        if (touches(changed, htpasswd.files())) {
            report(run("htpasswd", htpasswd::reload));
        }
        if (touches(changed, access.files())) {
            report(run("access rules", access::reload));
        }
    }

    /** Checks every file and reloads what changed; logs "{@code trigger}: nothing changed" when nothing did. */
    public synchronized void reloadAll(String trigger) {
        ReloadReport cert = run("certificate", certificate::reload);
        ReloadReport users = run("htpasswd", htpasswd::reload);
        ReloadReport rules = run("access rules", access::reload);
        if (cert.outcome() == Outcome.UNCHANGED && users.outcome() == Outcome.UNCHANGED && rules.outcome() == Outcome.UNCHANGED) {
            log.info(trigger + ": nothing changed");
            return;
        }
        report(cert);
        report(users);
        report(rules);
    }

    private ReloadReport run(String what, Supplier<ReloadReport> reload) {
        try {
            return reload.get();
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
