package io.portcullis.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * The differential test of the parse against the registry's router: for generated requests (names, references, upload ids and parameters from the
 * registry's grammars and just outside them, every character class percent-encoded at random, dot segments,
 * repeated and encoded parameters, form and multipart bodies), whatever the gate accepts is, once forwarded, acted
 * on by the registry (modelled in {@link DistributionRouter}) on the same route and repository, with the same
 * parameters and so the same accesses; and it means the same as what the client sent. Anything else the gate
 * refuses.
 */
class RequestParserPropertiesTest {
    private static final List<String> METHODS = List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");
    // each list: values from the grammar first, then keywords and values just outside it
    private static final List<String> COMPONENTS = List.of("a", "app", "team-b", "x.y", "a__b", "a_b", "a--b", "localhost",
            "manifests", "blobs", "uploads", "tags", "list", "referrers", "_catalog", "v2",
            "A", "a:5000", ".", "..", "", "a b", "sha256:" + "ab".repeat(32), "-a", "a.", "\u00e9");
    private static final List<String> REFERENCES = List.of("latest", "v1.0", "_x", "sha256:" + "0f".repeat(32), "sha256:aa",
            "a+b.c:00", "u1", "abc=", "x", "sha256:xyz", "SHA256:AA", ".", "..", "", "-tag", "x/blobs/uploads/", "a:b",
            "x/blobs/sha256:" + "ab".repeat(32));
    private static final List<String> SUFFIXES = List.of("/manifests/REF", "/blobs/REF", "/blobs/uploads/", "/blobs/uploads/REF",
            "/tags/list", "/referrers/REF", "/blobs/uploads", "/tags/list/", "/manifests/REF/", "", "/", "/REF");
    private static final List<String> PARAMETER_NAMES = List.of("digest", "mount", "from", "n", "last", "artifactType",
            "_state", "other", "%6Dount", "mo%75nt", "%66rom", "from+", "FROM", "mount%00", "%5Fstate", "");
    private static final List<String> PARAMETER_VALUES = List.of("sha256:" + "ab".repeat(32), "sha256%3Aab", "secret/app",
            "secret%2Fapp", "team-b%2Fapp", "a+b", "", "10", "Zm9v%3D", "%zz", "x;y", "UPPER/App", "%2e%2e");
    /** Characters whose encodings matter: separators, dots, escapes, and plain grammar characters. */
    private static final String SPECIAL = "/\\;.%?#:+= ";

    record Request(String method, String path, String query, String contentType, List<String[]> body) {
        @Override
        public String toString() {
            return method + " " + path + (query.isEmpty() ? "" : "?" + query) + (contentType == null ? "" : " [" + contentType + "]");
        }
    }

    @Property(tries = 3000)
    void whatTheGateAcceptsTheRegistryActsOnAlike(@ForAll("requests") Request request) {
        ParsedRequest parsed = RequestParser.parse(request.method(), request.path(), request.query(),
                request.contentType() == null ? List.of() : List.of(request.contentType()));
        if (!(parsed instanceof RegistryOperation operation)) {
            return;
        }
        String forwarded = operation.path() + (operation.query().isEmpty() ? "" : "?" + operation.query());
        Optional<DistributionRouter.Action> acted = DistributionRouter.act(request.method(), forwarded, request.contentType(), request.body());
        if (operation.route() == Route.REFERRERS) {
            // not a route in 2.8: the registry answers 404 and acts on nothing
            assertTrue(acted.isEmpty(), () -> "2.8 has no referrers route, yet acts on " + forwarded);
            return;
        }
        DistributionRouter.Action action = acted.orElseThrow(() -> new AssertionError("the gate accepted " + request
                + " and forwards " + forwarded + ", on which the registry does not act"));
        assertEquals(action.route(), operation.route().name(), () -> request + " -> " + forwarded);
        assertEquals(action.name(), operation.name(), () -> request + " -> " + forwarded);
        for (String key : FormParameters.READ) {
            assertEquals(action.formValue(key), operation.parameters().getOrDefault(key, ""), () -> key + " of " + request);
        }
        assertEquals(DistributionRouter.accesses(request.method(), action), operation.accesses(), request::toString);
        // and the client's own bytes mean the same to the registry as the forwarded ones
        String sent = request.path() + (request.query().isEmpty() ? "" : "?" + request.query());
        assertEquals(acted, DistributionRouter.act(request.method(), sent, request.contentType(), request.body()), request::toString);
    }

