package com.groupbuy.market.infrastructure.redis;

import org.redisson.api.RedissonClient;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Builds every Redis key we write under one configurable prefix, so deployments and test classes never collide.
 * <p>
 * Redis Cluster runs a script only when all its keys live in one slot, and a key's slot is decided by the part in
 * its first pair of braces (its hash tag) when it has one. So every key a script touches together is built with the
 * same {@link #slot(String)} part: in cluster mode that is {@code {id}}, on a single node the bare id, which keeps
 * the key names of earlier versions (an upgrade in place finds its teams' counters where they were). Moving to a
 * cluster is a move to another Redis anyway; see docs/scaling.md for the cut-over.
 */
@Component
public class RedisKeys {

    private final String prefix;
    private final boolean slotTags;

    @Autowired
    public RedisKeys(@Value("${gbm.redis.key-prefix:gbm:}") String prefix, RedissonClient redisson) {
        this(prefix, redisson.getConfig().isClusterConfig());
    }

    public RedisKeys(String prefix, boolean slotTags) {
        if (slotTags && (prefix.contains("{") || prefix.contains("}"))) {
            // A brace in the prefix would become every key's hash tag: all keys in one slot, or a tag cut in half.
            throw new IllegalArgumentException(
                    "gbm.redis.key-prefix must not contain braces with Redis Cluster: " + prefix);
        }
        this.prefix = prefix;
        this.slotTags = slotTags;
    }

    /**
     * An id from outside (a partner's user id, an operator's tag id) as a part of a key, with its braces and percent
     * signs escaped ({@code %7B}, {@code %7D}, {@code %25}; the percent sign too, so two ids never meet). Redis Cluster
     * hashes a key by the part between its first opening brace and the next closing one: a brace of the id's own moves
     * that part (an id starting with a closing brace empties our hash tag, and then each key of a script hashes whole,
     * in different slots: CROSSSLOT). Ids without these characters are unchanged.
     */
    public static String literal(String part) {
        if (part.indexOf('{') < 0 && part.indexOf('}') < 0 && part.indexOf('%') < 0) {
            return part;
        }
        return part.replace("%", "%25").replace("{", "%7B").replace("}", "%7D");
    }

    /**
     * {@link #literal} that also escapes the colon ({@code %3A}), for a key joining several ids from outside: {@link
     * #key} joins parts with colons, so (s01, {@code c01:wx}, {@code 1}) and (s01, c01, {@code wx:1}) named one key
     * and two partners' users shared a rate-limit bucket. Escaped, every tuple of parts has a key of its own.
     */
    public static String part(String part) {
        String literal = literal(part);
        return literal.indexOf(':') < 0 ? literal : literal.replace(":", "%3A");
    }

    public String key(String... parts) {
        return prefix + String.join(":", parts);
    }

    /**
     * The part of a key that decides its cluster slot: {@code {id}} in cluster mode, the bare {@code id} on a single
     * node. Keys one script (or one MULTI) touches together must all carry the same slot part.
     */
    public String slot(String id) {
        return slotTags ? "{" + id + "}" : id;
    }

    /** True when keys carry hash tags (the client talks to a Redis Cluster). */
    public boolean slotTagged() {
        return slotTags;
    }
}
