package com.groupbuy.market.infrastructure.tag.port;

import com.groupbuy.market.domain.tag.adapter.port.ITagBitmap;
import com.groupbuy.market.infrastructure.outage.RedisOutages;
import com.groupbuy.market.infrastructure.redis.RedisKeys;
import java.time.Duration;
import java.util.List;
import org.redisson.api.RBitSet;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.api.options.OptionalOptions;
import org.redisson.api.options.PlainOptions;
import org.redisson.client.codec.StringCodec;
import org.springframework.stereotype.Component;

/**
 * Tag members as Redis bitmaps ({@link RBitSet}), one bit per partner user's position. The tag id sits in a hash tag
 * ({@code {tagId}}) so the live, staging and loaded keys of a tag share a cluster slot and the publish script may
 * touch them together; its braces and {@code %} are escaped ({@link RedisKeys#literal}: tag ids are the operators',
 * and a tag id starting with a closing brace put the keys in different slots, so its import failed with CROSSSLOT). The keys carry {@code by-partner} (V16): the bitmaps written before, over positions of bare
 * user ids, stay under their old names and are never read, so a tag is "not loaded" until its first import under
 * V16 (or its rebuild from rows naming their partners, as for a bitmap Redis lost: TagBitmapRepair) instead of
 * answering from bits that no longer mean anyone.
 * <p>
 * The membership reads (trial and lock), the staging writes and the rebuild claim go through the Redis breaker
 * ({@link RedisOutages}): after a Redis restart a read that met a pooled connection the old server closed is sent again
 * on a live one instead of answering the partner E0401 (TagRedisRestartIT). They are safe to send again: reads,
 * SETBIT/EXPIRE of the same bits, a compare-and-delete, and a SET NX sent with Redisson's retries off (a retry after a
 * late answer would find its own claim and report "another instance is at it"). The publish script is not safe to run
 * twice (the second run, its staging key gone, deletes the live bitmap the first just published), so it runs with
 * Redisson's retries off: Redisson sent it again after a late answer, when it had run (TagPublishNoResendIT); only a
 * send that provably was never written is sent again.
 */
@Component
public class TagBitmap implements ITagBitmap {

    /**
     * Staging bitmap → live in one step; an empty run publishes an empty tag. Marks the tag loaded with its batch and
     * records the run's number (ARGV[3]). Not published (nothing changed, the staging bitmap dropped): a staging bitmap
     * holding other than exactly the run's members (ARGV[2]) — Redis keeps nothing on disk, and a restart during a run
     * lost what the run had staged before it, so the run published the members of its last pages only (or none, an
     * empty tag), marked loaded, which no repair looks at again (TagImportRedisRestartIT) —, and a run older than the one
     * that published last (TagImportOverlapIT). BITCOUNT reads the whole bitmap, about 1.25 MB per 10 million partner
     * users ever tagged: a millisecond, once a run.
     */
    private static final String PUBLISH = """
            local newer = redis.call('GET', KEYS[4])
            if newer and tonumber(newer) > tonumber(ARGV[3]) then
              redis.call('DEL', KEYS[1])
              return 2
            end
            if redis.call('BITCOUNT', KEYS[1]) ~= tonumber(ARGV[2]) then
              redis.call('DEL', KEYS[1])
              return 0
            end
            if redis.call('EXISTS', KEYS[1]) == 1 then
              redis.call('RENAME', KEYS[1], KEYS[2])
              redis.call('PERSIST', KEYS[2])
            else
              redis.call('DEL', KEYS[2])
            end
            redis.call('SET', KEYS[3], ARGV[1])
            redis.call('SET', KEYS[4], ARGV[3])
            return 1
            """;

    /** A run that dies half-way leaves its staging bitmap behind; it expires instead of piling up. */
    private static final Duration STAGING_TTL = Duration.ofHours(6);

    private final RedissonClient redisson;
    private final RScript script;
    private final RedisKeys keys;
    private final RedisOutages outages;

