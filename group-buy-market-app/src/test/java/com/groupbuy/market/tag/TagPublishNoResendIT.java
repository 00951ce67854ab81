package com.groupbuy.market.tag;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.infrastructure.tag.port.TagBitmap;
import com.groupbuy.market.support.BusyRedis;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.PrivateRedis;
import com.groupbuy.market.support.PrivateRedisServer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A crowd tag's publish script (staging bitmap renamed to live, the tag marked loaded) whose answer comes after the
 * 1 s command timeout has run all the same. Sent again, its second run finds no staging bitmap and deletes the live
 * one the first just published: every member of the tag would be a non-member until the next import. Redisson sent
 * it again after a late answer; it now runs with one attempt. Redis is kept busy for 2 s while the tag is published.
 */
@IntegrationTest
@PrivateRedisServer
class TagPublishNoResendIT {

    @Autowired
    PrivateRedis redis;

    @Autowired
    TagBitmap bitmap;

    @Test
    void aPublishWhoseAnswerIsLateRunsOnceAndTheBitmapStaysPublished() throws Exception {
        String tagId = "noresend-tag";
        // Loaded once, so the script is known to this Redis and the second publish below is the one under test.
        bitmap.stage(tagId, "run-1", new long[] {1L, 7L});
        bitmap.publish(tagId, "run-1", "batch-1", 2, bitmap.beginRun(tagId));
        assertThat(bitmap.contains(tagId, 7L)).isTrue();

        bitmap.stage(tagId, "run-2", new long[] {3L, 9L});
        long run2 = bitmap.beginRun(tagId);
        CompletableFuture<String> busy = BusyRedis.start(redis.port());
        try {
            bitmap.publish(tagId, "run-2", "batch-2", 2, run2);
        } catch (RuntimeException lateAnswer) {
            System.out.println("publish while Redis was busy answered: " + lateAnswer);
        }
        assertThat(busy.get(30, TimeUnit.SECONDS)).isEqualTo(":1");

        assertThat(bitmap.isLoaded(tagId)).isTrue();
        assertThat(bitmap.contains(tagId, 9L))
                .as("the second run's members are live: the publish ran once, whatever its caller was told")
                .isTrue();
        assertThat(bitmap.contains(tagId, 3L)).isTrue();
        assertThat(bitmap.contains(tagId, 7L))
                .as("the first run's bitmap was replaced")
                .isFalse();
    }
}
