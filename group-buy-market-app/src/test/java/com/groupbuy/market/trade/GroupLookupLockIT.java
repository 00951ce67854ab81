package com.groupbuy.market.trade;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.groupbuy.market.support.LockGroupCommitOn;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * {@link LockIT} again with group commit on and lock openings' first reads read together (#19,
 * {@code gbm.lock.group-lookup.enabled}): every race answers as with each read alone, and concurrent openings do
 * share a statement (a run where every read fell back to its caller would prove nothing).
 */
@LockGroupCommitOn
@TestPropertySource(properties = "gbm.lock.group-lookup.enabled=true")
class GroupLookupLockIT extends LockIT {

    @Autowired
    MeterRegistry meters;

    @Test
    void concurrentOpeningsShareTheirFirstReadAndEachGetsItsOwnOrder() throws Exception {
        DistributionSummary batches =
                meters.get("gbm.lock-lookup.group.commit.batch").summary();
        long batchesBefore = batches.count();
        double keysBefore = batches.totalAmount();
        Set<String> orderIds = new HashSet<>();
        // A race whose threads happen to arrive one by one reads each alone; a few rounds make sharing certain
        // without making a lone read an error.
        for (int round = 0;
                round < 5 && batches.totalAmount() - keysBefore <= batches.count() - batchesBefore;
                round++) {
            int r = round;
            List<JsonNode> answers = race(40, i -> lock("look-" + r + "-" + i, "", "look-out-" + r + "-" + i));
            for (JsonNode answer : answers) {
                assertThat(answer.path("code").asText()).as(answer.toString()).isEqualTo("0000");
                assertThat(orderIds.add(answer.path("data").path("orderId").asText()))
                        .as("one order per opening")
                        .isTrue();
            }
            for (int i = 0; i < 40; i++) {
                assertThat(orderRows("look-" + r + "-" + i)).isEqualTo(1);
            }
        }
        assertThat(batches.totalAmount() - keysBefore)
                .as("keys read in batches, against batches read: some batch held more than one key")
                .isGreaterThan(batches.count() - batchesBefore);
    }
}
