package com.groupbuy.market.trade;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.domain.trade.service.timeout.TradeTimeoutService;
import com.groupbuy.market.support.IntegrationTest;
import com.groupbuy.market.support.TradeClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * Whose clock says when a lock was taken: the instances' clocks agree with each other but run ahead of the database's
 * (here by five minutes; an NTP step or a database host off by that much). The polling job (MQ off: it closes on time)
 * measured a lock's age from the row's {@code create_time}, stamped by the database, against the instance's clock, so
 * it closed a lock that the instance had taken six minutes before, four minutes inside its ten-minute unpaid timeout,
 * while the lock's own close check (and the team's start) were the instance's time; the buyer's payment then answered
 * {@code E0208} "refund the buyer". The lock time is now the lock's own instant, the one its team and close check use.
 */
@IntegrationTest
@Import(LockTimeClockIT.Shifted.class)
@TestPropertySource(properties = {"gbm.mq.enabled=false", "gbm.timeout.unpaid-timeout=10m"})
class LockTimeClockIT {

    /** The instances' clock: the system's (the database's) plus an offset the test moves. */
    static final class ShiftedClock extends Clock {
        volatile Duration offset = Duration.ZERO;

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Instant instant() {
            return Instant.now().plus(offset);
        }
    }

    static final ShiftedClock CLOCK = new ShiftedClock();

    @TestConfiguration(proxyBeanMethods = false)
    static class Shifted {
        @Bean
        @Primary
        Clock shiftedClock() {
            return CLOCK;
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    TeamCounts counts;

    @Autowired
    TradeTimeoutService timeoutService;

    private static String utc8(Instant at) {
        return DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
                .withZone(ZoneId.of("Asia/Shanghai"))
                .format(at);
    }

    @Test
    void aLockIsAsOldAsTheInstanceSaysNotAsTheDatabasesClockSays() throws Exception {
        CLOCK.offset = Duration.ofMinutes(5);
        try {
            TradeClient mall = TradeClient.onNewGoods(port, jdbc, 9401, "http://127.0.0.1:9/callback");
            mall.team("k1");
            mall.team("k2");

            CLOCK.offset = Duration.ofMinutes(11);
            timeoutService.execTimeoutCloseJob();
            assertThat(counts.orderStatus("k1"))
                    .as("locked six minutes ago by the instances' clock: four minutes of its ten left")
                    .isEqualTo(0);
            assertThat(mall.settle("k1", utc8(CLOCK.instant())).path("code").asText())
                    .as("the buyer pays inside the timeout")
                    .isEqualTo("0000");

            CLOCK.offset = Duration.ofMinutes(16);
            timeoutService.execTimeoutCloseJob();
            assertThat(counts.orderStatus("k2"))
                    .as("eleven minutes by the instances' clock: closed")
                    .isEqualTo(2);
        } finally {
            CLOCK.offset = Duration.ZERO;
        }
    }
}
