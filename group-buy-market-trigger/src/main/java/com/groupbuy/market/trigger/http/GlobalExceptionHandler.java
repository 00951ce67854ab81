package com.groupbuy.market.trigger.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.groupbuy.market.api.response.Response;
import com.groupbuy.market.types.enums.ResponseCode;
import com.groupbuy.market.types.exception.AppException;
import lombok.extern.slf4j.Slf4j;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.resource.NoResourceFoundException;

import java.util.stream.Collectors;

/**
 * Turns every failure into our envelope. Partner malls show our code and info to their buyer only on HTTP 200, so
 * business outcomes and field errors of well-formed JSON answer 200; a body that is not JSON answers 400; our own
 * faults answer 500 with no stack trace in the body.
 */
@Slf4j
@RestControllerAdvice
public class GlobalExceptionHandler {

    @ExceptionHandler(AppException.class)
    public ResponseEntity<Response<Void>> business(AppException e) {
        return ResponseEntity.ok(failure(e.getCode(), e.getInfo()));
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    public ResponseEntity<Response<Void>> unreadable(HttpMessageNotReadableException e) {
        Throwable cause = e.getMostSpecificCause();
        if (cause instanceof MismatchedInputException mismatch && !mismatch.getPath().isEmpty()) {
            String field = fieldPath(mismatch);
            return ResponseEntity.ok(failure(ResponseCode.ILLEGAL_PARAMETER.getCode(),
                    "illegal parameter: " + field + " has the wrong type or shape"));
        }
        if (cause instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            return ResponseEntity.ok(failure(ResponseCode.ILLEGAL_PARAMETER.getCode(),
                    "illegal parameter: " + fieldPath(mapping) + " is out of range"));
        }
        String why = cause instanceof JsonProcessingException ? "body is not valid JSON" : "body is missing";
        return ResponseEntity.status(HttpStatus.BAD_REQUEST)
                .body(failure(ResponseCode.ILLEGAL_PARAMETER.getCode(), "illegal parameter: " + why));
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    public ResponseEntity<Response<Void>> mediaType(HttpMediaTypeNotSupportedException e) {
        return ResponseEntity.status(HttpStatus.UNSUPPORTED_MEDIA_TYPE)
                .body(failure(ResponseCode.ILLEGAL_PARAMETER.getCode(), "illegal parameter: send application/json"));
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    public ResponseEntity<Response<Void>> method(HttpRequestMethodNotSupportedException e) {
        return ResponseEntity.status(HttpStatus.METHOD_NOT_ALLOWED)
                .body(failure(ResponseCode.ILLEGAL_PARAMETER.getCode(), "method " + e.getMethod() + " not allowed"));
    }

    @ExceptionHandler(NoResourceFoundException.class)
    public ResponseEntity<Response<Void>> notFound(NoResourceFoundException e) {
        return ResponseEntity.status(HttpStatus.NOT_FOUND)
                .body(failure(ResponseCode.ILLEGAL_PARAMETER.getCode(), "no such path"));
    }

    @ExceptionHandler(Exception.class)
    public ResponseEntity<Response<Void>> unexpected(Exception e) {
        log.error("unexpected failure", e);
        return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR)
                .body(failure(ResponseCode.UN_ERROR.getCode(), ResponseCode.UN_ERROR.getInfo()));
    }

    private static String fieldPath(JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."));
    }

    private static Response<Void> failure(String code, String info) {
        return Response.<Void>builder().code(code).info(info).build();
    }
}
