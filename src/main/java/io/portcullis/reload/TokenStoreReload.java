package io.portcullis.reload;

import io.portcullis.base.UserError;
import io.portcullis.token.FileTokenStore;
import java.nio.file.Path;
import java.util.List;

/**
 * Takes up tokens created, rotated or revoked by {@code portcullis token …} (another process) into the running
 * gate: the watcher sees the store file replaced and the gate reads it a quarter second later, so a revocation
 * holds within a second. A corrupt file leaves the tokens in memory as they were.
 */
public final class TokenStoreReload implements Reloadable {
    private final FileTokenStore store;

    public TokenStoreReload(FileTokenStore store) {
        this.store = store;
    }

    @Override
    public String name() {
        return "tokens";
    }

    @Override
    public List<Path> files() {
        return List.of(store.file());
    }

    @Override
    public ReloadReport reload() {
        try {
            // quiet when it changed: every create, revoke and last-use write changes the file, that is no news
            store.refresh();
            return ReloadReport.unchanged();
        } catch (UserError e) {
            return ReloadReport.rejected("tokens not reloaded, the previous ones stay in service: " + e.getMessage());
        }
    }
}
