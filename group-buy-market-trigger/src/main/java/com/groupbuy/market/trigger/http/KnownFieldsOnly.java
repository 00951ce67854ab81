package com.groupbuy.market.trigger.http;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A request body that refuses a field it does not have ({@code 0002} naming it, nothing done), where partners' bodies
 * ignore unknown fields (docs/api.md). For operators' bodies that change state: a misspelt or invented field
 * ({@code "Value"}, {@code "dryRun"}) must not be taken as absent while the rest is acted on. Read by
 * {@link StrictJsonReader}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface KnownFieldsOnly {}
