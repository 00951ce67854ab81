/** Row objects of the crowd tag tables; never leave the infrastructure module. */
package com.groupbuy.market.infrastructure.tag.po;
