/** The operators' console: its admin API and its pages in a real headless browser. */
package com.groupbuy.market.console;
