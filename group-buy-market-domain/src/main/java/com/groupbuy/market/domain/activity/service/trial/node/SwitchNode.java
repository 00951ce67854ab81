package com.groupbuy.market.domain.activity.service.trial.node;

import com.groupbuy.market.domain.activity.adapter.port.IMarketSwitches;
import com.groupbuy.market.domain.activity.model.entity.MarketProductEntity;
import com.groupbuy.market.domain.activity.model.entity.TrialBalanceEntity;
import com.groupbuy.market.domain.activity.model.valobj.MarketSwitchesVO;
import com.groupbuy.market.domain.activity.service.trial.TrialContext;
import com.groupbuy.market.types.design.tree.RuleNode;
import com.groupbuy.market.types.enums.ResponseCode;
import com.groupbuy.market.types.exception.AppException;

/** The root: operational switches first, so a degraded or cut-off user costs no configuration read at all. */
public class SwitchNode implements RuleNode<MarketProductEntity, TrialContext, TrialBalanceEntity> {

    private final IMarketSwitches switches;
    private final RuleNode<MarketProductEntity, TrialContext, TrialBalanceEntity> market;

    public SwitchNode(
            IMarketSwitches switches, RuleNode<MarketProductEntity, TrialContext, TrialBalanceEntity> market) {
        this.switches = switches;
        this.market = market;
    }

    @Override
    public TrialBalanceEntity apply(MarketProductEntity product, TrialContext context) {
        MarketSwitchesVO current = switches.current();
        if (current.isDegrade()) {
            throw new AppException(ResponseCode.E0003);
        }
        if (!current.admits(product.getUserId())) {
            throw new AppException(ResponseCode.E0004);
        }
        return null;
    }

    @Override
    public RuleNode<MarketProductEntity, TrialContext, TrialBalanceEntity> next(
            MarketProductEntity product, TrialContext context) {
        return market;
    }
}
