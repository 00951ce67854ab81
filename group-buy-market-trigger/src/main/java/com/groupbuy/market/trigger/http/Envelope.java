package com.groupbuy.market.trigger.http;

import com.groupbuy.market.api.response.Response;
import com.groupbuy.market.types.enums.ResponseCode;

/** The success envelope every endpoint answers with; failures are built by {@link GlobalExceptionHandler}. */
public final class Envelope {

    private Envelope() {
    }

    public static <T> Response<T> success(T data) {
        return Response.<T>builder().code(ResponseCode.SUCCESS.getCode()).info(ResponseCode.SUCCESS.getInfo())
                .data(data).build();
    }
}
