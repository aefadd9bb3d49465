package io.portcullis.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.base.UserError;
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
                () -> Htpasswd.parse("users", List.of("md5user:$apr1$jYlAUw1d$OkYD2TVTZLm")));
        assertTrue(md5.getMessage().contains("line 1") && md5.getMessage().contains("md5user")
                        && md5.getMessage().contains("malformed MD5"), md5.getMessage());
        assertFalse(md5.getMessage().contains("jYlAUw1d"), "the hash must not be echoed");

        UserError plain = assertThrows(UserError.class, () -> Htpasswd.parse("users", List.of(BOB, "plain:hunter2")));
        assertFalse(plain.getMessage().contains("hunter2"), "a plain-text password must not be echoed");
        assertTrue(plain.getMessage().contains("users line 2") && plain.getMessage().contains("'plain'")
                && plain.getMessage().contains("plain-text"), plain.getMessage());

        UserError truncated = assertThrows(UserError.class, () -> Htpasswd.parse("users", List.of("bob:" + BOB_HASH.substring(0, 40))));
        assertTrue(truncated.getMessage().contains("malformed bcrypt"), truncated.getMessage());
    }

    @Test
    void everyApacheFormatIsAcceptedAndTheWeakOnesAreNamedInOneWarning() {
        Htpasswd h = Htpasswd.parse("auth/htpasswd", List.of(BOB,
                "zed:{SHA}L55TUjtiq8FBorTWAZ0jy6g129A=",
                "alice:$apr1$Kn24PEEa$xVW96s2l4oTPevZpoBkML1",
                "dora:kWojF8Z9mAncE",
                "sam:$6$5BPAdlo7Cb6Kqpbw$9FdUQNQoqHYS12HCyAw7kQEgkikNm01IP7Kb3htdhDvgYO7KdMjCjszPOGCh976ozJgsbQLWVIZx8v/kD0FAf/"));

        assertEquals(5, h.size());
        assertEquals(HashScheme.DES_CRYPT, h.entryOf("dora").orElseThrow().scheme());
        assertEquals(5, h.typicalCost(), "only bcrypt entries count towards the dummy hash's cost");
        assertEquals(Optional.of("htpasswd auth/htpasswd: users alice, dora, sam, zed use weak hash formats "
                + "(MD5, SHA-1, SHA-512 crypt, DES crypt); re-create them with portcullis htpasswd"), h.weakFormatWarning());
        String warning = h.weakFormatWarning().orElseThrow();
        assertFalse(warning.contains("Kn24PEEa") || warning.contains("bob"), warning);
    }

    @Test
    void aBcryptOnlyFileGivesNoWarningAndAWeakOnlyFileDefaultsTheDummyCost() {
        assertEquals(Optional.empty(), Htpasswd.parse("f", List.of(BOB)).weakFormatWarning());
        Htpasswd weakOnly = Htpasswd.parse("f", List.of("alice:$apr1$Kn24PEEa$xVW96s2l4oTPevZpoBkML1"));
        assertEquals(BcryptHash.DEFAULT_COST, weakOnly.typicalCost());
        assertEquals(Optional.of("htpasswd f: user alice uses a weak hash format (MD5); re-create them with portcullis htpasswd"),
                weakOnly.weakFormatWarning());
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

    @Test
    void aUserSpelledLikeATokenRobotIsIgnoredSoTheTwoNeverCollide() {
        String hash = BcryptHash.hash("pw".getBytes(java.nio.charset.StandardCharsets.UTF_8), 4);
        Htpasswd users = Htpasswd.parse("htpasswd", java.util.List.of("alice:" + hash, "robot+ci:" + hash));
        org.junit.jupiter.api.Assertions.assertTrue(users.hashOf("alice").isPresent());
        org.junit.jupiter.api.Assertions.assertTrue(users.hashOf("robot+ci").isEmpty());
        org.junit.jupiter.api.Assertions.assertEquals(1, users.size());
    }
}
