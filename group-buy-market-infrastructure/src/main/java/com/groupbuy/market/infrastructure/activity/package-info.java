/** The activity context's adapters: activities, discounts and SKUs over MariaDB. */
package com.groupbuy.market.infrastructure.activity;
