package com.groupbuy.market.domain.trade.model.valobj;

import static com.groupbuy.market.domain.trade.model.valobj.TeamStatus.COMPLETE;
import static com.groupbuy.market.domain.trade.model.valobj.TeamStatus.COMPLETE_WITH_REFUND;
import static com.groupbuy.market.domain.trade.model.valobj.TeamStatus.FAILED;
import static com.groupbuy.market.domain.trade.model.valobj.TeamStatus.OPEN;
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
class TeamStatusTest {

    enum Event {
        PAYMENT_NOT_FILLING(s -> s.afterPayment(false)),
        PAYMENT_FILLING(s -> s.afterPayment(true)),
        PAID_MEMBER_LEFT_SOME_LEFT(s -> s.afterPaidMemberLeft(1)),
        PAID_MEMBER_LEFT_NONE_LEFT(s -> s.afterPaidMemberLeft(0)),
        EXPIRE(TeamStatus::expire);

        final UnaryOperator<TeamStatus> apply;

        Event(UnaryOperator<TeamStatus> apply) {
            this.apply = apply;
        }
    }

    /** Allowed transitions; a (state, event) pair not listed is refused. */
    private static final Map<TeamStatus, Map<Event, TeamStatus>> ALLOWED = new EnumMap<>(Map.of(
            OPEN,
                    Map.of(
                            Event.PAYMENT_NOT_FILLING,
                            OPEN,
                            Event.PAYMENT_FILLING,
                            COMPLETE,
                            Event.PAID_MEMBER_LEFT_SOME_LEFT,
                            OPEN,
                            Event.PAID_MEMBER_LEFT_NONE_LEFT,
                            OPEN,
                            Event.EXPIRE,
                            FAILED),
            COMPLETE,
                    Map.of(
                            Event.PAID_MEMBER_LEFT_SOME_LEFT,
                            COMPLETE_WITH_REFUND,
                            Event.PAID_MEMBER_LEFT_NONE_LEFT,
                            FAILED),
            COMPLETE_WITH_REFUND,
                    Map.of(
                            Event.PAID_MEMBER_LEFT_SOME_LEFT,
                            COMPLETE_WITH_REFUND,
                            Event.PAID_MEMBER_LEFT_NONE_LEFT,
                            FAILED),
            FAILED, Map.of(Event.PAID_MEMBER_LEFT_SOME_LEFT, FAILED, Event.PAID_MEMBER_LEFT_NONE_LEFT, FAILED)));

    static Stream<Arguments> everyStateAndEvent() {
        return Arrays.stream(TeamStatus.values())
                .flatMap(s -> Arrays.stream(Event.values()).map(e -> Arguments.of(s, e)));
    }

    @ParameterizedTest(name = "{0} + {1}")
    @MethodSource("everyStateAndEvent")
    void transition(TeamStatus from, Event event) {
        TeamStatus to = ALLOWED.get(from).get(event);
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
        assertThat(Arrays.stream(TeamStatus.values()).map(TeamStatus::code)).containsExactly(0, 1, 2, 3);
        for (TeamStatus status : TeamStatus.values()) {
            assertThat(TeamStatus.of(status.code())).isSameAs(status);
        }
        assertThatThrownBy(() -> TeamStatus.of(4)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void paymentCountsDecideCompletion() {
        assertThat(OPEN.afterPayment(2, 3)).isEqualTo(OPEN);
        assertThat(OPEN.afterPayment(3, 3)).isEqualTo(COMPLETE);
        assertThatThrownBy(() -> OPEN.afterPaidMemberLeft(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void formedTeams() {
        assertThat(Arrays.stream(TeamStatus.values()).filter(TeamStatus::isFormed))
                .containsExactlyElementsOf(TeamStatus.formed());
    }
}
