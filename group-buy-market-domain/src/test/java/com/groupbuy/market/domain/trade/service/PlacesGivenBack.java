package com.groupbuy.market.domain.trade.service;

import com.groupbuy.market.domain.trade.adapter.port.ITeamPlaceReservation;
import java.lang.reflect.Proxy;
import java.util.List;

/**
 * Test support: Redis's place counters as far as the refund, the expiry and the refund consumer use them. Each place
 * given back is recorded as "team/order" and answered as given back; any other reservation call is unsupported.
 */
public final class PlacesGivenBack {

    private PlacesGivenBack() {}

    public static ITeamPlaceReservation recordedIn(List<String> givenBack) {
        return (ITeamPlaceReservation) Proxy.newProxyInstance(
                PlacesGivenBack.class.getClassLoader(),
                new Class<?>[] {ITeamPlaceReservation.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("releaseOrder")) {
                        return givenBack.add(args[0] + "/" + args[1]);
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
