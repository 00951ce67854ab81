package com.groupbuy.market.types.design.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.groupbuy.market.types.enums.ResponseCode;
import com.groupbuy.market.types.exception.AppException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RuleChainTest {

    private static RuleFilter<Integer, List<String>> passing(String name) {
        return (request, visited) -> visited.add(name);
    }

    @Test
    void filtersRunInTheOrderGivenAndTheContextComesBack() {
        RuleChain<Integer, List<String>> chain = RuleChain.of(passing("a"), passing("b"), passing("c"));
        List<String> visited = new ArrayList<>();

        assertThat(chain.apply(1, visited)).isSameAs(visited);
        assertThat(visited).containsExactly("a", "b", "c");
        assertThat(chain.size()).isEqualTo(3);
    }

    @Test
    void theFirstRefusalStopsTheRest() {
        RuleFilter<Integer, List<String>> refusing = (request, visited) -> {
            visited.add("refuses");
            throw new AppException(ResponseCode.E0005);
        };
        RuleChain<Integer, List<String>> chain = RuleChain.of(List.of(passing("a"), refusing, passing("never")));
        List<String> visited = new ArrayList<>();

        assertThatThrownBy(() -> chain.apply(1, visited))
                .isInstanceOf(AppException.class)
                .hasFieldOrPropertyWithValue("code", "E0005");
        assertThat(visited).containsExactly("a", "refuses");
    }

    @Test
    void theListGivenIsCopiedAtBuildTime() {
        List<RuleFilter<Integer, List<String>>> filters = new ArrayList<>(List.of(passing("a")));
        RuleChain<Integer, List<String>> chain = RuleChain.of(filters);
        filters.add(passing("added later"));

        List<String> visited = new ArrayList<>();
        chain.apply(1, visited);
        assertThat(visited).containsExactly("a");
        assertThat(chain.size()).isEqualTo(1);
    }
}
