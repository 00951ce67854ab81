/** MyBatis mapper of the switch tables (SQL in resources/mybatis/mapper/switches). */
package com.groupbuy.market.infrastructure.switches.dao;
