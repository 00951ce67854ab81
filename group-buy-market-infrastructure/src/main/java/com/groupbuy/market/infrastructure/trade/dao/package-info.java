/**
 * MyBatis mappers of the team, order, refund and consumption tables (SQL in resources/mybatis/mapper/trade); no
 * business rule.
 */
package com.groupbuy.market.infrastructure.trade.dao;
