package io.portcullis.audit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;

/**
 * How many bytes each running upload holds, so a blob push made of chunks can say its size: the registry answers
 * each accepted PATCH with {@code Range: 0-<last byte>}, and its final 201 says nothing about size. Bounded and
 * expiring, so abandoned uploads cost nothing for long.
 */
final class UploadSizes {
    private static final long MAX_UPLOADS = 10_000;
    private static final Duration IDLE = Duration.ofHours(1);

    private final Cache<String, Long> received = Caffeine.newBuilder().maximumSize(MAX_UPLOADS).expireAfterAccess(IDLE).build();

    /** @param range the registry's {@code Range} answer, {@code 0-N}; anything else is ignored */
    void chunkAccepted(String uploadId, String range) {
        if (range == null) {
            return;
        }
        int dash = range.indexOf('-');
        try {
            received.put(uploadId, Long.parseLong(range.substring(dash + 1).strip()) + 1);
        } catch (NumberFormatException | IndexOutOfBoundsException e) {
            // not the registry's format: no size for this upload
        }
    }

    /** The upload's whole size, with the final request's own body; -1 when unknown. */
    long completed(String uploadId, long finalBody) {
        Long before = received.asMap().remove(uploadId);
        if (before == null) {
            return finalBody;
        }
        return before + Math.max(0, finalBody);
    }
}
