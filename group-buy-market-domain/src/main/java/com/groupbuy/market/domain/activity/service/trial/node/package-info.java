/** The trial's rule-tree nodes, one check each: switches, market configuration, crowd-tag audience, the answer. */
package com.groupbuy.market.domain.activity.service.trial.node;
