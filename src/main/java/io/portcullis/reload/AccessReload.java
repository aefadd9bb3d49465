package io.portcullis.reload;

import io.portcullis.base.UserError;
import io.portcullis.access.AccessPolicy;
import io.portcullis.access.AccessRules;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Re-reads the access rules file and swaps the rules in the {@link AccessPolicy}. A file that does not parse
 * leaves the rules in force; its error names the file and line. Without a rules file there is nothing to do.
 */
public final class AccessReload implements Reloadable {
    private final AccessPolicy policy;
    private final List<Path> files;
    // Content behind the rules in force: an unchanged file is not reloaded (nor logged).
    private Fingerprint applied;

    /** The file's current content is taken to be what {@code policy} holds (it was just loaded from it). */
    public AccessReload(AccessPolicy policy) {
        this.policy = policy;
        this.files = policy.file().map(List::of).orElse(List.of());
        this.applied = policy.file().map(Fingerprint::of).orElse(null);
    }

    @Override
    public String name() {
        return "access rules";
    }

    @Override
    public List<Path> files() {
        return files;
    }

    @Override
    public ReloadReport reload() {
        if (files.isEmpty()) {
            return ReloadReport.unchanged();
        }
        Path file = files.get(0);
        Fingerprint now = Fingerprint.of(file);
        if (now.equals(applied)) {
            return ReloadReport.unchanged();
        }
        AccessRules next;
        try {
            next = AccessRules.load(file);
        } catch (UserError e) {
            return ReloadReport.rejected("access rules not reloaded, keeping the " + rules(policy.rules().ruleCount())
                    + " in force: " + e.getMessage());
        }
        int previous = policy.rules().ruleCount();
        policy.replace(next);
        applied = now;
        List<String> warnings = new ArrayList<>();
        if (next.ruleCount() == 0) {
            warnings.add(file + " has no rules: users can log in but nothing else");
        }
        return ReloadReport.reloaded("Reloaded access rules " + file + ": " + rules(next.ruleCount()) + ", "
                + next.groupCount() + (next.groupCount() == 1 ? " group" : " groups") + " (was " + rules(previous) + ")", warnings);
    }

    private static String rules(int n) {
        return n == 1 ? "1 rule" : n + " rules";
    }
}
