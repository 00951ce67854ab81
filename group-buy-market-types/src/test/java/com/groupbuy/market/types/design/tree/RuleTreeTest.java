package com.groupbuy.market.types.design.tree;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

class RuleTreeTest {

    /** A node that records its visit, answers with {@code answer} (null = no answer) and routes with {@code route}. */
    private record Node(
            String name,
            String answer,
            BiFunction<Integer, List<String>, RuleNode<Integer, List<String>, String>> route)
            implements RuleNode<Integer, List<String>, String> {

        @Override
        public String apply(Integer request, List<String> visited) {
            visited.add(name);
            return answer;
        }

        @Override
        public RuleNode<Integer, List<String>, String> next(Integer request, List<String> visited) {
            return route.apply(request, visited);
        }
    }

    private final Node leafA = new Node("a", "A", (r, v) -> null);
    private final Node leafB = new Node("b", "B", (r, v) -> null);
    private final Node root = new Node("root", null, (r, v) -> r > 0 ? leafA : leafB);

    @Test
    void walksTheBranchTheNodeChoosesAndStopsAtTheFirstAnswer() {
        List<String> positive = new ArrayList<>();
        List<String> negative = new ArrayList<>();

        assertThat(new RuleTree<>(root).walk(1, positive)).isEqualTo("A");
        assertThat(new RuleTree<>(root).walk(-1, negative)).isEqualTo("B");
        assertThat(positive).containsExactly("root", "a");
        assertThat(negative).containsExactly("root", "b");
    }

    @Test
    void aTreeThatEndsWithoutAnAnswerIsAWiringBug() {
        Node dangling = new Node("x", null, (r, v) -> null);

        assertThatThrownBy(() -> new RuleTree<>(dangling).walk(1, new ArrayList<>()))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aRefusalThrownByANodeStopsTheWalk() {
        List<String> visited = new ArrayList<>();
        Node neverReached = new Node("never", "N", (r, v) -> null);
        RuleNode<Integer, List<String>, String> thrower = new RuleNode<>() {
            @Override
            public String apply(Integer request, List<String> context) {
                context.add("thrower");
                throw new IllegalArgumentException("refused");
            }

            @Override
            public RuleNode<Integer, List<String>, String> next(Integer request, List<String> context) {
                return neverReached;
            }
        };

        assertThatThrownBy(() -> new RuleTree<>(thrower).walk(1, visited)).hasMessage("refused");
        assertThat(visited).containsExactly("thrower");
    }
}
