package io.portcullis.reload;

import io.portcullis.access.AccessPolicy;
import io.portcullis.access.AccessRules;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Re-reads the access rules file and swaps the rules in the {@link AccessPolicy}. A file that does not parse
 * leaves the rules in force; its error names the file and line. Without a rules file there is nothing to do.
 */
public final class AccessReload extends FileReload<AccessRules> {
    private final AccessPolicy policy;

    /** The file's current content is taken to be what {@code policy} holds (it was just loaded from it). */
    public AccessReload(AccessPolicy policy) {
        super("access rules", policy.file().map(List::of).orElse(List.of()));
        this.policy = policy;
    }

    @Override
    AccessRules load() {
        return AccessRules.load(files().get(0));
    }

    @Override
    String notReloaded() {
        return "access rules not reloaded, keeping the " + rules(policy.rules().ruleCount()) + " in force";
    }

    @Override
    ReloadReport putInService(AccessRules next) {
        Path file = files().get(0);
        int previous = policy.rules().ruleCount();
        policy.replace(next);
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
