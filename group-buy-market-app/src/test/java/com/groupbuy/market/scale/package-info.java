/** Scale-out tests (issue 19): two instances of the service on one database and one Redis. */
package com.groupbuy.market.scale;
