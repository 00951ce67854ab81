/** Progress of long operator work (rows done / total), shared by the contexts that run such work. */
package com.groupbuy.market.types.progress;
