package com.groupbuy.market.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.PrivateRedis;
import com.groupbuy.market.support.SecondInstance;
import com.groupbuy.market.support.StartRefusal;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;

/**
 * A Redis whose user may not run scripts (an ACL without {@code +@scripting}) or with {@code EVALSHA} renamed away:
 * every lock is a script. On main the service started on it without a word and answered the first lock 0001 (HTTP
 * 500); a start is now refused, naming the permission.
 */
@IntegrationTest
class RedisScriptingIT {

    @Autowired
    Environment environment;

    @Test
    void aStartOnARedisThatRefusesScriptsIsRefusedNamingThePermission() throws Exception {
        List<List<String>> servers = List.of(
                List.of("--user", "default", "on", "nopass", "~*", "&*", "+@all", "-@scripting"),
                List.of("--rename-command", "EVALSHA", ""));
        for (List<String> settings : servers) {
            PrivateRedis redis = PrivateRedis.start(port -> settings);
            try {
                Throwable refusal =
                        catchThrowable(() -> SecondInstance.like(environment, "spring.data.redis.port=" + redis.port())
                                .close());
                assertThat(refusal).as("the start on a Redis with %s", settings).isNotNull();
                assertThat(StartRefusal.innermost(refusal))
                        .hasMessageStartingWith("refusing to start: Redis refuses our Lua scripts")
                        .hasMessageContaining("+@scripting");
            } finally {
                redis.kill();
            }
        }
    }
}
