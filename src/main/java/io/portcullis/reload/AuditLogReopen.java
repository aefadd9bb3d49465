package io.portcullis.reload;

import io.portcullis.audit.AuditTrail;
import java.nio.file.Path;
import java.util.List;

/** On SIGHUP the audit log (if any) continues in a new file of the same name, as after a logrotate rename. */
public final class AuditLogReopen implements Reloadable {
    private final AuditTrail trail;

    public AuditLogReopen(AuditTrail trail) {
        this.trail = trail;
    }

    @Override
    public String name() {
        return "audit log";
    }

    @Override
    public List<Path> files() {
        return List.of();
    }

    /** Reopens, and says nothing: a rotation is routine. */
    @Override
    public ReloadReport reload() {
        trail.reopen();
        return ReloadReport.unchanged();
    }
}
