package io.portcullis.cli;

import io.portcullis.access.AccessPolicy;
import io.portcullis.auth.Htpasswd;
import io.portcullis.auth.LoginLedger;
import io.portcullis.base.UserError;
import io.portcullis.state.StateDirectory;
import java.time.Clock;
import io.portcullis.config.Settings;
import io.portcullis.config.TokenLifetimes;
import io.portcullis.token.IssuedToken;
import io.portcullis.token.Owners;
import io.portcullis.token.TokenPolicy;
import io.portcullis.token.TokenRequest;
import io.portcullis.token.TokenScope;
import io.portcullis.token.TokenStore;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code portcullis token create}: a new token; its text is the last line of standard output, shown only now. */
@Command(name = "create", mixinStandardHelpOptions = true,
        description = {"Create a token and print it as the last line of standard output (it is shown only once).",
                "Use it as the password: docker login -u OWNER --password-stdin."})
public final class TokenCreateCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--owner", required = true, paramLabel = "NAME",
            description = "A user of the htpasswd file, or a robot robot+NAME (a name that exists only as a token owner).")
    String owner;

    @Option(names = "--scope", required = true, paramLabel = "ACTIONS:PATTERN",
            description = "What the token may do at most, e.g. pull:team/*, pull,push:app, catalog; repeatable. "
                    + "At every request it also needs its owner's rights.")
    List<String> scopes = new ArrayList<>();

    @Option(names = "--expires", paramLabel = "DURATION",
            description = "Lifetime (30m, 12h, 90d), or never when token-max-lifetime is none. Default: token-lifetime.")
    String expires;

    @Option(names = "--label", paramLabel = "TEXT", defaultValue = "", description = "What the token is for, shown in the list.")
    String label;

    @Override
    public Integer call() {
        Settings settings = TokenCommand.settings(spec);
        if (Owners.looksLikeRobot(owner)) {
            if (!Owners.isRobot(owner)) {
                throw new UserError("--owner " + owner + ": a robot is robot+ then 1 to 63 of a-z, 0-9, '.', '_', '-'");
            }
        } else if (Htpasswd.load(settings.auth().htpasswd()).hashOf(owner).isEmpty()
                && LoginLedger.open(StateDirectory.open(settings.stateDir()), settings.signInWindow(), Clock.systemUTC())
                        .current(owner).isEmpty()) {
            // a directory or single sign-on user is known once it signed in; its tokens live while it keeps doing so
            throw new UserError("--owner " + owner + " is not a user of " + settings.auth().htpasswd()
                    + " and has not signed in (directory or single sign-on) within --sign-in-window; name a user,"
                    + " or a robot as robot+NAME");
        }
        List<TokenScope> parsed = new ArrayList<>();
        for (String text : scopes) {
            try {
                TokenScope scope = TokenScope.parse(text);
                AccessPolicy.scopeProblem(scope).ifPresent(p -> {
                    throw new IllegalArgumentException("--scope " + text + ": " + p);
                });
                parsed.add(scope);
            } catch (IllegalArgumentException e) {
                throw new UserError(e.getMessage().startsWith("--scope") ? e.getMessage() : "--" + e.getMessage());
            }
        }
        if (label.chars().anyMatch(c -> c < 0x20 || c == 0x7f) || label.length() > 200) {
            throw new UserError("--label must be one line of at most 200 characters");
        }
        Optional<Instant> expiry = expiry(settings);
        try (TokenStore store = TokenCommand.store(settings)) {
            IssuedToken issued = store.create(new TokenRequest(owner, label, parsed, expiry));
            PrintWriter out = spec.commandLine().getOut();
            out.println("Created token " + issued.token().id() + " for " + owner + ", scopes "
                    + String.join(" ", parsed.stream().map(TokenScope::toString).toList()) + ", "
                    + expiry.map(e -> "expires " + e).orElse("never expires") + ". It is shown only now:");
            out.println(issued.text());
            out.flush();
        }
        return 0;
    }

    private Optional<Instant> expiry(Settings settings) {
        TokenPolicy policy = new TokenPolicy(settings.tokens().lifetime(), settings.tokens().maxLifetime());
        boolean never = TokenPolicy.NEVER.equals(expires);
        Optional<Duration> requested;
        try {
            requested = expires == null || never ? Optional.empty() : Optional.of(TokenLifetimes.lifetime(expires));
        } catch (IllegalArgumentException e) {
            throw new UserError("--expires " + expires + ": " + e.getMessage());
        }
        try {
            return policy.expiry(requested, never, Instant.now());
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
    }
}