    public TagBitmap(RedissonClient redisson, RedisKeys keys, RedisOutages outages) {
        this.redisson = redisson;
        this.script = redisson.getScript(
                OptionalOptions.defaults().codec(StringCodec.INSTANCE).retryAttempts(0));
        this.keys = keys;
        this.outages = outages;
    }

    @Override
    public void stage(String tagId, String runId, long[] positions) {
        if (positions.length == 0) {
            return;
        }
        RBitSet staging = redisson.getBitSet(stagingKey(tagId, runId));
        outages.call(() -> {
            staging.set(positions, true);
            return staging.expire(STAGING_TTL);
        });
    }

    @Override
    public long beginRun(String tagId) {
        // Sent again after a late answer, a run gets a higher number than the first send gave: still unique and
        // ordered.
        return outages.call(() -> redisson.getAtomicLong(runsKey(tagId)).incrementAndGet());
    }

    @Override
    public boolean publishedAfter(String tagId, long run) {
        String published = outages.call(() -> redisson.<String>getBucket(publishedRunKey(tagId), StringCodec.INSTANCE)
                .get());
        return published != null && Long.parseLong(published) > run;
    }

    @Override
    public Publish publish(String tagId, String runId, String batchId, long members, long run) {
        Long outcome = outages.call(() -> script.<Long>eval(
                RScript.Mode.READ_WRITE,
                PUBLISH,
                RScript.ReturnType.INTEGER,
                List.of(stagingKey(tagId, runId), membersKey(tagId), loadedKey(tagId), publishedRunKey(tagId)),
                batchId,
                Long.toString(members),
                Long.toString(run)));
        if (outcome == null || outcome == 0L) {
            return Publish.INCOMPLETE;
        }
        return outcome == 2L ? Publish.SUPERSEDED : Publish.PUBLISHED;
    }

    @Override
    public boolean isLoaded(String tagId) {
        return outages.call(
                () -> redisson.getBucket(loadedKey(tagId), StringCodec.INSTANCE).isExists());
    }

    @Override
    public boolean contains(String tagId, long position) {
        return outages.call(() -> redisson.getBitSet(membersKey(tagId)).get(position));
    }

    @Override
    public boolean tryClaimRebuild(String tagId, String token, Duration lease) {
        return outages.call(() -> redisson.<String>getBucket(PlainOptions.name(rebuildKey(tagId))
                        .codec(StringCodec.INSTANCE)
                        .retryAttempts(0))
                .setIfAbsent(token, lease));
    }

    @Override
    public void releaseRebuild(String tagId, String token) {
        // Compare-and-delete: a claim whose lease ran out may be another instance's now.
        outages.call(() ->
                redisson.getBucket(rebuildKey(tagId), StringCodec.INSTANCE).compareAndSet(token, null));
    }

    /** The live bitmap's key; public so tests and operators can inspect it. */
    public String membersKey(String tagId) {
        return keys.key("tag", "{" + RedisKeys.literal(tagId) + "}", "by-partner", "members");
    }

    private String stagingKey(String tagId, String runId) {
        return keys.key("tag", "{" + RedisKeys.literal(tagId) + "}", "by-partner", "staging", runId);
    }

    /** The number of the tag's last run begun (INCR). */
    private String runsKey(String tagId) {
        return keys.key("tag", "{" + RedisKeys.literal(tagId) + "}", "by-partner", "runs");
    }

    /** The number of the run whose members are live. */
    private String publishedRunKey(String tagId) {
        return keys.key("tag", "{" + RedisKeys.literal(tagId) + "}", "by-partner", "published-run");
    }

    private String rebuildKey(String tagId) {
        return keys.key("tag", "{" + RedisKeys.literal(tagId) + "}", "by-partner", "rebuilding");
    }

    private String loadedKey(String tagId) {
        return keys.key("tag", "{" + RedisKeys.literal(tagId) + "}", "by-partner", "loaded");
    }
}
