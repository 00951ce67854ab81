package com.groupbuy.market.domain.trade.model.valobj;

import static com.groupbuy.market.domain.trade.model.valobj.OrderStatus.CLOSED;
import static com.groupbuy.market.domain.trade.model.valobj.OrderStatus.LOCKED;
import static com.groupbuy.market.domain.trade.model.valobj.OrderStatus.PAID;
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
class OrderStatusTest {

    enum Event {
        PAY(OrderStatus::pay),
        CLOSE(OrderStatus::close);

        final UnaryOperator<OrderStatus> apply;

        Event(UnaryOperator<OrderStatus> apply) {
            this.apply = apply;
        }
    }

    private static final Map<OrderStatus, Map<Event, OrderStatus>> ALLOWED = new EnumMap<>(Map.of(
            LOCKED, Map.of(Event.PAY, PAID, Event.CLOSE, CLOSED),
            PAID, Map.of(Event.CLOSE, CLOSED),
            CLOSED, Map.of()));

    static Stream<Arguments> everyStateAndEvent() {
        return Arrays.stream(OrderStatus.values())
                .flatMap(s -> Arrays.stream(Event.values()).map(e -> Arguments.of(s, e)));
    }

    @ParameterizedTest(name = "{0} + {1}")
    @MethodSource("everyStateAndEvent")
    void transition(OrderStatus from, Event event) {
        OrderStatus to = ALLOWED.get(from).get(event);
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
        assertThat(Arrays.stream(OrderStatus.values()).map(OrderStatus::code)).containsExactly(0, 1, 2);
        for (OrderStatus status : OrderStatus.values()) {
            assertThat(OrderStatus.of(status.code())).isSameAs(status);
        }
        assertThatThrownBy(() -> OrderStatus.of(3)).isInstanceOf(IllegalArgumentException.class);
        assertThat(Arrays.stream(OrderStatus.values()).filter(OrderStatus::isLive))
                .containsExactlyElementsOf(OrderStatus.live());
    }
}
