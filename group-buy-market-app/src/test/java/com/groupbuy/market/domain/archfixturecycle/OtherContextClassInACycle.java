package com.groupbuy.market.domain.archfixturecycle;

import com.groupbuy.market.domain.archfixture.DomainClassInACycle;

/** The other half of the cycle (a second domain "context" that uses the first back). Test fixture only. */
public class OtherContextClassInACycle {

    public DomainClassInACycle back() {
        return new DomainClassInACycle();
    }
}
