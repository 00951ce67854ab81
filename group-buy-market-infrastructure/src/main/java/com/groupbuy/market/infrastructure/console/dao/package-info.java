/** MyBatis mapper of the console's cross-context reads (SQL in resources/mybatis/mapper/console). */
package com.groupbuy.market.infrastructure.console.dao;
