package io.portcullis.maintenance;

import io.portcullis.config.Settings;
import io.portcullis.shared.RedisStore;
import io.portcullis.state.StateDirectory;
import java.util.Optional;

/** The store the settings name: the shared Redis when {@code redis} is set, else the state directory. */
public final class MaintenanceStores {
    private MaintenanceStores() {
    }

    /** For a command: with {@code redis} set, a connection of its own, closed with the store. */
    public static MaintenanceStore open(Settings settings) {
        Optional<RedisStore> redis = RedisStore.connect(settings.shared());
        if (redis.isPresent()) {
            return new RedisMaintenanceStore(redis.get(), true);
        }
        return new DirectoryMaintenanceStore(StateDirectory.open(settings.stateDir()));
    }

    /** For a gate: the Redis connection it shares with its other state, when {@code redis} is set. */
    public static MaintenanceStore open(Settings settings, Optional<RedisStore> redis) {
        if (redis.isPresent()) {
            return new RedisMaintenanceStore(redis.get(), false);
        }
        return new DirectoryMaintenanceStore(StateDirectory.open(settings.stateDir()));
    }
}
