package com.groupbuy.market.domain.trade.model.valobj;

import static com.groupbuy.market.domain.trade.model.valobj.ConsumptionStatus.FAIL;
import static com.groupbuy.market.domain.trade.model.valobj.ConsumptionStatus.PROCESSING;
import static com.groupbuy.market.domain.trade.model.valobj.ConsumptionStatus.SUCCESS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.groupbuy.market.types.exception.IllegalStateTransitionException;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The full transition table: every state x every event, allowed -> its target, anything else refused. */
class ConsumptionStatusTest {

    enum Event {
        SUCCEED(ConsumptionStatus::succeed),
        ATTEMPT_FAILED(ConsumptionStatus::attemptFailed),
        GIVE_UP(ConsumptionStatus::giveUp);

        final UnaryOperator<ConsumptionStatus> apply;

        Event(UnaryOperator<ConsumptionStatus> apply) {
            this.apply = apply;
        }
    }

    private static final Map<ConsumptionStatus, Map<Event, ConsumptionStatus>> ALLOWED = new EnumMap<>(Map.of(
            PROCESSING, Map.of(Event.SUCCEED, SUCCESS, Event.ATTEMPT_FAILED, PROCESSING, Event.GIVE_UP, FAIL),
            SUCCESS, Map.of(),
            FAIL, Map.of()));

    static Stream<Arguments> everyStateAndEvent() {
        return Arrays.stream(ConsumptionStatus.values())
                .flatMap(s -> Arrays.stream(Event.values()).map(e -> Arguments.of(s, e)));
    }

    @ParameterizedTest(name = "{0} + {1}")
    @MethodSource("everyStateAndEvent")
    void transition(ConsumptionStatus from, Event event) {
        ConsumptionStatus to = ALLOWED.get(from).get(event);
        if (to != null) {
            assertThat(event.apply.apply(from)).isEqualTo(to);
        } else {
            assertThatThrownBy(() -> event.apply.apply(from))
                    .isInstanceOf(IllegalStateTransitionException.class)
                    .hasMessageContaining(from.name());
        }
    }

    @Test
    void codesAreTheStoredValuesAndTheRecordsConstantsAgree() {
        assertThat(Arrays.stream(ConsumptionStatus.values()).map(ConsumptionStatus::code))
                .containsExactly(0, 1, 2);
        for (ConsumptionStatus status : ConsumptionStatus.values()) {
            assertThat(ConsumptionStatus.of(status.code())).isSameAs(status);
        }
        assertThatThrownBy(() -> ConsumptionStatus.of(3)).isInstanceOf(IllegalArgumentException.class);
        assertThat(ConsumptionRecordVO.PROCESSING).isEqualTo(PROCESSING.code());
        assertThat(ConsumptionRecordVO.SUCCESS).isEqualTo(SUCCESS.code());
        assertThat(ConsumptionRecordVO.FAIL).isEqualTo(FAIL.code());
    }
}
