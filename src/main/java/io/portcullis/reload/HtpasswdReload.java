package io.portcullis.reload;

import io.portcullis.auth.Authenticator;
import io.portcullis.auth.Htpasswd;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Re-reads the htpasswd file and hands the users to the {@link Authenticator}. A file that does not parse
 * leaves the users in service; its error names the file and line, never a hash ({@link Htpasswd} guarantees it).
 */
public final class HtpasswdReload extends FileReload<Htpasswd> {
    private final Authenticator authenticator;
    private final Path file;

    /** The file's current content is taken to be what {@code authenticator} holds (it was just loaded from it). */
    public HtpasswdReload(Authenticator authenticator, Path file) {
        super("htpasswd", List.of(file));
        this.authenticator = authenticator;
        this.file = file;
    }

    @Override
    Htpasswd load() {
        return Htpasswd.load(file);
    }

    @Override
    String notReloaded() {
        return "htpasswd not reloaded, the previous " + users(authenticator.userCount()) + " stay in service";
    }

    @Override
    ReloadReport putInService(Htpasswd next) {
        Htpasswd previous = authenticator.replaceUsers(next);
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
