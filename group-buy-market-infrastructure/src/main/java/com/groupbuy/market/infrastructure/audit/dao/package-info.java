/** MyBatis mapper of the admin action table (SQL in resources/mybatis/mapper/audit); no business rule. */
package com.groupbuy.market.infrastructure.audit.dao;
