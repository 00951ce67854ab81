/** Row objects of the switch tables; never leave the infrastructure module. */
package com.groupbuy.market.infrastructure.switches.po;
