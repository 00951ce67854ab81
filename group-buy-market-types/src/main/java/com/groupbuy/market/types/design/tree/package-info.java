/** The rule-tree framework (nodes that act then route); no business rule lives here. */
package com.groupbuy.market.types.design.tree;
