package io.portcullis.reload;

import io.portcullis.maintenance.DirectoryMaintenanceStore;
import io.portcullis.maintenance.MaintenanceSwitch;
import java.nio.file.Path;
import java.util.List;

/**
 * Tells the gate's {@link MaintenanceSwitch} at once when {@code portcullis maintenance on|off} rewrote the mode
 * file, instead of at its next heartbeat (which still comes within half a second if the watcher is slow: the
 * switch does not depend on it). The switch logs the change itself.
 */
public final class MaintenanceReload implements Reloadable {
    private final MaintenanceSwitch maintenance;
    private final List<Path> files;

    public MaintenanceReload(MaintenanceSwitch maintenance) {
        this.maintenance = maintenance;
        this.files = maintenance.store() instanceof DirectoryMaintenanceStore directory ? List.of(directory.modeFile()) : List.of();
    }

    @Override
    public String name() {
        return "maintenance switch";
    }

    @Override
    public List<Path> files() {
        return files;
    }

    @Override
    public ReloadReport reload() {
        maintenance.refresh();
        return ReloadReport.unchanged();
    }
}
