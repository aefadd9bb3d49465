package io.portcullis.tls;

import io.portcullis.base.UserError;
import org.bouncycastle.openssl.PEMParser;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads every PEM block of one file and turns I/O and syntax failures into {@link UserError}s that name the
 * file and the flag that set it. Parser messages are never passed on: they could quote the file's content.
 */
final class PemFile {
    private static final String UNRECOGNISED = "unrecognised object: ";

    /** What the file is for, as the user knows it: "certificate file" or "key file". */
    private final String role;
    private final String flag;
    private final Path path;

    PemFile(String role, String flag, Path path) {
        this.role = role;
        this.flag = flag;
        this.path = path;
    }

    String flag() {
        return flag;
    }

    Path path() {
        return path;
    }

    String describe() {
        return role + " " + path;
    }

    List<Object> readObjects() {
        if (Files.isDirectory(path)) {
            throw new UserError(describe() + " is a directory; set " + flag + " to a PEM file");
        }
        // ISO-8859-1 maps every byte, so a binary (e.g. DER) file reaches the parser instead of failing decoding.
        try (Reader reader = Files.newBufferedReader(path, StandardCharsets.ISO_8859_1);
             PEMParser parser = new PEMParser(reader)) {
            List<Object> objects = new ArrayList<>();
            for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
                objects.add(o);
            }
            return objects;
        } catch (NoSuchFileException e) {
            throw new UserError(describe() + " does not exist; set " + flag + " to an existing PEM file");
        } catch (AccessDeniedException e) {
            throw new UserError(describe() + " cannot be read (permission denied); fix its permissions or set " + flag);
        } catch (IOException | RuntimeException e) {
            throw new UserError(describe() + " is not valid PEM" + unsupportedBlock(e)
                    + "; give a PEM file with -----BEGIN ...----- blocks");
        }
    }

    private static String unsupportedBlock(Exception e) {
        String message = e.getMessage();
        if (message != null && message.startsWith(UNRECOGNISED)) {
            String type = message.substring(UNRECOGNISED.length());
            // The block type comes from a header line; keep it only if it looks like one.
            if (type.matches("[A-Z0-9 ]{1,40}")) {
                return " (unsupported block type \"" + type + "\")";
            }
        }
        return " (a BEGIN/END block is damaged)";
    }
}
