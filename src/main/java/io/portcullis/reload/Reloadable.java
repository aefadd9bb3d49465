package io.portcullis.reload;

import java.nio.file.Path;
import java.util.List;

/**
 * Something the gate serves from files and can take up again without a restart: the certificate, the htpasswd
 * users, the access rules, the audit log (reopened after a rotation). The {@link Reloader} calls {@link #reload}
 * when one of {@link #files} changes and on every SIGHUP, one at a time, never on an IO thread.
 */
public interface Reloadable {
    /** As the operator knows it, for the log line of a failed reload ("certificate", "htpasswd"). */
    String name();

    /** The files whose change calls for a reload; none for something reloaded on SIGHUP only. */
    List<Path> files();

    /** Takes up the files' current content if it changed and is valid; otherwise what is in service stays. */
    ReloadReport reload();
}
