package com.groupbuy.market.trigger.http;

import com.groupbuy.market.api.response.Response;
import com.groupbuy.market.types.enums.ResponseCode;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.web.servlet.error.ErrorController;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The servlet container's error page ({@code /error}), replacing Spring Boot's, which answers a Whitelabel HTML page
 * to browsers' {@code Accept}. Requests arrive here when something outside Spring MVC's exception handling failed
 * them (a filter, the container, a {@code sendError}): they get the same envelope as every other answer. A direct
 * call is answered as an unknown path.
 */
@RestController
public class EnvelopeErrorController implements ErrorController {

    @RequestMapping("${server.error.path:${error.path:/error}}")
    public ResponseEntity<Response<Void>> error(HttpServletRequest request) {
        Object given = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = given instanceof Integer code && code >= 400 ? code : 404;
        if (status >= 500) {
            return ResponseEntity.status(status)
                    .body(Envelope.failure(ResponseCode.UN_ERROR.getCode(), ResponseCode.UN_ERROR.getInfo()));
        }
        return ResponseEntity.status(status)
                .body(Envelope.failure(
                        ResponseCode.ILLEGAL_PARAMETER.getCode(),
                        "illegal parameter: " + JsonErrorReportValve.clientFault(status)));
    }
}
