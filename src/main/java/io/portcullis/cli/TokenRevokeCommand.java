package io.portcullis.cli;

import io.portcullis.base.UserError;
import io.portcullis.token.Token;
import io.portcullis.token.TokenSecret;
import io.portcullis.token.TokenStore;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code portcullis token revoke ID} or {@code --owner NAME}: a running gate refuses the token within a second. */
@Command(name = "revoke", mixinStandardHelpOptions = true,
        description = {"Revoke a token by id, or every token of an owner; a running gate refuses them within a second."})
public final class TokenRevokeCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "ID", description = "The token's id (16 hex digits, as in token list).")
    String id;

    @Option(names = "--owner", paramLabel = "NAME", description = "Revoke every token of this user or robot instead.")
    String owner;

    @Override
    public Integer call() {
        if ((id == null) == (owner == null)) {
            throw new UserError("give either a token ID or --owner NAME");
        }
        if (id != null && !TokenSecret.isId(id)) {
            throw new UserError("'" + id + "' is not a token id (16 hex digits, as token list shows)");
        }
        PrintWriter out = spec.commandLine().getOut();
        try (TokenStore store = TokenCommand.store(TokenCommand.settings(spec))) {
            if (owner != null) {
                List<Token> revoked = store.revokeOwner(owner);
                revoked.forEach(t -> out.println("Revoked token " + t.id() + " of " + t.owner()));
                out.println(revoked.size() + (revoked.size() == 1 ? " token" : " tokens") + " of " + owner + " revoked");
                return 0;
            }
            Optional<Token> revoked = store.revoke(id);
            if (revoked.isEmpty()) {
                throw new UserError("there is no token " + id + " (token list shows them)");
            }
            out.println("Revoked token " + id + " of " + revoked.get().owner() + " at " + revoked.get().revoked().orElseThrow());
        } finally {
            out.flush();
        }
        return 0;
    }
}
