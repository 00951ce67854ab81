/** The OpenAPI description partners read (springdoc, generated from the controllers, completed here). */
package com.groupbuy.market.config.openapi;
