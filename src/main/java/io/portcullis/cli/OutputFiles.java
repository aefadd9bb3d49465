package io.portcullis.cli;

import io.portcullis.base.UserError;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * Writes generated files so that a reader never sees a half-written file and a key is never readable by
 * others, not even for a moment: content goes to a temporary file created with its final permissions, which
 * is then renamed into place.
 */
final class OutputFiles {
    private static final String PRIVATE = "rw-------";
    private static final String PUBLIC = "rw-r--r--";

    private OutputFiles() {
    }

    /** Refuses before anything is written, so a refused run leaves every file as it was. */
    static void refuseExisting(List<Path> files, boolean force) {
        if (force) {
            return;
        }
        for (Path file : files) {
            if (Files.exists(file)) {
                throw new UserError(file + " already exists; use --force to overwrite it (or choose --out-dir / --name)");
            }
        }
    }

    static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (FileAlreadyExistsException e) {
            throw new UserError(dir + " exists and is not a directory; choose another --out-dir");
        } catch (IOException e) {
            throw new UserError("cannot create directory " + dir + " (" + e.getClass().getSimpleName() + "); choose another --out-dir");
        }
    }

    static void writePrivate(Path file, String content) {
        write(file, content, PRIVATE);
    }

    static void writePublic(Path file, String content) {
        write(file, content, PUBLIC);
    }

    private static void write(Path file, String content, String permissions) {
        Path dir = file.toAbsolutePath().getParent();
        Path temp = null;
        try {
            temp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp", attributes(dir, permissions));
            Files.writeString(temp, content, StandardCharsets.US_ASCII);
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UserError("cannot write " + file + " (" + e.getClass().getSimpleName() + "); check the permissions of " + dir);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // Best effort: the rename already succeeded or the error above is the one to report.
                }
            }
        }
    }

    private static FileAttribute<?>[] attributes(Path dir, String permissions) {
        // Non-POSIX file systems (Windows) cannot take the attribute at all; they get their default ACLs.
        if (!dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return new FileAttribute<?>[0];
        }
        return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions))};
    }
}
