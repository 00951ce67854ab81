/** Use cases of the activity context: the trial and the configuration it reads. */
package com.groupbuy.market.domain.activity.service;
