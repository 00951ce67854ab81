/** MyBatis mapper interfaces (SQL in resources/mybatis/mapper, one XML per DAO); no business rule. */
package com.groupbuy.market.infrastructure.dao;
