package com.groupbuy.market.trigger.http;

import com.groupbuy.market.api.response.Response;
import com.groupbuy.market.types.enums.ResponseCode;

/**
 * The envelope every endpoint answers with: {@link #success} for controllers, {@link #failure} for the exception
 * handler, and {@link #json} for the few writers that run outside Spring MVC (servlet filters, Tomcat's error valve),
 * which must still answer exactly {@code {code, info, data}}.
 */
public final class Envelope {

    private Envelope() {}

    public static <T> Response<T> success(T data) {
        return Response.<T>builder()
                .code(ResponseCode.SUCCESS.getCode())
                .info(ResponseCode.SUCCESS.getInfo())
                .data(data)
                .build();
    }

    public static <T> Response<T> failure(String code, String info) {
        return Response.<T>builder().code(code).info(info).build();
    }

    /** A failure envelope as JSON text, for writers without an ObjectMapper at hand. */
    public static String json(String code, String info) {
        return "{\"code\":" + quote(code) + ",\"info\":" + quote(info) + ",\"data\":null}";
    }

    private static String quote(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7e) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
