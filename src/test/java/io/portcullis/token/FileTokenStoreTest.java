package io.portcullis.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.portcullis.base.UserError;
import io.portcullis.state.StateDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTokenStoreTest {
    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

    private FileTokenStore open() {
        return FileTokenStore.open(StateDirectory.open(dir.resolve("state")), clock);
    }

    private static TokenRequest request(String owner, Instant expires) {
        return new TokenRequest(owner, "ci \t label", List.of(TokenScope.parse("pull,push:team/*"), TokenScope.parse("catalog")),
                Optional.of(expires));
    }

    @Test
    void aCreatedTokenIsFoundByIdAndAcceptsOnlyItsSecret() {
        try (FileTokenStore store = open()) {
            IssuedToken issued = store.create(request("robot+ci", clock.instant().plus(Duration.ofDays(1))));
            Token found = store.find(issued.token().id()).orElseThrow();
            assertEquals("robot+ci", found.owner());
            assertEquals("ci \t label", found.label());
            assertEquals(List.of(TokenScope.parse("pull,push:team/*"), TokenScope.parse("catalog")), found.scopes());
            assertTrue(found.accepts(issued.secret(), clock.instant()));
            assertFalse(found.accepts(issued.secret().rotated(new java.security.SecureRandom()), clock.instant()));
            assertEquals(Token.Status.ACTIVE, found.status(clock.instant()));
            assertEquals(Token.Status.EXPIRED, found.status(clock.instant().plus(Duration.ofDays(1))));
        }
    }

    @Test
    void theFileHoldsNoSecretAndIsReadableByItsOwnerOnly() throws Exception {
        try (FileTokenStore store = open()) {
            IssuedToken a = store.create(request("alice", clock.instant().plusSeconds(60)));
            IssuedToken b = store.rotate(store.create(request("robot+x", clock.instant().plusSeconds(60))).token().id(),
                    Duration.ofMinutes(5)).orElseThrow();
            String content = Files.readString(store.file());
            for (IssuedToken t : List.of(a, b)) {
                assertFalse(content.contains(t.secret().secret()));
                assertFalse(content.contains(t.text()));
                assertTrue(content.contains(t.token().id()));
            }
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(store.file())));
        }
    }

    @Test
    void anotherProcessesChangesAreSeenAfterARefreshAndSurviveReopening() {
        try (FileTokenStore gate = open(); FileTokenStore cli = open()) {
            IssuedToken t = cli.create(request("alice", clock.instant().plusSeconds(600)));
            assertEquals(Optional.empty(), gate.find(t.token().id()));
            assertTrue(gate.refresh());
            assertTrue(gate.find(t.token().id()).isPresent());
            cli.revoke(t.token().id());
            assertTrue(gate.refresh());
            assertEquals(Token.Status.REVOKED, gate.find(t.token().id()).orElseThrow().status(clock.instant()));
            assertFalse(gate.refresh());
        }
        try (FileTokenStore again = open()) {
            assertEquals(1, again.list().size());
        }
    }

    @Test
    void theGateHearsWhatTheCliCreatedRotatedAndRevokedOnceEach() {
        try (FileTokenStore gate = open(); FileTokenStore cli = open()) {
            List<String> heard = new java.util.ArrayList<>();
            gate.listen((action, token) -> heard.add(action + " " + token.id()));
            String id = cli.create(request("alice", clock.instant().plusSeconds(600))).token().id();
            gate.refresh();
            cli.rotate(id, Duration.ZERO);
            gate.refreshIfTouched();
            cli.revoke(id);
            // the gate's own write (a last use) must not swallow the CLI's change it reads first
            gate.recordUse(id, "10.0.0.9");
            gate.flushUses(true);
            gate.refresh();
            assertEquals(List.of("token.create " + id, "token.rotate " + id, "token.revoke " + id), heard);
        }
    }

    @Test
    void revokeByOwnerRevokesEveryTokenOfThatOwnerOnce() {
        try (FileTokenStore store = open()) {
            store.create(request("alice", clock.instant().plusSeconds(600)));
            store.create(request("alice", clock.instant().plusSeconds(600)));
            String bob = store.create(request("bob", clock.instant().plusSeconds(600))).token().id();
            assertEquals(2, store.revokeOwner("alice").size());
            assertEquals(0, store.revokeOwner("alice").size());
            assertEquals(Token.Status.ACTIVE, store.find(bob).orElseThrow().status(clock.instant()));
        }
    }

    @Test
    void rotationKeepsIdOwnerScopesAndTheOldSecretOnlyForItsGrace() {
        try (FileTokenStore store = open()) {
            IssuedToken first = store.create(request("alice", clock.instant().plusSeconds(6000)));
            IssuedToken second = store.rotate(first.token().id(), Duration.ofMinutes(10)).orElseThrow();
            assertEquals(first.token().id(), second.token().id());
            assertEquals(first.token().scopes(), second.token().scopes());
            Token now = store.find(first.token().id()).orElseThrow();
            assertTrue(now.accepts(second.secret(), clock.instant()));
            assertTrue(now.accepts(first.secret(), clock.instant().plusSeconds(599)));
            assertFalse(now.accepts(first.secret(), clock.instant().plusSeconds(600)));
            IssuedToken third = store.rotate(first.token().id(), Duration.ZERO).orElseThrow();
            Token after = store.find(first.token().id()).orElseThrow();
            assertFalse(after.accepts(second.secret(), clock.instant()));
            assertTrue(after.accepts(third.secret(), clock.instant()));
            store.revoke(first.token().id());
            assertEquals(Optional.empty(), store.rotate(first.token().id(), Duration.ZERO));
        }
    }

    @Test
    void lastUseIsWrittenAtMostOncePerTokenPerMinute() throws Exception {
        try (FileTokenStore store = open()) {
            String id = store.create(request("alice", clock.instant().plusSeconds(6000))).token().id();
            store.recordUse(id, "10.0.0.1");
            store.flushUses(false);
            assertEquals("10.0.0.1", store.find(id).orElseThrow().lastUsed().orElseThrow().from());
            byte[] written = Files.readAllBytes(store.file());
            clock.advance(Duration.ofSeconds(30));
            store.recordUse(id, "10.0.0.2");
            store.flushUses(false);
            assertTrue(java.util.Arrays.equals(written, Files.readAllBytes(store.file())), "a second write within the minute");
            clock.advance(Duration.ofSeconds(30));
            store.flushUses(false);
            Token.LastUse use = store.find(id).orElseThrow().lastUsed().orElseThrow();
            assertEquals("10.0.0.2", use.from());
            assertEquals(Instant.parse("2026-01-01T00:00:30Z"), use.at());
        }
    }

    @Test
    void aCorruptFileIsAOneLineErrorAtStartAndKeepsTheLastGoodTokensOnRefresh() throws Exception {
        String id;
        try (FileTokenStore store = open()) {
            id = store.create(request("alice", clock.instant().plusSeconds(6000))).token().id();
            Files.writeString(store.file(), Files.readString(store.file()) + "garbage\tline\n");
            UserError e = assertThrows(UserError.class, store::refresh);
            assertFalse(e.getMessage().contains("\n"));
            assertTrue(e.getMessage().contains("line 3"), e.getMessage());
            assertTrue(store.find(id).isPresent());
        }
        assertThrows(UserError.class, this::open);
    }

    @Test
    void endedTokensArePurgedAfterAMonth() {
        try (FileTokenStore store = open()) {
            String old = store.create(request("alice", clock.instant().plusSeconds(60))).token().id();
            clock.advance(FileTokenStore.KEEP_ENDED.plusMinutes(2));
            store.create(request("alice", clock.instant().plusSeconds(60)));
            assertEquals(Optional.empty(), store.find(old));
            assertEquals(1, store.list().size());
        }
    }

    @Test
    void scopesParseFromTheRulesSyntax() {
        assertEquals(Set.of("pull", "push"), TokenScope.parse("push,pull:app").actions());
        assertEquals("pull,push:app", TokenScope.parse("push,pull:app").toString());
        assertTrue(TokenScope.parse("catalog").isCatalog());
        assertThrows(IllegalArgumentException.class, () -> TokenScope.parse("pull"));
        assertThrows(IllegalArgumentException.class, () -> TokenScope.parse("write:app"));
        assertThrows(IllegalArgumentException.class, () -> TokenScope.parse("pull:App"));
    }

    static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
