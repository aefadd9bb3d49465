package io.portcullis.reload;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What a file holds right now, as a SHA-256 of its bytes after following every symlink. Directory events say
 * only that something happened near a file (a touch, an unrelated file, a Kubernetes {@code ..data} swap);
 * comparing content is what tells whether the file really changed. The digest never leaves this process.
 */
record Fingerprint(String state) {
    private static final Fingerprint MISSING = new Fingerprint("missing");

    static Fingerprint of(Path file) {
        try {
            // readAllBytes follows symlinks, so a retargeted link reads as a content change.
            byte[] bytes = Files.readAllBytes(file);
            return new Fingerprint(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
        } catch (NoSuchFileException e) {
            return MISSING;
        } catch (IOException e) {
            // Unreadable counts as a state of its own: when it becomes readable again, that is a change.
            return new Fingerprint("unreadable: " + e.getClass().getSimpleName());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
