package com.groupbuy.market.trigger.http;

import com.groupbuy.market.api.response.Response;
import com.groupbuy.market.trigger.listener.MqDemoListener;
import java.util.List;
import java.util.Map;
import org.springframework.context.annotation.Profile;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * What the demo MQ listener received, newest first (the MQ twin of GET /api/v1/test/group_buy_notify), in the envelope
 * every endpoint answers with: {@code data} is the list (empty when the listener is off). Never in prod.
 */
@Profile("!prod")
@RestController
@RequestMapping("/api/v1/test/")
public class TestMqReceiverController {

    private final MqDemoListener listener;

    public TestMqReceiverController(org.springframework.beans.factory.ObjectProvider<MqDemoListener> listener) {
        this.listener = listener.getIfAvailable();
    }

    @GetMapping("group_buy_mq")
    public Response<List<Map<String, Object>>> receivedMessages() {
        return Envelope.success(listener == null ? List.of() : listener.received());
    }
}
