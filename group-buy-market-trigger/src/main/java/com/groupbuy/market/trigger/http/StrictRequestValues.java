package com.groupbuy.market.trigger.http;

import org.springframework.web.bind.WebDataBinder;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.InitBinder;

/**
 * Every controller's query parameters, path variables and headers are read strictly: numbers ({@link StrictNumbers})
 * and booleans ({@link StrictBooleans}) only in the form they print as; anything else is 0002 naming the parameter
 * before the handler runs.
 */
@ControllerAdvice
public class StrictRequestValues {

    @InitBinder
    public void strictValues(WebDataBinder binder) {
        StrictNumbers.register(binder);
        StrictBooleans.register(binder);
    }
}
