package io.portcullis.directory;

/** Checks a user name and password against a directory; blocking (network), so called on a worker thread. */
@FunctionalInterface
public interface DirectoryLogin {
    LoginVerdict check(String user, byte[] password);
}
