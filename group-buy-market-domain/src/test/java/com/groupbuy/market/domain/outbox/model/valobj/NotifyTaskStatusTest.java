package com.groupbuy.market.domain.outbox.model.valobj;

import static com.groupbuy.market.domain.outbox.model.valobj.NotifyTaskStatus.FAIL;
import static com.groupbuy.market.domain.outbox.model.valobj.NotifyTaskStatus.INIT;
import static com.groupbuy.market.domain.outbox.model.valobj.NotifyTaskStatus.RETRY;
import static com.groupbuy.market.domain.outbox.model.valobj.NotifyTaskStatus.SUCCESS;
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
class NotifyTaskStatusTest {

    enum Event {
        DELIVERED(s -> s.afterAttempt(true, true)),
        DELIVERED_ON_LAST_TRY(s -> s.afterAttempt(true, false)),
        FAILED_TRIES_LEFT(s -> s.afterAttempt(false, true)),
        FAILED_NO_TRIES_LEFT(s -> s.afterAttempt(false, false)),
        DEFER(NotifyTaskStatus::defer),
        REDRIVE(NotifyTaskStatus::redrive);

        final UnaryOperator<NotifyTaskStatus> apply;

        Event(UnaryOperator<NotifyTaskStatus> apply) {
            this.apply = apply;
        }
    }

    private static final Map<NotifyTaskStatus, Map<Event, NotifyTaskStatus>> ALLOWED = new EnumMap<>(Map.of(
            INIT,
                    Map.of(
                            Event.DELIVERED,
                            SUCCESS,
                            Event.DELIVERED_ON_LAST_TRY,
                            SUCCESS,
                            Event.FAILED_TRIES_LEFT,
                            RETRY,
                            Event.FAILED_NO_TRIES_LEFT,
                            FAIL,
                            Event.DEFER,
                            RETRY),
            RETRY,
                    Map.of(
                            Event.DELIVERED,
                            SUCCESS,
                            Event.DELIVERED_ON_LAST_TRY,
                            SUCCESS,
                            Event.FAILED_TRIES_LEFT,
                            RETRY,
                            Event.FAILED_NO_TRIES_LEFT,
                            FAIL,
                            Event.DEFER,
                            RETRY),
            SUCCESS, Map.of(),
            FAIL, Map.of(Event.REDRIVE, RETRY)));

    static Stream<Arguments> everyStateAndEvent() {
        return Arrays.stream(NotifyTaskStatus.values())
                .flatMap(s -> Arrays.stream(Event.values()).map(e -> Arguments.of(s, e)));
    }

    @ParameterizedTest(name = "{0} + {1}")
    @MethodSource("everyStateAndEvent")
    void transition(NotifyTaskStatus from, Event event) {
        NotifyTaskStatus to = ALLOWED.get(from).get(event);
        if (to != null) {
            assertThat(event.apply.apply(from)).isEqualTo(to);
        } else {
            assertThatThrownBy(() -> event.apply.apply(from))
                    .isInstanceOf(IllegalStateTransitionException.class)
                    .hasMessageContaining(from.name());
        }
    }

    @Test
    void codesAreTheStoredValues() {
        assertThat(Arrays.stream(NotifyTaskStatus.values()).map(NotifyTaskStatus::code))
                .containsExactly(0, 1, 2, 3);
        for (NotifyTaskStatus status : NotifyTaskStatus.values()) {
            assertThat(NotifyTaskStatus.of(status.code())).isSameAs(status);
        }
        assertThatThrownBy(() -> NotifyTaskStatus.of(4)).isInstanceOf(IllegalArgumentException.class);
        assertThat(Arrays.stream(NotifyTaskStatus.values()).filter(NotifyTaskStatus::isPending))
                .containsExactlyElementsOf(NotifyTaskStatus.pending());
    }
}