    /**
     * Where the registry answers by itself (no route: 404; mux's redirect: 301 and its Location; Go's 400
     * for a bad escape; 200 on "/"), the gate answers the same status; where a handler of the registry acts, the gate
     * forwards (checked above) or refuses with 400, never answers as if nothing were there.
     */
    @Property(tries = 3000)
    void whereTheRegistryAnswersItselfTheGateAnswersTheSame(@ForAll("requests") Request request) {
        ParsedRequest parsed = RequestParser.parse(request.method(), request.path(), request.query(),
                request.contentType() == null ? List.of() : List.of(request.contentType()));
        String sent = request.path() + (request.query().isEmpty() ? "" : "?" + request.query());
        DistributionRouter.Answer registry = DistributionRouter.answer(request.method(), sent, request.contentType(), request.body());
        Statistics.collect(registry.status());
        if (registry.status() == 0) {
            assertTrue(parsed instanceof RegistryOperation || parsed instanceof RefusedRequest refused && refused.error().status() == 400,
                    () -> "the registry acts on " + request + ", the gate answered " + parsed);
            return;
        }
        String decoded = DistributionRouter.unescape(request.path(), false);
        if (registry.status() == 404 && decoded != null && decoded.contains("/referrers/") && !(parsed instanceof RouterAnswer)) {
            // a route of the registries after 2.8, which the gate treats as one: forwarded (2.8 answers its 404
            // itself) or, where the bytes could be read two ways, refused like any other route
            return;
        }
        RouterAnswer answer = assertInstanceOf(RouterAnswer.class, parsed, () -> "the registry answers " + registry + " to " + request);
        assertEquals(registry.status(), answer.status(), request::toString);
        assertEquals(Optional.ofNullable(registry.location()), answer.location(), request::toString);
        Statistics.coverage(coverage -> {
            coverage.check(404).count(c -> c >= 50);
            coverage.check(301).count(c -> c >= 50);
        });
    }

    @Property(tries = 300)
    void canonicalRequestsFromTheGrammarsAreAccepted(@ForAll("canonical") Request request) {
        ParsedRequest parsed = RequestParser.parse(request.method(), request.path(), request.query(), List.of());
        assertTrue(parsed instanceof RegistryOperation, () -> request + " was refused: " + parsed);
    }

    @Provide
    Arbitrary<Request> canonical() {
        Arbitrary<String> component = Arbitraries.strings().withCharRange('a', 'z').numeric().ofMinLength(1).ofMaxLength(8);
        Arbitrary<String> name = component.list().ofMinSize(1).ofMaxSize(4).map(l -> String.join("/", l));
        Arbitrary<String> digest = Arbitraries.strings().withChars("0123456789abcdef").ofLength(64).map(h -> "sha256:" + h);
        Arbitrary<String> tag = Arbitraries.strings().alpha().numeric().withChars("_.-").ofMinLength(1).ofMaxLength(20)
                .filter(t -> Character.isLetterOrDigit(t.charAt(0)) || t.charAt(0) == '_');
        Arbitrary<String> suffix = Arbitraries.oneOf(tag.map(t -> "/manifests/" + t), digest.map(d -> "/blobs/" + d),
                Arbitraries.just("/blobs/uploads/"), Arbitraries.just("/tags/list"));
        return Combinators.combine(Arbitraries.of(METHODS), name, suffix, digest)
                .as((method, n, s, d) -> new Request(method, "/v2/" + n + s, "mount=" + d + "&from=" + n.replace("/", "%2F"), null, List.of()));
    }

