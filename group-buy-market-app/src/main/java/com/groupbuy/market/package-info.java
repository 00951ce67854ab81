/** The Spring Boot entry point; configuration lives in {@code config} beside it. */
package com.groupbuy.market;
