package com.groupbuy.market.trigger.http.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.groupbuy.market.domain.activity.model.valobj.ActivityStatus;
import com.groupbuy.market.domain.tag.model.valobj.TagImportJobStatus;
import com.groupbuy.market.domain.trade.model.valobj.OrderStatus;
import com.groupbuy.market.types.exception.AppException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one table of status labels: each state's codes labelled, and a refusal names them as the console shows them. */
class StatusLabelsTest {

    @Test
    void aRefusalNamesTheValuesAsTheConsoleShowsThem() {
        assertThat(StatusLabels.NOTIFY_TASK.described()).isEqualTo("0 (INIT), 1 (DONE), 2 (RETRY), 3 (FAIL)");
        assertThat(StatusLabels.TEAM.described())
                .isEqualTo("0 (in progress), 1 (complete), 2 (failed), 3 (complete, refunded)");
        assertThat(StatusLabels.CONSUMPTION_RECORD.described()).isEqualTo("0 (processing), 1 (success), 2 (fail)");
        for (StatusLabels kind : StatusLabels.values()) {
            assertThat(kind.takes(-1)).as(kind.name()).isFalse();
        }
        assertThat(StatusLabels.NOTIFY_TASK.takes(3)).isTrue();
        assertThat(StatusLabels.NOTIFY_TASK.takes(4)).isFalse();
    }

    @Test
    void aStatusFilterIsCheckedAndNullIsNoFilter() {
        AdminFilters.checkStatus(null, StatusLabels.TEAM);
        AdminFilters.checkStatus(3, StatusLabels.TEAM);
        assertThatThrownBy(() -> AdminFilters.checkStatus(4, StatusLabels.TEAM))
                .isInstanceOf(AppException.class)
                .hasMessageContaining("status must be one of 0 (in progress), 1 (complete)");
    }

    /** The console's own tables (no refusal names them) label exactly their states' codes too. */
    @Test
    void theConsolesOtherTablesLabelEveryCodeOfTheirStates() throws Exception {
        JsonNode table;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(StatusLabels.TABLE)) {
            table = new ObjectMapper().readTree(in);
        }
        List<Integer> activity = new ArrayList<>();
        for (int code = 0; ActivityStatus.fromCode(code) != ActivityStatus.UNKNOWN; code++) {
            activity.add(code);
        }
        Map<String, List<Integer>> codes = Map.of(
                "activity", activity,
                "importJob",
                        Arrays.stream(TagImportJobStatus.values())
                                .map(TagImportJobStatus::code)
                                .toList(),
                "order",
                        Arrays.stream(OrderStatus.values())
                                .map(OrderStatus::code)
                                .toList());
        codes.forEach((kind, expected) -> {
            List<Integer> labelled = new ArrayList<>();
            table.path(kind).fieldNames().forEachRemaining(code -> labelled.add(Integer.valueOf(code)));
            assertThat(labelled).as(kind).containsExactlyElementsOf(expected);
        });
    }
}
