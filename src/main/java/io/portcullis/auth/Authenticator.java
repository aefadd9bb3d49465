package io.portcullis.auth;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import io.portcullis.directory.DirectoryLogin;
import io.portcullis.directory.LoginVerdict;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Decides whether credentials are valid against the current htpasswd users, in two steps so the caller can
 * keep bcrypt off IO threads: {@link #isRemembered} is cheap (an HMAC and a map lookup); {@link #verify}
 * runs the hash (bcrypt or another htpasswd format) and must be called on a worker thread.
 *
 * <p>The users can be replaced while requests run ({@link #replaceUsers}). No cache flush is needed: cache keys
 * include the stored hash, so a removed or changed entry simply stops matching.
 */
public final class Authenticator {
    /**
     * What a directory login is remembered under in the {@link CredentialCache}, in place of a stored hash (the
     * directory's is not ours to see); no htpasswd hash has this form, so the two kinds of entry never meet.
     */
    static final String DIRECTORY = "directory:";
    // One reference for users and dummy hash, so a request never sees the users of one file and the dummy of another.
    private final AtomicReference<UserTable> users;
    private final CredentialCache cache;
    private final BcryptCheck bcrypt;
    private final Optional<DirectoryLogin> directory;
    private final Optional<LoginLedger> ledger;
    private final AtomicLong replacements = new AtomicLong();

    /** A bcrypt check of a password against a hash; injected so a test can count the work an unknown user costs. */
    @FunctionalInterface
    interface BcryptCheck {
        boolean verify(byte[] password, String hash);
    }

    public Authenticator(Htpasswd htpasswd, CredentialCache cache) {
        this(htpasswd, cache, Optional.empty());
    }

    /** @param directory where names the htpasswd file does not have are checked (LDAP), if anywhere */
    public Authenticator(Htpasswd htpasswd, CredentialCache cache, Optional<DirectoryLogin> directory) {
        this(htpasswd, cache, directory, Optional.empty());
    }

    /** @param ledger told every directory login (keeps the user's tokens alive), and read for token owners */
    public Authenticator(Htpasswd htpasswd, CredentialCache cache, Optional<DirectoryLogin> directory,
                         Optional<LoginLedger> ledger) {
        this(htpasswd, cache, BcryptHash::verify, Authenticator::onOwnThread, directory, ledger);
    }

    Authenticator(Htpasswd htpasswd, CredentialCache cache, BcryptCheck bcrypt) {
        this(htpasswd, cache, bcrypt, Authenticator::onOwnThread, Optional.empty(), Optional.empty());
    }

    /** @param measuring runs the first measuring of the failure floor (a test holds it to see who waits) */
    Authenticator(Htpasswd htpasswd, CredentialCache cache, BcryptCheck bcrypt, Executor measuring) {
        this(htpasswd, cache, bcrypt, measuring, Optional.empty(), Optional.empty());
    }

    private Authenticator(Htpasswd htpasswd, CredentialCache cache, BcryptCheck bcrypt, Executor measuring,
                          Optional<DirectoryLogin> directory, Optional<LoginLedger> ledger) {
        this.ledger = ledger;
        this.users = new AtomicReference<>(UserTable.measuredBy(measuring, htpasswd));
        this.cache = cache;
        this.bcrypt = bcrypt;
        this.directory = directory;
    }

    /** The users in service now. */
    public Htpasswd users() {
        return users.get().htpasswd();
    }

    public int userCount() {
        return users.get().htpasswd().size();
    }

    /**
     * Makes the next requests check against {@code htpasswd}; requests already past the lookup finish with the
     * users they saw. Runs bcrypt a few times (the new dummy hash, timed): call it off IO threads.
     *
     * @return the users that were in service until now
     */
    public Htpasswd replaceUsers(Htpasswd htpasswd) {
        Htpasswd previous = users.getAndSet(UserTable.measuredNow(htpasswd)).htpasswd();
        replacements.incrementAndGet();
        return previous;
    }

    /** How many times the users were replaced since start (a reloaded htpasswd file). */
    public long replacements() {
        return replacements.get();
    }

    /** True when these exact credentials were verified recently against the user's current hash. */
    public boolean isRemembered(Credentials credentials) {
        return remembered(credentials).isPresent();
    }

    /**
     * The user's groups when these exact credentials were verified recently (none for an htpasswd user; the
     * directory's at that login for a directory user), or empty when they must be checked. Cheap: IO threads.
     */
    public Optional<Set<String>> remembered(Credentials credentials) {
        Optional<String> hash = users.get().htpasswd().hashOf(credentials.user());
        if (hash.isPresent()) {
            return cache.contains(credentials, hash.get()) ? Optional.of(Set.of()) : Optional.empty();
        }
        return directory.isPresent() ? cache.groupsOf(credentials, DIRECTORY) : Optional.empty();
    }

    /**
     * The full check, on a worker thread: a name in the htpasswd file is decided by its hash there and nowhere
     * else (the file comes first, and a directory namesake cannot take its place); any other name by the
     * directory when there is one. A verified login is remembered with its groups, so a push pays one check.
     */
    public LoginVerdict check(Credentials credentials) {
        if (directory.isEmpty() || users.get().htpasswd().hashOf(credentials.user()).isPresent()) {
            return verify(credentials) ? LoginVerdict.accepted(Set.of()) : LoginVerdict.REJECTED;
        }
        LoginVerdict verdict = directory.get().check(credentials.user(), credentials.password());
        if (verdict.outcome() == LoginVerdict.Outcome.ACCEPTED) {
            cache.remember(credentials, DIRECTORY, verdict.groups());
            ledger.ifPresent(l -> l.record(credentials.user(), verdict.groups()));
        }
        return verdict;
    }

    /** The record of logins from outside the htpasswd file (directory, single sign-on), when kept. */
    public Optional<LoginLedger> ledger() {
        return ledger;
    }

    /**
     * Whether a token's owner is a user now: in the htpasswd file, or logged in (directory, single sign-on) within
     * the ledger's window.
     */
    public boolean isTokenOwner(String user) {
        return users.get().htpasswd().hashOf(user).isPresent() || ledger.flatMap(l -> l.current(user)).isPresent();
    }

    /** The groups a token of {@code user} acts with: those of the owner's last login from outside the file. */
    public Set<String> tokenOwnerGroups(String user) {
        if (users.get().htpasswd().hashOf(user).isPresent()) {
            return Set.of();
        }
        return ledger.flatMap(l -> l.current(user)).map(LoginLedger.Entry::groups).orElse(Set.of());
    }

    /** Whether logins go on to a directory for names the htpasswd file does not have. */
    public boolean hasDirectory() {
        return directory.isPresent();
    }

    /**
     * Full check in the user's scheme. Unknown users are checked against a bcrypt dummy hash of the file's highest
     * bcrypt cost, so they cost as much as the slowest user; {@link #failureFloor} evens out the rest.
     */
    public boolean verify(Credentials credentials) {
        UserTable table = users.get();
        Optional<PasswordHash> hash = table.htpasswd().entryOf(credentials.user());
        if (hash.isEmpty()) {
            bcrypt.verify(credentials.password(), table.calibrated().dummyHash());
            return false;
        }
        boolean ok = hash.get().verify(credentials.password());
        if (ok) {
            cache.remember(credentials, hash.get().encoded());
        }
        return ok;
    }

    /**
     * No failed login is answered sooner than this after its check was accepted: the slowest check in the file,
     * measured, with a margin. Then a wrong password takes the same time whether the user exists or not and
     * whatever its hash (users added over the years at bcrypt cost 5 and 10 differ 30-fold: 2 ms vs 54-70 ms).
     */
    public Duration failureFloor() {
        return users.get().calibrated().failureFloor();
    }

    private static void onOwnThread(Runnable measure) {
        Thread t = new Thread(measure, "portcullis-login-floor");
        t.setDaemon(true);
        t.start();
    }

    /**
     * True once the failure floor and the dummy hash of the users in service are known. Until then (the first
     * moments after start) {@link #failureFloor} and an unknown user's {@link #verify} wait for them.
     */
    public boolean isCalibrated() {
        return users.get().calibration().isDone();
    }

    /**
     * The users and, measured for them, a dummy hash at their highest cost and the failure floor, so the two always
     * agree. At start the measuring runs on a thread of its own while the listener opens: four bcrypt checks at the
     * file's highest cost, run cold (interpreted) here, were 40 ms of start-up at cost 5 and several hundred at
     * cost 10 (bench/start-probe). Whoever needs the floor or the dummy before then waits for it, so no failure is
     * ever answered sooner than the floor, from the first request on.
     */
    private record UserTable(Htpasswd htpasswd, CompletableFuture<Calibration> calibration) {
        static UserTable measuredBy(Executor measuring, Htpasswd htpasswd) {
            return new UserTable(htpasswd, CompletableFuture.supplyAsync(() -> Calibration.measure(htpasswd), measuring));
        }

        static UserTable measuredNow(Htpasswd htpasswd) {
            return new UserTable(htpasswd, CompletableFuture.completedFuture(Calibration.measure(htpasswd)));
        }

        Calibration calibrated() {
            return calibration.join();
        }
    }

    /** A dummy hash at the users' highest bcrypt cost and the failure floor timed on it. */
    private record Calibration(String dummyHash, Duration failureFloor) {
        /** Checks timed to find the slowest; the median of these, so one hiccup neither inflates nor shrinks it. */
        private static final int TIMED_CHECKS = 3;
        /**
         * The floor is the slowest check times this: a check slowed by load (two cores shared with transfers)
         * stays under it, so it does not stand out; measured on 2 vCPU, cost-10 checks vary within +-30 %.
         */
        private static final double MARGIN = 1.5;

        static Calibration measure(Htpasswd htpasswd) {
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            String dummy = BcryptHash.hash(random, htpasswd.highestCost());
            long[] nanos = new long[TIMED_CHECKS];
            for (int i = 0; i < TIMED_CHECKS; i++) {
                long start = System.nanoTime();
                BcryptHash.verify(random, dummy);
                nanos[i] = System.nanoTime() - start;
            }
            java.util.Arrays.sort(nanos);
            return new Calibration(dummy, Duration.ofNanos((long) (nanos[TIMED_CHECKS / 2] * MARGIN)));
        }
    }
}
