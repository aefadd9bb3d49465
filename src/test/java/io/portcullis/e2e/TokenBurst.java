package io.portcullis.e2e;

import io.portcullis.state.StateDirectory;
import io.portcullis.token.FileTokenStore;
import io.portcullis.token.TokenRequest;
import io.portcullis.token.TokenScope;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A process that creates tokens as fast as it can in a state directory and prints each id once its create returned,
 * for {@link TokenStoreCrashIT} to kill with SIGKILL in the middle of a write.
 */
public final class TokenBurst {
    private TokenBurst() {
    }

    public static void main(String[] args) {
        try (FileTokenStore store = FileTokenStore.open(StateDirectory.open(Path.of(args[0])), Clock.systemUTC())) {
            for (int i = 0; ; i++) {
                String id = store.create(new TokenRequest("robot+burst", args[1] + "-" + i, List.of(TokenScope.parse("pull:**")),
                        Optional.of(Instant.now().plusSeconds(3600)))).token().id();
                System.out.println(id);
                System.out.flush();
            }
        }
    }
}
