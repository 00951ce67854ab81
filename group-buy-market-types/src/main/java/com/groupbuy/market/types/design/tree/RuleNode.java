package com.groupbuy.market.types.design.tree;

/**
 * A node of a rule tree: does its one job on the request and the shared context, then either answers
 * (a leaf) or hands over to the node it chooses next. Routing lives in {@link #next}, so each node stays small.
 * A refusal is thrown (an unchecked {@code AppException}), so a walk never has to unwrap checked exceptions.
 */
public interface RuleNode<T, C, R> {

    /** Does this node's work; returns the result if this node ends the walk, else {@code null}. */
    R apply(T request, C context);

    /** The node to walk to after {@link #apply} returned {@code null}. */
    RuleNode<T, C, R> next(T request, C context);
}
