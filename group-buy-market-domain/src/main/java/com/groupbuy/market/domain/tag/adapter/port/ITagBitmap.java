package com.groupbuy.market.domain.tag.adapter.port;

/**
 * The members of each tag as a bitmap over the users' bit positions. An import writes a private staging bitmap
 * and publishes it in one step, so a reader sees the previous complete member set or the new one, never half (a
 * staging bitmap that lost positions is not published).
 */
public interface ITagBitmap {

    /** Sets these positions in the staging bitmap of import run {@code runId}. */
    void stage(String tagId, String runId, long[] positions);

    /**
     * Begins a run (an import or a rebuild) of the tag: its number, higher than that of every run of the tag begun
     * before on any instance.
     */
    long beginRun(String tagId);

    /** Whether a run of the tag begun after run {@code run} has published its members (this run's are older then). */
    boolean publishedAfter(String tagId, long run);

    /**
     * Replaces the tag's live bitmap with the run's staging bitmap (empty if nothing was staged) and marks it loaded, in
     * one step, unless the staging bitmap holds other than exactly {@code members} positions (Redis lost it, or part of
     * it, during the run: a restart, a failover to a replica behind) or a run begun after run {@code run} has published
     * (its members are newer): then nothing changes.
     */
    Publish publish(String tagId, String runId, String batchId, long members, long run);

    /** What {@link #publish} did. */
    enum Publish {
        PUBLISHED,
        /** Not published: the staging bitmap lost positions. */
        INCOMPLETE,
        /** Not published: a run begun later published first. */
        SUPERSEDED
    }

    /** Whether members of this tag were ever published. */
    boolean isLoaded(String tagId);

    boolean contains(String tagId, long position);

    /**
     * Claims the rebuild of a tag's lost bitmap for {@code lease} across every instance (a marker in Redis set only if
     * absent); false when another claim holds it. {@code token} names this claim for {@link #releaseRebuild}.
     */
    default boolean tryClaimRebuild(String tagId, String token, java.time.Duration lease) {
        return false;
    }

    /** Gives a claim back if it is still this {@code token}'s (a claim whose lease ran out may be another's now). */
    default void releaseRebuild(String tagId, String token) {}
}
