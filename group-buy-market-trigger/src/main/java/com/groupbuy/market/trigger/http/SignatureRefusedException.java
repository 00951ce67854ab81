package com.groupbuy.market.trigger.http;

import com.groupbuy.market.types.enums.ResponseCode;
import lombok.Getter;

/** A trade request refused for its signature (E0207) or as a replay (E0210): answered 401, nothing read or written. */
@Getter
public class SignatureRefusedException extends RuntimeException {

    private final ResponseCode code;
    private final String info;

    public SignatureRefusedException(ResponseCode code, String info) {
        super(info, null, false, false);
        this.code = code;
        this.info = info;
    }
}
