package com.groupbuy.market.domain.archfixture;

import com.groupbuy.market.domain.archfixturecycle.OtherContextClassInACycle;

/** With {@link OtherContextClassInACycle}, breaks "the domain's contexts are free of cycles". */
public class DomainClassInACycle {

    public OtherContextClassInACycle other() {
        return new OtherContextClassInACycle();
    }
}
