package com.groupbuy.market.api.response;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.io.Serializable;
import lombok.AllArgsConstructor;
import lombok.Builder;
import lombok.Data;
import lombok.NoArgsConstructor;

/**
 * The envelope of every answer. Partner malls decode it strictly: exactly {@code code}, {@code info} and
 * {@code data}, always present (data may be null), never another field.
 */
@Data
@Builder
@NoArgsConstructor
@AllArgsConstructor
@JsonPropertyOrder({"code", "info", "data"})
@JsonInclude(JsonInclude.Include.ALWAYS)
public class Response<T> implements Serializable {

    private static final long serialVersionUID = 1L;

    private String code;
    private String info;
    private T data;
}
