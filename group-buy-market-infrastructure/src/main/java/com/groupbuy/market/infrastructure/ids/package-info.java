/** Identifiers that must be unique but need not be unguessable: cheap to make on hot paths. */
package com.groupbuy.market.infrastructure.ids;
