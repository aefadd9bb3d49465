package io.portcullis.token;

import io.portcullis.base.UserError;
import io.portcullis.state.AtomicFile;
import io.portcullis.state.StateDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The embedded store: the file {@code tokens} in the state directory ({@link TokenFile}), and a copy in memory
 * that {@link #find} answers from. Every change is a read-modify-write of the whole file under the state
 * directory's lock and an atomic replace, so the CLI and a running gate can change it at the same time and a
 * {@code kill -9} leaves the old file or the new one. A gate takes up changes made by others through
 * {@link #refresh} and {@link #refreshIfTouched}, which its background look (every 100 ms) and its file watcher call.
 *
 * <p>Last uses are kept in memory and written by {@link #flushUses} (the gate calls it every few seconds), for
 * each token at most once per {@link TokenStore#USE_WRITE_INTERVAL}. Revoked and expired tokens are kept for
 * {@link #KEEP_ENDED} (their message, the list), then dropped at the next write.
 */
public final class FileTokenStore implements TokenStore {
    public static final String FILE = "tokens";
    static final Duration KEEP_ENDED = Duration.ofDays(30);

    private final StateDirectory dir;
    private final Path file;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private volatile Snapshot snapshot;
    private final LastUses uses = new LastUses();
    private volatile ChangeListener listener = (action, token) -> { };
    /** What {@link #refreshIfTouched} saw last (two threads at once only cost an extra read). */
    private volatile Object lastStamp = "";

    /** The tokens in memory and the bytes they were read from (so an unchanged file is not parsed again). */
    private record Snapshot(Map<String, Token> tokens, byte[] content) {
    }

    private FileTokenStore(StateDirectory dir, Clock clock, Snapshot snapshot) {
        this.dir = dir;
        this.file = dir.resolve(FILE);
        this.clock = clock;
        this.snapshot = snapshot;
    }

    /**
     * Reads the store; a missing file is an empty store.
     *
     * @throws UserError one line naming the file, when it is unreadable or corrupt
     */
    public static FileTokenStore open(StateDirectory dir, Clock clock) {
        Path file = dir.resolve(FILE);
        byte[] content = read(file);
        return new FileTokenStore(dir, clock, new Snapshot(TokenFile.parse(file.toString(), content), content));
    }

    public Path file() {
        return file;
    }

    /**
     * Takes up the file as it is now, when it changed. A corrupt file leaves the tokens in memory as they are.
     *
     * @return true when the tokens changed
     * @throws UserError when the file is unreadable or corrupt (the previous tokens stay)
     */
    public synchronized boolean refresh() {
        byte[] content = read(file);
        if (Arrays.equals(content, snapshot.content())) {
            return false;
        }
        install(TokenFile.parse(file.toString(), content), content, true);
        return true;
    }

    /** Told what another process (the CLI) created, rotated or revoked, when this store learns of it. */
    @FunctionalInterface
    public interface ChangeListener {
        /** @param action token.create, token.rotate or token.revoke */
        void changed(String action, Token token);
    }

    /** Sets who hears of changes made by other processes (the audit trail); one listener. */
    public void listen(ChangeListener listener) {
        this.listener = listener;
    }

    /** Makes {@code tokens} the ones in memory; with {@code tell}, reports how they differ from the previous ones. */
    private synchronized void install(Map<String, Token> tokens, byte[] content, boolean tell) {
        Map<String, Token> before = snapshot.tokens();
        snapshot = new Snapshot(tokens, content);
        if (!tell) {
            return;
        }
        for (Token t : tokens.values()) {
            Token old = before.get(t.id());
            String action = old == null ? "token.create"
                    : old.revoked().isEmpty() && t.revoked().isPresent() ? "token.revoke"
                    : !old.secretHash().equals(t.secretHash()) ? "token.rotate" : null;
            if (action != null) {
                listener.changed(action, t);
            }
        }
    }

    /**
     * {@link #refresh} when the file was replaced or touched since last looked at (its inode, size and modification
     * time: one stat, no read), so it can run ten times a second. Every write is a rename of a new file, so the inode
     * alone tells a change made by another process.
     */
    public boolean refreshIfTouched() {
        Object stamp = stamp();
        if (stamp.equals(lastStamp)) {
            return false;
        }
        boolean changed = refresh();
        lastStamp = stamp;
        return changed;
    }

    private Object stamp() {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return List.of(String.valueOf(a.fileKey()), a.size(), a.lastModifiedTime());
        } catch (IOException e) {
            return "missing";
        }
    }

    @Override
    public IssuedToken create(TokenRequest request) {
        return change(tokens -> {
            TokenSecret secret;
            do {
                secret = TokenSecret.generate(random);
            } while (tokens.containsKey(secret.id()));
            Token token = new Token(secret.id(), request.owner(), request.label(), request.scopes(), now(), request.expires(),
                    secret.hash(), Optional.empty(), Optional.empty(), Optional.empty());
            tokens.put(token.id(), token);
            return new IssuedToken(token, secret);
        });
    }

    @Override
    public Optional<Token> find(String id) {
        return Optional.ofNullable(snapshot.tokens().get(id));
    }

    /**
     * Re-reads the file when it was replaced since it was last looked at (a create by the CLI a moment ago): a stat,
     * so a stream of guessed ids (each one a failed login, throttled) costs no file reads.
     */
    @Override
    public Optional<Token> findFresh(String id) {
        try {
            refreshIfTouched();
        } catch (UserError e) {
            // corrupt or unreadable now: the tokens in memory stay, as on a reload
        }
        return find(id);
    }

    @Override
    public List<Token> list() {
        refresh();
        return TokenFile.sorted(snapshot.tokens());
    }

    @Override
    public Optional<Token> revoke(String id) {
        return change(tokens -> {
            Token t = tokens.get(id);
            if (t == null || t.revoked().isPresent()) {
                return Optional.ofNullable(t);
            }
            Token revoked = t.revokedAt(now());
            tokens.put(id, revoked);
            return Optional.of(revoked);
        });
    }

    @Override
    public List<Token> revokeOwner(String owner) {
        return change(tokens -> {
            List<Token> revoked = new ArrayList<>();
            Instant now = now();
            for (Token t : List.copyOf(tokens.values())) {
                if (t.owner().equals(owner) && t.revoked().isEmpty()) {
                    tokens.put(t.id(), t.revokedAt(now));
                    revoked.add(tokens.get(t.id()));
                }
            }
            return revoked;
        });
    }

    @Override
    public Optional<IssuedToken> rotate(String id, Duration grace) {
        return change(tokens -> {
            Token t = tokens.get(id);
            if (t == null || t.revoked().isPresent()) {
                return Optional.empty();
            }
            TokenSecret secret = new TokenSecret(id, "").rotated(random);
            Instant now = now();
            Token rotated = t.rotated(secret.hash(), now, now.plus(grace));
            tokens.put(id, rotated);
            return Optional.of(new IssuedToken(rotated, secret));
        });
    }

    @Override
    public void recordUse(String id, String clientAddress) {
        uses.record(id, new Token.LastUse(now(), clientAddress));
    }

    /**
     * Writes the last uses of tokens whose last written use is older than {@link TokenStore#USE_WRITE_INTERVAL}
     * (or that were never written): one file write for all of them.
     */
    public void flushUses(boolean all) {
        Instant now = now();
        Map<String, Token.LastUse> due = uses.due(now, all);
        if (due.isEmpty()) {
            return;
        }
        change(tokens -> {
            due.forEach((id, use) -> tokens.computeIfPresent(id, (i, t) -> LastUses.apply(t, use)));
            return null;
        });
        uses.written(due, now);
    }

    @Override
    public void close() {
        try {
            flushUses(true);
        } catch (UserError e) {
            // closing after the state directory went away: the last uses are lost, nothing else
        }
    }

    /** Read-modify-write of the whole file, under the lock, from what is on disk now (another process may have written). */
    private <T> T change(Function<Map<String, Token>, T> edit) {
        return dir.locked(FILE, () -> {
            byte[] content = read(file);
            Map<String, Token> tokens = new LinkedHashMap<>(TokenFile.parse(file.toString(), content));
            if (!Arrays.equals(content, snapshot.content())) {
                // another process wrote since this one last looked: report its changes before adding ours
                install(Map.copyOf(tokens), content, true);
            }
            T result = edit.apply(tokens);
            purgeEnded(tokens);
            byte[] next = TokenFile.format(tokens);
            try {
                AtomicFile.write(file, next);
            } catch (IOException e) {
                throw new UserError("cannot write the token store " + file + " (" + e.getMessage() + "); check the state directory");
            }
            install(Map.copyOf(tokens), next, false);
            return result;
        });
    }

    private void purgeEnded(Map<String, Token> tokens) {
        Instant cutoff = now().minus(KEEP_ENDED);
        tokens.values().removeIf(t -> t.revoked().map(r -> r.isBefore(cutoff)).orElse(false)
                || t.expires().map(e -> e.isBefore(cutoff)).orElse(false));
    }

    private Instant now() {
        return clock.instant();
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return new byte[0];
        } catch (IOException e) {
            throw new UserError("cannot read the token store " + file + " (" + e.getMessage() + "); check its owner and permissions");
        }
    }
}
