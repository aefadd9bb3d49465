package io.portcullis.directory;

import java.util.Set;

/**
 * What a login source (htpasswd, the directory) said about a user name and password.
 *
 * @param outcome whether the bind succeeded, was refused, or the directory could not be asked
 * @param groups  the user's groups, when accepted
 */
public record LoginVerdict(Outcome outcome, Set<String> groups) {
    public enum Outcome {
        /** the password is right (for a directory: a successful bind as the one entry the search found) */
        ACCEPTED,
        /** no such user, more than one, an empty password, or a wrong one */
        REJECTED,
        /** the source (the directory) did not answer in time or could not be reached: the credentials were not judged */
        UNAVAILABLE
    }

    public static final LoginVerdict REJECTED = new LoginVerdict(Outcome.REJECTED, Set.of());
    public static final LoginVerdict UNAVAILABLE = new LoginVerdict(Outcome.UNAVAILABLE, Set.of());

    public LoginVerdict {
        groups = Set.copyOf(groups);
    }

    public static LoginVerdict accepted(Set<String> groups) {
        return new LoginVerdict(Outcome.ACCEPTED, groups);
    }
}
