package io.portcullis.access;

import io.portcullis.upstream.RegistryTags;

import io.portcullis.api.Grammar;
import java.util.Optional;

/**
 * The {@code immutable} rules applied to what the registry holds now: a push that would move a protected tag to
 * another manifest, and a delete of a manifest a protected tag points to, are refused with a sentence naming the
 * tag and the rule. Asks the registry (blocking: on a worker thread only); checks nothing it does not need to.
 *
 * <p>A delete in a repository with protected tags costs one tag list plus one manifest GET per protected tag (the
 * unprotected ones are never asked), about 1.3 ms each against a local registry (docs/immutable-tags.md). The GET
 * rather than a HEAD: a protected multi-platform tag points to an index, and deleting one of its platform manifests
 * (which no tag points to) would break the protected image just as well.
 */
public final class ImmutableTags {
    private final AccessPolicy policy;
    private final RegistryTags registry;

    public ImmutableTags(AccessPolicy policy, RegistryTags registry) {
        this.policy = policy;
        this.registry = registry;
    }

    /** Whether a push of {@code repository:tag} has to be checked (cheap: the rules only). */
    public boolean protects(String repository, String tag) {
        return Grammar.isTag(tag) && policy.rules().immutable(repository, tag).isPresent();
    }

    /** Whether a delete in {@code repository} has to be checked (cheap: the rules only). */
    public boolean guards(String repository) {
        return policy.rules().hasImmutableTags(repository);
    }

    /** Why pushing the manifest {@code digest} as {@code repository:tag} is refused; empty when it may go on. */
    public Optional<String> refusePush(String repository, String tag, String digest) throws RegistryTags.Unavailable {
        Optional<ImmutableRule> rule = policy.rules().immutable(repository, tag);
        if (rule.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> now = registry.digestOf(repository, tag);
        if (now.isEmpty() || now.get().equals(digest)) {
            return Optional.empty(); // a new tag, or the same manifest again
        }
        return Optional.of("tag " + tag + " of " + repository + " is immutable (" + rule.get().describe() + "); it points to "
                + now.get() + " and cannot be moved: push under a new tag");
    }

    /**
     * Why deleting a blob of {@code repository} is refused: never in a repository with protected tags. A blob delete
     * unlinks a layer or config from the repository, which breaks every image using it; clients never send one
     * while pushing or pulling, so refusing it costs nothing but an administrator's cleanup, which the collector does.
     */
    public Optional<String> refuseBlobDelete(String repository) {
        return policy.rules().immutableIn(repository).map(rule -> "blobs of " + repository + " cannot be deleted: it has "
                + "immutable tags (" + rule.describe() + ") whose images could lose a layer; delete manifests and let the "
                + "garbage collector remove what no image uses");
    }

    /** Why deleting the manifest {@code reference} (digest or tag) of {@code repository} is refused; empty when it may go on. */
    public Optional<String> refuseDelete(String repository, String reference) throws RegistryTags.Unavailable {
        AccessRules rules = policy.rules();
        if (!rules.hasImmutableTags(repository)) {
            return Optional.empty();
        }
        if (!Grammar.isDigest(reference)) {
            return rules.immutable(repository, reference).map(rule -> "tag " + reference + " of " + repository
                    + " is immutable (" + rule.describe() + ") and cannot be deleted");
        }
        for (String tag : registry.tags(repository)) {
            Optional<ImmutableRule> rule = rules.immutable(repository, tag);
            if (rule.isEmpty()) {
                continue;
            }
            Optional<RegistryTags.StoredManifest> protectedManifest = registry.manifestOf(repository, tag);
            if (protectedManifest.isPresent() && protectedManifest.get().digest().equals(reference)) {
                return Optional.of("the manifest " + reference + " is what the immutable tag " + tag + " of " + repository
                        + " points to (" + rule.get().describe() + "); it cannot be deleted");
            }
            if (protectedManifest.isPresent() && protectedManifest.get().refersTo(reference)) {
                return Optional.of("the manifest " + reference + " is part of the image the immutable tag " + tag + " of "
                        + repository + " points to (" + rule.get().describe() + "); it cannot be deleted");
            }
        }
        return Optional.empty();
    }
}
