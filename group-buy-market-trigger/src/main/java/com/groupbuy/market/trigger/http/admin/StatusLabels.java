package com.groupbuy.market.trigger.http.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyTaskStatus;
import com.groupbuy.market.domain.trade.model.valobj.ConsumptionStatus;
import com.groupbuy.market.domain.trade.model.valobj.TeamStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * The status values a listing filters by, named as the operators' console shows them ({@code DONE}, {@code in
 * progress}). One table, {@value #TABLE} on the classpath: the console's script reads it (served as {@code
 * /console/status-labels.json}) to label its pages, and a refusal of a filter names the values from it, so an operator
 * reads the same word in both. The codes are the state enums'; the table labels each of them (else the class does not
 * load: {@code StatusLabelsTest} holds the build to it).
 */
enum StatusLabels {
    NOTIFY_TASK("notifyTask", codes(NotifyTaskStatus.values(), NotifyTaskStatus::code)),
    TEAM("team", codes(TeamStatus.values(), TeamStatus::code)),
    CONSUMPTION_RECORD("consumptionRecord", codes(ConsumptionStatus.values(), ConsumptionStatus::code));

    static final String TABLE = "static/console/status-labels.json";

    /** Code to label, in code order. */
    private final Map<Integer, String> labels = new LinkedHashMap<>();

    StatusLabels(String table, int[] codes) {
        JsonNode labelled = Table.ROOT.path(table);
        for (int code : codes) {
            JsonNode label = labelled.path(Integer.toString(code));
            if (!label.isTextual() || label.asText().isBlank()) {
                throw new IllegalStateException(TABLE + " has no label for " + table + " status " + code);
            }
            labels.put(code, label.asText());
        }
    }

    boolean takes(int code) {
        return labels.containsKey(code);
    }

    /** {@code 0 (INIT), 1 (DONE), ...}: each code and its label. */
    String described() {
        StringBuilder text = new StringBuilder();
        labels.forEach((code, label) -> text.append(text.isEmpty() ? "" : ", ")
                .append(code)
                .append(" (")
                .append(label)
                .append(')'));
        return text.toString();
    }

    private static <E> int[] codes(E[] states, ToIntFunction<E> code) {
        return Arrays.stream(states).mapToInt(code).toArray();
    }

    private static final class Table {

        static final JsonNode ROOT = read();

        private static JsonNode read() {
            try (InputStream in = StatusLabels.class.getClassLoader().getResourceAsStream(TABLE)) {
                if (in == null) {
                    throw new IllegalStateException(TABLE + " is not on the classpath");
                }
                return new ObjectMapper().readTree(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
