package io.portcullis.reload;

import java.security.cert.X509Certificate;

/** Told about each reload that took effect, e.g. so readiness and metrics follow the material in service. */
public interface ReloadListener {
    ReloadListener NONE = new ReloadListener() {
    };

    default void certificateReloaded(X509Certificate leaf) {
    }

    default void htpasswdReloaded(int users) {
    }

    /** SIGHUP arrived: files the gate writes (the audit log) are reopened, as after a logrotate rename. */
    default void signalled() {
    }
}
