package io.portcullis.maintenance;

import io.portcullis.config.Settings;
import io.portcullis.state.StateDirectory;

/** The store the settings name: today the state directory; the one place a shared store is chosen. */
public final class MaintenanceStores {
    private MaintenanceStores() {
    }

    public static MaintenanceStore open(Settings settings) {
        return new DirectoryMaintenanceStore(StateDirectory.open(settings.stateDir()));
    }
}