    @Provide
    Arbitrary<Request> requests() {
        Arbitrary<String> name = mostlyValid(COMPONENTS, 16).list().ofMinSize(1).ofMaxSize(4).map(l -> String.join("/", l));
        // blobs and referrers want digests: most of the time give them one from the reference list's digests
        Arbitrary<String> digest = Arbitraries.of(REFERENCES.subList(3, 6));
        Arbitrary<String> suffix = Combinators.combine(mostlyValid(SUFFIXES, 6), mostlyValid(REFERENCES, 9), digest, Arbitraries.integers().between(0, 3))
                .as((s, ref, d, dice) -> s.replace("REF", dice > 0 && (s.startsWith("/blobs/R") || s.startsWith("/referrers/")) ? d : ref));
        Arbitrary<String> query = Combinators.combine(mostlyValid(PARAMETER_NAMES, 8), mostlyValid(PARAMETER_VALUES, 9))
                .as((k, v) -> k + "=" + v).list().ofMaxSize(4).map(l -> String.join("&", l));
        Arbitrary<String> contentType = Arbitraries.of("application/octet-stream", "application/x-www-form-urlencoded",
                " Application/X-WWW-Form-Urlencoded ; charset=utf-8", "multipart/form-data; boundary=b", "multipart/mixed",
                "application/vnd.oci.image.manifest.v1+json").injectNull(0.4);
        Arbitrary<List<String[]>> body = Combinators.combine(Arbitraries.of("mount", "from", "digest", "other"), Arbitraries.of(PARAMETER_VALUES))
                .as((k, v) -> new String[] {k, v}).list().ofMaxSize(2);
        Arbitrary<Long> seed = Arbitraries.longs();
        return Combinators.combine(Arbitraries.of(METHODS), name, suffix, query, contentType, body, seed)
                .as((method, n, s, q, ct, b, sd) -> {
                    Random random = new Random(sd);
                    String path = (random.nextInt(20) == 0 ? "/" : random.nextInt(20) == 0 ? "/v1/" : "/v2/") + n + s;
                    path = random.nextInt(3) == 0 ? encodeAtRandom(path, random) : path;
                    return new Request(method, path, random.nextInt(4) == 0 ? encodeAtRandom(q, random) : q, ct,
                            ct == null ? List.of() : b);
                });
    }

    /** One of {@code values}, the first {@code valid} of them (the grammar's) nine times as often as the rest. */
    private static Arbitrary<String> mostlyValid(List<String> values, int valid) {
        return Arbitraries.frequencyOf(Tuple.of(9, Arbitraries.of(values.subList(0, valid))),
                Tuple.of(1, Arbitraries.of(values.subList(valid, values.size()))));
    }

    /** Percent-encodes some characters, special ones more often, in either hex case; '/' itself sometimes. */
    private static String encodeAtRandom(String s, Random random) {
        StringBuilder out = new StringBuilder();
        for (char c : s.toCharArray()) {
            boolean special = SPECIAL.indexOf(c) >= 0 || c > 0x7e;
            if (c < 0x100 && random.nextInt(special ? 8 : 25) == 0 && !(c == '/' && out.length() < 4)) {
                String hex = String.format("%%%02X", (int) c);
                out.append(random.nextBoolean() ? hex : hex.toLowerCase());
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** The arbitrary must reach every route and plenty of refusals, or the property above proves little. */
    @Property(tries = 3000)
    void generatorsReachEveryRoute(@ForAll("requests") Request request) {
        ParsedRequest parsed = RequestParser.parse(request.method(), request.path(), request.query(),
                request.contentType() == null ? List.of() : List.of(request.contentType()));
        String outcome = parsed instanceof RegistryOperation op ? op.route().name() : "refused";
        Statistics.collect(outcome);
        Statistics.coverage(coverage -> {
            for (Route route : Route.values()) {
                if (route != Route.BASE && route != Route.CATALOG) {
                    coverage.check(route.name()).count(c -> c >= 10);
                }
            }
            coverage.check("refused").percentage(p -> p >= 20 && p <= 95);
        });
    }
}
