package io.portcullis.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.UserError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtpasswdTest {
    /** Written by Apache's `htpasswd -nbB -C 5 bob secret`. */
    static final String BOB = "bob:$2y$05$IgmtONhWMAESuIjPSlmFMOKXyGgEoVAdDul5Zty.EH0W40UkOD9He";
    static final String BOB_HASH = BOB.substring(4);

    @TempDir
    Path dir;

    @Test
    void readsUsersSkippingBlankAndCommentLines() throws Exception {
        Path file = dir.resolve("htpasswd");
        Files.writeString(file, "# team users\n\n" + BOB + "\n  carol:" + BOB_HASH.replace("$2y$", "$2b$") + "  \n");

        Htpasswd h = Htpasswd.load(file);

        assertEquals(2, h.size());
        assertEquals(Optional.of(BOB_HASH), h.hashOf("bob"));
        assertTrue(h.hashOf("carol").isPresent());
        assertEquals(Optional.empty(), h.hashOf("dave"));
        assertEquals(5, h.typicalCost());
    }

    @Test
    void loadingNeverWritesTheFile() throws Exception {
        Path file = dir.resolve("htpasswd");
        Files.writeString(file, BOB + "\n");
        assertTrue(file.toFile().setReadOnly());

        assertEquals(1, Htpasswd.load(file).size());
    }

    @Test
    void malformedLinesNameFileAndLineButNeverTheHash() {
        UserError noColon = assertThrows(UserError.class, () -> Htpasswd.parse("users", List.of(BOB, "justtext")));
        assertTrue(noColon.getMessage().contains("users line 2"), noColon.getMessage());

        UserError md5 = assertThrows(UserError.class,
                () -> Htpasswd.parse("users", List.of("md5user:$apr1$jYlAUw1d$OkYD2TVTZLmWje.h1xe4n0")));
        assertTrue(md5.getMessage().contains("line 1") && md5.getMessage().contains("md5user") && md5.getMessage().contains("MD5"),
                md5.getMessage());
        assertFalse(md5.getMessage().contains("jYlAUw1d"), "the hash must not be echoed");

        UserError plain = assertThrows(UserError.class, () -> Htpasswd.parse("users", List.of("plain:hunter2")));
        assertFalse(plain.getMessage().contains("hunter2"), "a plain-text password must not be echoed");
        assertTrue(plain.getMessage().contains("plain-text"), plain.getMessage());

        UserError truncated = assertThrows(UserError.class, () -> Htpasswd.parse("users", List.of("bob:" + BOB_HASH.substring(0, 40))));
        assertTrue(truncated.getMessage().contains("malformed bcrypt"), truncated.getMessage());
    }

    @Test
    void aUserListedTwiceIsAnError() {
        UserError e = assertThrows(UserError.class, () -> Htpasswd.parse("users", List.of(BOB, "# x", BOB)));
        assertTrue(e.getMessage().contains("line 3") && e.getMessage().contains("first on line 1"), e.getMessage());
    }

    @Test
    void missingFileSaysHowToCreateOne() {
        UserError e = assertThrows(UserError.class, () -> Htpasswd.load(dir.resolve("nope")));
        assertTrue(e.getMessage().contains("does not exist") && e.getMessage().contains("portcullis htpasswd"), e.getMessage());
    }
}
