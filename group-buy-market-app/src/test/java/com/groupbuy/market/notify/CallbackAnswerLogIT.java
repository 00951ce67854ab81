package com.groupbuy.market.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.domain.outbox.service.DueCallbackDeliveryService;
import com.groupbuy.market.support.SharedContextIntegrationTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A callback endpoint is the {@code notifyUrl} a lock names, so whoever locks chooses the server whose answer we
 * quote. Every attempt is logged at INFO with its error, which held up to 60 characters of the answer's body as sent:
 * a CR/LF in it started a line of its own in our log (a forged entry), an ESC reached the operator's terminal. The
 * quote is now escaped; the attempt, its status and its {@code last_error} are otherwise as before.
 */
@SharedContextIntegrationTest
@ExtendWith(OutputCaptureExtension.class)
class CallbackAnswerLogIT {

    private static final String FORGED = "2026-12-02T20:00:00.000Z ERROR forged line";

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    DueCallbackDeliveryService notifyService;

    @Test
    void aPartnersAnswerCannotStartALineOfOurLog(CapturedOutput output) throws Exception {
        try (PartnerServer partner = new PartnerServer(
                        (path, teamId) -> PartnerServer.answer(500, "no\r\n" + FORGED + "\u001b[2J\u2028"))
                .start()) {
            String team = new NotifyTaskFixture(jdbc).dueTask(partner.url("/callback"));

            notifyService.deliverAllDue();

            assertThat(output.getOut().lines())
                    .as("no line of the log begins with the partner's text")
                    .noneMatch(line -> line.startsWith(FORGED));
            assertThat(output.getOut()).doesNotContain("\u001b[2J");
            assertThat(output.getOut().lines())
                    .as("the attempt's line quotes the answer whole")
                    .anyMatch(line -> line.contains("team=" + team) && line.contains(FORGED));
            String lastError =
                    jdbc.queryForObject("SELECT last_error FROM notify_task WHERE team_id = ?", String.class, team);
            assertThat(lastError)
                    .as("the answer is quoted, escaped")
                    .isEqualTo("answered HTTP 500 body 'no\\u000d\\u000a" + FORGED + "\\u001b[2J\\u2028'");
        }
    }
}
