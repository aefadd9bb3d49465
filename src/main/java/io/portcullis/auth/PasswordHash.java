package io.portcullis.auth;

import java.util.Optional;

/**
 * One user's stored hash together with the scheme recognised for it when the file was loaded, so a request never
 * has to guess the format again. {@link #toString()} never shows the hash.
 */
public record PasswordHash(HashScheme scheme, String encoded) {

    /** The entry as a hash in a known scheme; empty for plain text or a damaged hash. */
    public static Optional<PasswordHash> parse(String encoded) {
        return HashScheme.of(encoded).map(scheme -> new PasswordHash(scheme, encoded));
    }

    /** Recomputes and compares in constant time; bcrypt costs what its cost says, so call it off the IO threads. */
    public boolean verify(byte[] password) {
        // commons-codec's crypt functions zero the key bytes they are given; the caller still needs the password
        // (the credential cache keys on it after a success), so they get a copy
        byte[] copy = password.clone();
        try {
            return scheme.verify(copy, encoded);
        } catch (IllegalArgumentException e) {
            // a format the library rejects after all (e.g. an odd rounds= value) never verifies
            return false;
        } finally {
            java.util.Arrays.fill(copy, (byte) 0);
        }
    }

    @Override
    public String toString() {
        return "PasswordHash[" + scheme.label() + "]";
    }
}
