package com.groupbuy.market.support;

import com.groupbuy.market.domain.outbox.model.valobj.NotifyTaskVO;
import com.groupbuy.market.domain.trade.model.valobj.CloseCheckVO;
import com.groupbuy.market.domain.trade.service.timeout.CloseCheckService;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.jdbc.core.JdbcTemplate;

/** What the close-check ITs send to the consumer and read back of it: a check as anyone may publish it, its record. */
public final class CloseCheckRecords {

    private CloseCheckRecords() {}

    /** The close-check consumer's record of a message: its status, or -1 while there is none. */
    public static int status(JdbcTemplate jdbc, String messageId) {
        List<Integer> status = jdbc.queryForList(
                "SELECT status FROM mq_consumption_record WHERE consumer = ? AND message_id = ?",
                Integer.class,
                CloseCheckService.CONSUMER,
                messageId);
        return status.isEmpty() ? -1 : status.get(0);
    }

    /** A check published straight to {@code queue} (persistent, JSON), as the lanes' dead-lettering delivers one. */
    public static void publish(RabbitTemplate rabbit, String queue, String messageId, String body) {
        rabbit.send(
                "",
                queue,
                MessageBuilder.withBody(body.getBytes(StandardCharsets.UTF_8))
                        .setContentType("application/json")
                        .setMessageId(messageId)
                        .setDeliveryMode(MessageDeliveryMode.PERSISTENT)
                        .build());
    }

    /**
     * A page of {@code n} team checks of the {@code nominal} lane as the outbox hands it to the publisher, all closing
     * {@code nominal} from now: team {@code batch + i}, webhook id {@code "msg_" + batch + i}.
     */
    public static List<NotifyTaskVO> teamChecks(String batch, int n, Duration nominal) {
        Instant closeAt = Instant.now().plus(nominal);
        List<NotifyTaskVO> page = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String teamId = batch + i;
            page.add(NotifyTaskVO.builder()
                    .id(i)
                    .webhookId("msg_" + teamId)
                    .teamId(teamId)
                    .notifyCategory(CloseCheckVO.Kind.TEAM_EXPIRY.category())
                    .notifyType("DELAY")
                    .body(CloseCheckVO.teamExpiry(teamId, closeAt, nominal).toJson())
                    .build());
        }
        return page;
    }
}
