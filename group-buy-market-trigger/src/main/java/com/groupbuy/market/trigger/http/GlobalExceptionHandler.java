package com.groupbuy.market.trigger.http;

import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.groupbuy.market.api.response.Response;
import com.groupbuy.market.types.enums.ResponseCode;
import com.groupbuy.market.types.exception.AppException;
import com.groupbuy.market.types.exception.Causes;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import lombok.extern.slf4j.Slf4j;
import org.apache.catalina.connector.ClientAbortException;
import org.springframework.context.MessageSourceResolvable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingPathVariableException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.MissingRequestValueException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.async.AsyncRequestNotUsableException;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.NoHandlerFoundException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

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

    /** A trade request whose signature is missing or wrong (E0207), or a replay of a signed one (E0210). */
    @ExceptionHandler(SignatureRefusedException.class)
    public ResponseEntity<Response<Void>> signatureRefused(SignatureRefusedException e) {
        return ResponseEntity.status(HttpStatus.UNAUTHORIZED)
                .body(failure(e.getCode().getCode(), e.getInfo()));
    }

    /**
     * A body Jackson could not read. Not JSON at all (broken syntax, wrong content, no body) is 400; well-formed
     * JSON whose field has the wrong type or is out of range, or whose whole shape is wrong, is 200 with 0002.
     */
    @ExceptionHandler(HttpMessageNotReadableException.class)
    public ResponseEntity<Response<Void>> unreadable(HttpMessageNotReadableException e) {
        Throwable root = Causes.root(e);
        if (root instanceof RequestBodyTooSlowException) {
            return ResponseEntity.status(HttpStatus.REQUEST_TIMEOUT)
                    .body(failure(
                            ResponseCode.ILLEGAL_PARAMETER.getCode(),
                            "illegal parameter: the body did not arrive in time (gbm.http.body-read-timeout)"));
        }
        boolean notJson = root == e
                || (root instanceof StreamReadException && !(root instanceof InputCoercionException))
                || TrailingValue.of(root);
        if (root instanceof StreamReadException && DuplicateField.of(root) != null) {
            return illegal(DuplicateField.of(root) + " appears more than once");
        }
        if (notJson) {
            String why = root == e ? "body is missing" : "body is not valid JSON";
            return ResponseEntity.status(HttpStatus.BAD_REQUEST)
                    .body(failure(ResponseCode.ILLEGAL_PARAMETER.getCode(), "illegal parameter: " + why));
        }
        String field = fieldPath(e);
        if (field.isEmpty()) {
            return illegal("the body must be a JSON object of the documented fields");
        }
        if (root instanceof UnrecognizedPropertyException unknown) {
            // Only a @KnownFieldsOnly body (an operator's) refuses a field it does not have.
            return illegal(ShownName.of(unknown.getPropertyName())
                    + " is not a field of this request (names are case-sensitive); nothing done");
        }
        return illegal(
                field + (root instanceof InputCoercionException ? " is out of range" : " has the wrong type or shape"));
    }

    /** Bean Validation on a request body ({@code @Valid}): a missing or out-of-range field, named. */
    @ExceptionHandler(MethodArgumentNotValidException.class)
    public ResponseEntity<Response<Void>> invalidBody(MethodArgumentNotValidException e) {
        return illegal(e.getBindingResult().getFieldErrors().stream()
                .map(error -> error.getField() + " " + error.getDefaultMessage())
                .sorted()
                .collect(Collectors.joining(", ")));
    }

    /** Bean Validation on method parameters (query parameters, headers, path variables). */
    @ExceptionHandler(HandlerMethodValidationException.class)
    public ResponseEntity<Response<Void>> invalidParameter(HandlerMethodValidationException e) {
        return illegal(e.getParameterValidationResults().stream()
                .map(result -> result.getMethodParameter().getParameterName() + " "
                        + result.getResolvableErrors().stream()
                                .map(MessageSourceResolvable::getDefaultMessage)
                                .collect(Collectors.joining(", ")))
                .collect(Collectors.joining(", ")));
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    public ResponseEntity<Response<Void>> mistypedParameter(MethodArgumentTypeMismatchException e) {
        return illegal(e.getName() + " has the wrong type");
    }

    /** A required query parameter, header or path variable is absent. */
    @ExceptionHandler(MissingRequestValueException.class)
    public ResponseEntity<Response<Void>> missingParameter(MissingRequestValueException e) {
        String name = "a request value";
        if (e instanceof MissingServletRequestParameterException parameter) {
            name = parameter.getParameterName();
        } else if (e instanceof MissingRequestHeaderException header) {
            name = header.getHeaderName();
        } else if (e instanceof MissingPathVariableException variable) {
            name = variable.getVariableName();
        }
        return illegal(name + " is missing");
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    public ResponseEntity<Response<Void>> mediaType(HttpMediaTypeNotSupportedException e) {
        return ResponseEntity.status(HttpStatus.UNSUPPORTED_MEDIA_TYPE)
                .body(failure(ResponseCode.ILLEGAL_PARAMETER.getCode(), "illegal parameter: send application/json"));
    }

    /**
     * Our endpoints never negotiate (see WebEdgeConfig), and an {@code Accept} the actuator would refuse is dropped
     * before it looks (ActuatorAcceptFilter); a framework endpoint that still refuses one answers this, in the envelope.
     * It said "JSON only" before, also where the endpoint answered the Prometheus text format only.
     */
    @ExceptionHandler(HttpMediaTypeNotAcceptableException.class)
    public ResponseEntity<Response<Void>> notAcceptable(HttpMediaTypeNotAcceptableException e) {
        return ResponseEntity.status(HttpStatus.NOT_ACCEPTABLE)
                .body(failure(
                        ResponseCode.ILLEGAL_PARAMETER.getCode(),
                        "illegal parameter: this endpoint has no answer of a type Accept names"));
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    public ResponseEntity<Response<Void>> method(HttpRequestMethodNotSupportedException e) {
        // RFC 9110 asks a 405 to name what the path does serve.
        return ResponseEntity.status(HttpStatus.METHOD_NOT_ALLOWED)
                .headers(e.getHeaders())
                .body(failure(ResponseCode.ILLEGAL_PARAMETER.getCode(), "method " + e.getMethod() + " not allowed"));
    }

    /**
     * No handler for the path: a file the static handlers do not have ({@link NoResourceFoundException}), or a path
     * no handler maps at all ({@link NoHandlerFoundException}: there is no catch-all file handler, only the console's
     * and, outside prod, the Swagger UI's).
     */
    @ExceptionHandler({NoResourceFoundException.class, NoHandlerFoundException.class})
    public ResponseEntity<Response<Void>> notFound(Exception e) {
        return ResponseEntity.status(HttpStatus.NOT_FOUND)
                .body(failure(ResponseCode.ILLEGAL_PARAMETER.getCode(), "no such path"));
    }

    /**
     * The client left while its answer was being written (Tomcat's {@link ClientAbortException}; Spring's
     * {@link AsyncRequestNotUsableException} wraps the same on its path). Reading a body it left in the middle of is
     * an unreadable body, handled above, so this is the write of an answer whose work is done — a lock or settlement
     * that committed. Not our fault and nobody to tell: nothing is written, and the request keeps the code of the
     * answer it was given for the metrics. Matched by type only: a message saying "connection reset" may as well
     * come from our database or Redis, which are our faults.
     */
    @ExceptionHandler({ClientAbortException.class, AsyncRequestNotUsableException.class})
    public ResponseEntity<Response<Void>> clientGone(Exception e) {
        log.info("client gone before its answer was written: {}", e.toString());
        return null;
    }

    /**
     * A refusal Spring or a framework endpoint threw with its own status ({@code ResponseStatusException} and its
     * kin: the actuator's 400 for an operator's malformed query, {@code ?tag=bad} on a metric). A 4xx is the caller's
     * error: that status, {@code 0002} and the refusal's reason; before, the catch-all below answered it 500
     * {@code 0001} with an ERROR and a stack trace, as if we had failed. Anything else is still our failure.
     */
    @ExceptionHandler(ErrorResponseException.class)
    public ResponseEntity<Response<Void>> refusedWithStatus(ErrorResponseException e) {
        if (!e.getStatusCode().is4xxClientError()) {
            return unexpected(e);
        }
        String reason = e instanceof ResponseStatusException status
                ? status.getReason()
                : e.getBody().getDetail();
        return ResponseEntity.status(e.getStatusCode())
                .headers(e.getHeaders())
                .body(failure(
                        ResponseCode.ILLEGAL_PARAMETER.getCode(),
                        "illegal parameter: "
                                + (shown(reason)
                                        ? reason
                                        : "refused (" + e.getStatusCode().value() + ")")));
    }

    /** A reason fit to answer: short printable ASCII (a framework's fixed text, never a client's bytes copied out). */
    private static boolean shown(String reason) {
        return reason != null
                && !reason.isBlank()
                && reason.length() <= 200
                && reason.chars().allMatch(c -> c >= 0x20 && c < 0x7f);
    }

    @ExceptionHandler(Exception.class)
    public ResponseEntity<Response<Void>> unexpected(Exception e) {
        log.error("unexpected failure", e);
        return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR)
                .body(failure(ResponseCode.UN_ERROR.getCode(), ResponseCode.UN_ERROR.getInfo()));
    }

    /**
     * A second JSON value after the body's one (StrictJsonReader's FAIL_ON_TRAILING_TOKENS): Jackson reports it as a
     * mapping error, though the body is not one JSON text at all. A stray token that is no value ({@code }}, a word)
     * is a parse error already.
     */
    private static final class TrailingValue {
        static boolean of(Throwable e) {
            return e instanceof MismatchedInputException
                    && String.valueOf(e.getMessage()).startsWith("Trailing token");
        }
    }

    /**
     * Jackson's strict duplicate detection names the field only in its message ("Duplicate field 'x'"), the name as
     * sent: any length, any character ({@code '} included). Read from the message without its location, whole; a name
     * that is not a plain identifier is shown as {@link ShownName} shows names. Before, a name over 64 characters or
     * holding {@code '} was not matched (answered 400 "not valid JSON") or named up to its first {@code '}.
     */
    private static final class DuplicateField {
        private static final Pattern MESSAGE = Pattern.compile("^Duplicate field '(.*)'$", Pattern.DOTALL);
        private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_]{1,40}");

        static String of(Throwable e) {
            String message = e instanceof StreamReadException read ? read.getOriginalMessage() : e.getMessage();
            Matcher matcher = MESSAGE.matcher(String.valueOf(message));
            if (!matcher.find()) {
                return null;
            }
            String name = matcher.group(1);
            return PLAIN.matcher(name).matches() ? name : ShownName.of(name);
        }
    }

    /** The JSON path of the field Jackson stopped at (the outermost mapping error carries the full path). */
    private static String fieldPath(Throwable e) {
        for (Throwable t : Causes.of(e)) {
            if (t instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
                return jsonPath(mapping);
            }
        }
        return "";
    }

    private static String jsonPath(JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."));
    }

    private static ResponseEntity<Response<Void>> illegal(String what) {
        return ResponseEntity.ok(failure(ResponseCode.ILLEGAL_PARAMETER.getCode(), "illegal parameter: " + what));
    }

    private static Response<Void> failure(String code, String info) {
        return Response.<Void>builder().code(code).info(info).build();
    }
}
