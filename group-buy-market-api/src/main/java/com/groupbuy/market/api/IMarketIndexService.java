package com.groupbuy.market.api;

import com.groupbuy.market.api.dto.GoodsMarketRequestDTO;
import com.groupbuy.market.api.dto.GoodsMarketResponseDTO;
import com.groupbuy.market.api.response.Response;

/** The product-page endpoint: group-buy price, open teams and statistics for a goods. */
public interface IMarketIndexService {

    Response<GoodsMarketResponseDTO> queryGroupBuyMarketConfig(GoodsMarketRequestDTO request);
}
