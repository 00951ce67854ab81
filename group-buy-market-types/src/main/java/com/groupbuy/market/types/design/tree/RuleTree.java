package com.groupbuy.market.types.design.tree;

/** Walks a rule tree from its root until a node answers; a tree that ends without an answer is a wiring bug. */
public final class RuleTree<T, C, R> {

    private final RuleNode<T, C, R> root;

    public RuleTree(RuleNode<T, C, R> root) {
        this.root = root;
    }

    public R walk(T request, C context) {
        RuleNode<T, C, R> node = root;
        while (node != null) {
            R result = node.apply(request, context);
            if (result != null) {
                return result;
            }
            node = node.next(request, context);
        }
        throw new IllegalStateException("rule tree ended without an answer");
    }
}
