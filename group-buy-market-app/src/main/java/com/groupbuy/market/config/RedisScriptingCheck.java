package com.groupbuy.market.config;

import com.groupbuy.market.infrastructure.redis.RedisAnswer;
import com.groupbuy.market.types.exception.Causes;
import java.util.Locale;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Component;

/**
 * Every lock, cancel and release of a team place, every rate-limit check, the console's and the executor's sign-in
 * limits and a crowd tag's publish are Lua scripts, sent as {@code EVALSHA} (with {@code SCRIPT LOAD} when Redis lost
 * them, {@link RedisScriptCacheConfig}). A Redis user without {@code +@scripting} (a managed Redis's restricted
 * account, an ACL written for a cache), or a server with {@code EVALSHA} or {@code SCRIPT} renamed away, answers
 * {@code NOPERM} or {@code unknown command} to each of them: on main the service started on such a Redis without a
 * word and answered its first lock {@code 0001} (HTTP 500), every one after it the same. A start now loads and runs a
 * one-line script ({@code SCRIPT LOAD} reaches every master of a cluster) and refuses to start when Redis refuses
 * either, naming the permission. A Redis that cannot be reached at start is a WARN, not a refusal: the outage paths
 * answer for that.
 */
@Component
public class RedisScriptingCheck implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(RedisScriptingCheck.class);

    private final RedissonClient redisson;

    public RedisScriptingCheck(RedissonClient redisson) {
        this.redisson = redisson;
    }

    @Override
    public void afterSingletonsInstantiated() {
        RScript script = redisson.getScript(StringCodec.INSTANCE);
        try {
            String sha = script.scriptLoad("return 1");
            // Both ways Redisson sends a script: EVALSHA (READ_WRITE, every lock) and EVALSHA_RO (READ_ONLY, a sweep
            // page's counters), each a command of its own to an ACL or a rename.
            script.evalSha(RScript.Mode.READ_WRITE, sha, RScript.ReturnType.INTEGER);
            script.evalSha(RScript.Mode.READ_ONLY, sha, RScript.ReturnType.INTEGER);
        } catch (RuntimeException e) {
            String refusal = refusal(e);
            if (refusal == null) {
                log.warn("cannot check that Redis runs our scripts: {}", e.toString());
                return;
            }
            // No cause: the refusal names Redis's answer, and it is what the operator reads last (StartRefusal).
            throw new IllegalStateException(refusal);
        }
    }

    /** The refusal for Redis's answer to a script when it is a missing permission or command, else null. */
    static String refusal(Throwable answer) {
        for (Throwable cause : Causes.of(answer)) {
            String message = String.valueOf(cause.getMessage());
            String lower = message.toLowerCase(Locale.ROOT);
            if (lower.contains("noperm") || lower.contains("unknown command")) {
                return "refusing to start: Redis refuses our Lua scripts (" + RedisAnswer.of(message) + "); every lock,"
                        + " release, rate-limit check and sign-in limit is one, sent as EVALSHA and SCRIPT LOAD:"
                        + " grant the Redis user +@scripting (at least +evalsha +script|load) and keep EVALSHA and"
                        + " SCRIPT under their own names (docs/operations.md)";
            }
        }
        return null;
    }
}
