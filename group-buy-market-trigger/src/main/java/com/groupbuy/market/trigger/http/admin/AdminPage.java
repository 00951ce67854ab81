package com.groupbuy.market.trigger.http.admin;

import java.util.List;

/** One page of a console listing and the total, so the console can say "page 3 of 200". */
public record AdminPage<T>(List<T> items, long total, int page, int size) {}
