/** Entities of the activity context: what a trial is asked and what it answers. */
package com.groupbuy.market.domain.activity.model.entity;
