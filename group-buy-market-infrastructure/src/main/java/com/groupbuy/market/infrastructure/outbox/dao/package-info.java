/** MyBatis mappers of notify_task and notify_attempt (SQL in resources/mybatis/mapper/outbox). */
package com.groupbuy.market.infrastructure.outbox.dao;
