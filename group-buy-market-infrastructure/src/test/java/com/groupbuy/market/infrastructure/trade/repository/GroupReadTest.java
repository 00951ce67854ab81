package com.groupbuy.market.infrastructure.trade.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.groupbuy.market.domain.trade.model.valobj.PartnerOrderKey;
import com.groupbuy.market.infrastructure.trade.po.PartnerOrderLookupRow;
import java.util.List;
import java.util.function.BiPredicate;
import org.junit.jupiter.api.Test;

/**
 * {@link GroupRead}'s matching of a batch's rows to its callers (#19, settleread), and the settlement lookups' exact
 * check ({@link SettlementLookupGroup#isItsOwn}): a caller gets the row of its own place only when every place has
 * exactly one row and each row is its key's; anything else fails the batch (its callers then read alone).
 */
class GroupReadTest {

    private record Row(int index, String key) {}

    private static final BiPredicate<String, Row> SAME = (key, row) -> key.equals(row.key());

    @Test
    void rowsGoToTheirKeysPlacesWhateverOrderTheyCameIn() {
        List<Row> rows = List.of(new Row(2, "c"), new Row(0, "a"), new Row(1, "b"));
        assertThat(GroupRead.inKeyOrder(List.of("a", "b", "c"), rows, Row::index, SAME))
                .containsExactly(new Row(0, "a"), new Row(1, "b"), new Row(2, "c"));
    }

    @Test
    void aMissingRowADuplicatePlaceAPlaceOutOfRangeOrARowNotItsKeysFailsTheBatch() {
        List<String> keys = List.of("a", "b");
        assertThatThrownBy(() -> GroupRead.inKeyOrder(keys, List.of(new Row(0, "a")), Row::index, SAME))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> GroupRead.inKeyOrder(
                        keys, List.of(new Row(0, "a"), new Row(0, "a"), new Row(1, "b")), Row::index, SAME))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(
                        () -> GroupRead.inKeyOrder(keys, List.of(new Row(0, "a"), new Row(2, "b")), Row::index, SAME))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(
                        () -> GroupRead.inKeyOrder(keys, List.of(new Row(0, "a"), new Row(1, "B")), Row::index, SAME))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aSettlementRowIsItsCallersOnlyWhenItsStoredKeyEqualsTheCallersExactly() {
        PartnerOrderKey key = new PartnerOrderKey("s01", "c01", "Exact-1", "out-1");
        assertThat(SettlementLookupGroup.isItsOwn(key, found("s01", "c01", "Exact-1", "out-1")))
                .isTrue();
        assertThat(SettlementLookupGroup.isItsOwn(key, found("s01", "c01", "exact-1", "out-1")))
                .as("case")
                .isFalse();
        assertThat(SettlementLookupGroup.isItsOwn(key, found("s01", "c01", "Exact-1 ", "out-1")))
                .as("trailing space")
                .isFalse();
        assertThat(SettlementLookupGroup.isItsOwn(key, found("s01", "c01", "Exact-1", "OUT-1")))
                .as("out trade number")
                .isFalse();
        assertThat(SettlementLookupGroup.isItsOwn(key, found("s02", "c01", "Exact-1", "out-1")))
                .as("another source")
                .isFalse();
        assertThat(SettlementLookupGroup.isItsOwn(key, found("s01", "c02", "Exact-1", "out-1")))
                .as("another channel")
                .isFalse();
        assertThat(SettlementLookupGroup.isItsOwn(key, row(null, null, null, null, null)))
                .as("no order")
                .isTrue();
        assertThat(SettlementLookupGroup.isItsOwn(key, row("s01", "c01", "Exact-1", "out-1", null)))
                .as("an order's key without its id")
                .isFalse();
    }

    private static PartnerOrderLookupRow found(String source, String channel, String user, String out) {
        return row(source, channel, user, out, "order-1");
    }

    private static PartnerOrderLookupRow row(String source, String channel, String user, String out, String orderId) {
        return new PartnerOrderLookupRow(
                0,
                user,
                out,
                source,
                channel,
                orderId,
                1L,
                0,
                null,
                "team-1",
                0,
                null,
                null,
                "s01",
                "c01",
                "HTTP",
                "http://x",
                0,
                3);
    }
}
