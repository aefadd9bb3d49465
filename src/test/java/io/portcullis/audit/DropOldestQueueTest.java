package io.portcullis.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class DropOldestQueueTest {
    @Test
    void aFullQueueDropsTheOldestAndSaysSo() throws Exception {
        DropOldestQueue queue = new DropOldestQueue(2);
        assertFalse(queue.offer("a"));
        assertFalse(queue.offer("b"));
        assertTrue(queue.offer("c"));
        assertEquals(2, queue.size());
        assertEquals(List.of("b", "c"), queue.peek(10, 0).items());
    }

    @Test
    void acknowledgingABatchKeepsWhatCameAfterItEvenWhenPartOfItWasDropped() throws Exception {
        DropOldestQueue queue = new DropOldestQueue(3);
        queue.offer("a");
        queue.offer("b");
        DropOldestQueue.Batch batch = queue.peek(2, 0);
        assertEquals(List.of("a", "b"), batch.items());
        queue.offer("c");
        queue.offer("d"); // drops "a", which is being delivered
        queue.acknowledge(batch.lastSequence());
        assertEquals(List.of("c", "d"), queue.peek(10, 0).items());
    }

    @Test
    void peekOnAnEmptyQueueReturnsNothingAfterTheWait() throws Exception {
        DropOldestQueue queue = new DropOldestQueue(1);
        assertEquals(List.of(), queue.peek(5, 10).items());
        assertTrue(queue.awaitEmpty(0));
    }
}
