package io.portcullis.observe;

/**
 * What basic auth decided, for whoever counts it (metrics). An interface here, so the auth package does not
 * depend on how or whether outcomes are recorded. Called on IO and worker threads: implementations must be
 * thread-safe and must not block.
 */
public interface AuthEvents {
    /** Records nothing: for tests and for handlers built without metrics. */
    AuthEvents NONE = new AuthEvents() {
    };

    /** A request without usable basic credentials got the registry challenge (every {@code docker login} starts so). */
    default void challenged() {
    }

    /** Credentials were accepted, from the cache or after bcrypt. */
    default void succeeded() {
    }

    /** Credentials were checked with bcrypt and refused (wrong password or unknown user). */
    default void failed() {
    }

    /** The credentials were verified recently: no bcrypt needed. */
    default void cacheHit() {
    }

    /** Too many failed logins from the client's address or for the user name: 429, no bcrypt. */
    default void throttled() {
    }

    /** The credentials were not remembered: bcrypt runs on a worker. */
    default void cacheMiss() {
    }

    /** A token login: {@code ok}, or why it was refused (unknown, wrong_secret, wrong_user, expired, revoked, owner_gone). */
    default void tokenLogin(String result) {
    }
}
