package io.portcullis.reload;

import io.portcullis.base.UserError;
import io.portcullis.auth.Authenticator;
import io.portcullis.auth.Htpasswd;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Re-reads the htpasswd file and hands the users to the {@link Authenticator}. A file that does not parse
 * leaves the users in service; its error names the file and line, never a hash ({@link Htpasswd} guarantees it).
 */
public final class HtpasswdReload implements Reloadable {
    private final Authenticator authenticator;
    private final Path file;
    // Content behind the users in service: an unchanged file is not reloaded (nor logged).
    private Fingerprint applied;

    /** The file's current content is taken to be what {@code authenticator} holds (it was just loaded from it). */
    public HtpasswdReload(Authenticator authenticator, Path file) {
        this.authenticator = authenticator;
        this.file = file;
        this.applied = Fingerprint.of(file);
    }

    @Override
    public String name() {
        return "htpasswd";
    }

    @Override
    public List<Path> files() {
        return List.of(file);
    }

    @Override
    public ReloadReport reload() {
        Fingerprint now = Fingerprint.of(file);
        if (now.equals(applied)) {
            return ReloadReport.unchanged();
        }
        Htpasswd next;
        try {
            next = Htpasswd.load(file);
        } catch (UserError e) {
            return ReloadReport.rejected("htpasswd not reloaded, the previous " + users(authenticator.userCount())
                    + " stay in service: " + e.getMessage());
        }
        Htpasswd previous = authenticator.replaceUsers(next);
        applied = now;
        List<String> warnings = new ArrayList<>();
        if (next.size() == 0) {
            warnings.add(file + " has no users: every request will be refused");
        }
        next.weakFormatWarning().ifPresent(warnings::add);
        return ReloadReport.reloaded("Reloaded htpasswd " + file + ": " + users(next.size()) + " (was " + previous.size()
                + "; " + changes(previous, next) + ")", warnings);
    }

    /** Counts only: user names are not secret, but a log line per reload need not list them. */
    private static String changes(Htpasswd previous, Htpasswd next) {
        long added = next.users().stream().filter(u -> previous.hashOf(u).isEmpty()).count();
        long removed = previous.users().stream().filter(u -> next.hashOf(u).isEmpty()).count();
        long changed = next.users().stream()
                .filter(u -> previous.hashOf(u).isPresent() && !previous.hashOf(u).equals(next.hashOf(u)))
                .count();
        return added + " added, " + removed + " removed, " + changed + " changed";
    }

    private static String users(int n) {
        return n == 1 ? "1 user" : n + " users";
    }
}
