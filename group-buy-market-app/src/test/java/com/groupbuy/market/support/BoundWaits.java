package com.groupbuy.market.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import org.springframework.boot.test.system.CapturedOutput;

/**
 * That the callers of a group-commit batch which waited its statement bound on a held row waited that one bound and no
 * second, told by what happened rather than by how long they waited (a loaded machine adds its own seconds to every
 * wait): one batch of the group rolled back (a second batch that waited its bound on the same row would be a second),
 * and each E0401 answer logged with the cause of a write cut short by its brief timeout, not by the statement bound
 * ({@code max_statement_time}) of a write alone given a whole bound again.
 */
public final class BoundWaits {

    private final MeterRegistry meters;
    private final String group;
    private final CapturedOutput output;
    private final String path;
    private final double fallbacks;
    private final int from;

    private BoundWaits(MeterRegistry meters, String group, CapturedOutput output, String path) {
        this.meters = meters;
        this.group = group;
        this.output = output;
        this.path = path;
        this.fallbacks = fallbacks();
        this.from = output.getOut().length();
    }

    /** From now: the batches of {@code group} ("lock", "settlement") and the E0401 answers to {@code path}. */
    public static BoundWaits from(MeterRegistry meters, String group, CapturedOutput output, String path) {
        return new BoundWaits(meters, group, output, path);
    }

    /** One batch waited its bound; {@code busy} callers were answered E0401, each cut short by its brief timeout. */
    public void assertOneBoundWaited(int busy) {
        assertThat(fallbacks() - fallbacks)
                .as("%s batches rolled back (each after it waited its whole bound on the held row)", group)
                .isEqualTo(1.0);
        List<String> causes = OutageAnswers.causesLoggedSince(output, from, path);
        assertThat(causes).as("E0401 answers logged for %s", path).hasSize(busy);
        for (String cause : causes) {
            assertThat(OutageAnswers.byBriefTimeout(cause))
                    .as("cut short by its brief timeout, not a second statement bound: %s", cause)
                    .isTrue();
        }
    }

    private double fallbacks() {
        Counter counter =
                meters.find("gbm." + group + ".group.commit.fallbacks").counter();
        return counter == null ? 0 : counter.count();
    }
}
