package com.groupbuy.market.types.exception;

import com.groupbuy.market.types.enums.ResponseCode;
import lombok.Getter;

/** A business outcome that is not success: carries the stable code partners branch on and a human message. */
@Getter
public class AppException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String code;
    private final String info;

    public AppException(ResponseCode responseCode) {
        this(responseCode.getCode(), responseCode.getInfo());
    }

    public AppException(ResponseCode responseCode, String info) {
        this(responseCode.getCode(), info);
    }

    public AppException(String code, String info) {
        super(code + " " + info);
        this.code = code;
        this.info = info;
    }

    public AppException(ResponseCode responseCode, String info, Throwable cause) {
        super(responseCode.getCode() + " " + info, cause);
        this.code = responseCode.getCode();
        this.info = info;
    }
}
