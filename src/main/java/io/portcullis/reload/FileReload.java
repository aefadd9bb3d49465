package io.portcullis.reload;

import io.portcullis.base.UserError;
import java.nio.file.Path;
import java.util.List;

/**
 * The one way a file the gate serves from is taken up again: fingerprint the files, load them only when their
 * content changed, and put the result in service only when it loaded; otherwise what is in service stays and the
 * report says what was wrong. Subclasses say how to load, how to swap and how to word it.
 *
 * @param <T> what the files load into (users, rules, a certificate and key)
 */
abstract class FileReload<T> implements Reloadable {
    private final String name;
    private final List<Path> files;
    // content behind what is in service: an unchanged file is not reloaded (nor logged)
    private List<Fingerprint> applied;

    /** The files' current content is taken to be what is in service (it was just loaded from them). */
    FileReload(String name, List<Path> files) {
        this.name = name;
        this.files = List.copyOf(files);
        this.applied = fingerprints();
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final List<Path> files() {
        return files;
    }

    @Override
    public final ReloadReport reload() {
        // taken before reading: if a file changes while it is read, the next event sees a difference and retries
        List<Fingerprint> now = fingerprints();
        if (now.equals(applied)) {
            return ReloadReport.unchanged();
        }
        T next;
        try {
            next = load();
        } catch (UserError e) {
            return ReloadReport.rejected(notReloaded() + ": " + e.getMessage());
        }
        ReloadReport report = putInService(next);
        applied = now;
        return report;
    }

    /** Reads the files; a {@link UserError} naming the file and what is wrong when they are not valid. */
    abstract T load();

    /** The start of the line logged when the files are not valid, saying what stays in service. */
    abstract String notReloaded();

    /** Puts {@code next} in service; the report of what changed. */
    abstract ReloadReport putInService(T next);

    private List<Fingerprint> fingerprints() {
        return files.stream().map(Fingerprint::of).toList();
    }
}
