package com.groupbuy.market.config;

import org.redisson.spring.starter.RedissonAutoConfigurationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Every lock runs one of the team-place scripts ({@code TeamPlaceReservation}), 0.2-0.5 KB of Lua each. With the
 * script cache Redisson sends {@code EVALSHA} and the script's SHA-1 instead of the text; a node that answers
 * {@code NOSCRIPT} (restarted, {@code SCRIPT FLUSH}, a new cluster master) gets {@code SCRIPT LOAD} and the same
 * call again, on that node, within the one call. Redisson 3.52 has it on by default; it is set here because the
 * measured cost of a lock (#19: one EVALSHA round trip of about 180 bytes, where EVAL would send 680 for a join)
 * rests on it, and {@code ScriptFlushLockIT} and {@code PlaceScriptCommandsIT} pin that behaviour.
 */
@Configuration
public class RedisScriptCacheConfig {

    @Bean
    public RedissonAutoConfigurationCustomizer placeScriptsBySha() {
        return config -> config.setUseScriptCache(true);
    }
}
