/** MyBatis mapper of the activity configuration tables (SQL in resources/mybatis/mapper/activity). */
package com.groupbuy.market.infrastructure.activity.dao;
