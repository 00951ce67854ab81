package com.groupbuy.market.domain.activity.service.trial;

import com.groupbuy.market.domain.activity.adapter.port.IMarketSwitches;
import com.groupbuy.market.domain.activity.adapter.repository.IActivityRepository;
import com.groupbuy.market.domain.activity.model.entity.MarketProductEntity;
import com.groupbuy.market.domain.activity.model.entity.TrialBalanceEntity;
import com.groupbuy.market.domain.activity.service.IIndexGroupBuyMarketService;
import com.groupbuy.market.domain.activity.service.trial.node.EndNode;
import com.groupbuy.market.domain.activity.service.trial.node.MarketNode;
import com.groupbuy.market.domain.activity.service.trial.node.SwitchNode;
import com.groupbuy.market.domain.activity.service.trial.node.TagNode;
import com.groupbuy.market.domain.tag.service.ITagMembershipService;
import com.groupbuy.market.types.design.tree.RuleTree;
import java.time.Clock;
import org.springframework.stereotype.Service;

/**
 * The trial as a rule tree: switches → market configuration → crowd-tag audience (only when the activity or its
 * discount is tag-bound) → the answer. Reads cached configuration and membership only; writes nothing.
 */
@Service
public class IndexGroupBuyMarketService implements IIndexGroupBuyMarketService {

    private final RuleTree<MarketProductEntity, TrialContext, TrialBalanceEntity> tree;

    public IndexGroupBuyMarketService(
            IActivityRepository repository, IMarketSwitches switches, ITagMembershipService membership, Clock clock) {
        EndNode end = new EndNode();
        TagNode tag = new TagNode(membership, end);
        MarketNode market = new MarketNode(repository, clock, tag, end);
        this.tree = new RuleTree<>(new SwitchNode(switches, market));
    }

    @Override
    public TrialBalanceEntity indexMarketTrial(MarketProductEntity product) {
        return tree.walk(product, new TrialContext());
    }
}
