package io.portcullis.cli;

import io.portcullis.base.UserError;
import io.portcullis.config.TokenLifetimes;
import io.portcullis.token.IssuedToken;
import io.portcullis.token.TokenSecret;
import io.portcullis.token.TokenStore;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code portcullis token rotate ID [--grace DURATION]}: a new secret, same id, owner, scopes and expiry. */
@Command(name = "rotate", mixinStandardHelpOptions = true,
        description = {"Give a token a new secret (same id, owner, scopes, expiry), printed as the last line of standard output.",
                "The old secret keeps working for --grace (default: not at all)."})
public final class TokenRotateCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ID", description = "The token's id.")
    String id;

    @Option(names = "--grace", paramLabel = "DURATION", description = "How long the old secret still works (e.g. 10m, 1h).")
    String grace;

    @Override
    public Integer call() {
        if (!TokenSecret.isId(id)) {
            throw new UserError("'" + id + "' is not a token id (16 hex digits, as token list shows)");
        }
        Duration keep;
        try {
            keep = grace == null ? Duration.ZERO : TokenLifetimes.lifetime(grace);
        } catch (IllegalArgumentException e) {
            throw new UserError("--grace " + grace + ": " + e.getMessage());
        }
        try (TokenStore store = TokenCommand.store(TokenCommand.settings(spec))) {
            Optional<IssuedToken> rotated = store.rotate(id, keep);
            if (rotated.isEmpty()) {
                throw new UserError("there is no token " + id + " that can be rotated (revoked tokens cannot; token list shows them)");
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println("Rotated token " + id + " of " + rotated.get().token().owner() + "; the old secret "
                    + (keep.isZero() ? "no longer works" : "works until " + rotated.get().token().previous().orElseThrow().until())
                    + ". The new one is shown only now:");
            out.println(rotated.get().text());
            out.flush();
        }
        return 0;
    }
}
