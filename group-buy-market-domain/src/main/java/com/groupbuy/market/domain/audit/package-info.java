/** The audit of admin actions that change state: who did what, when, from where, and how it was answered. */
package com.groupbuy.market.domain.audit;
