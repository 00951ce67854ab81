/** MyBatis mappers of the crowd tag tables (SQL in resources/mybatis/mapper/tag). */
package com.groupbuy.market.infrastructure.tag.dao;
