package com.groupbuy.market.support;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A mall of the original platform listening on the real RabbitMQ (127.0.0.1:5672): a durable queue of a random name,
 * bound to {@code group_buy_market_exchange} with one routing key, consumed with acks. The queue is deleted on close.
 * Other test classes publish on the same shared exchange, so readers filter by what they own (team id, message id).
 */
public final class MallQueue implements AutoCloseable {

    public static final String EXCHANGE = "group_buy_market_exchange";

    /** One message as the mall received it. */
    public record Received(String routingKey, String body, AMQP.BasicProperties properties) {
        public String header(String name) {
            Object value = properties.getHeaders() == null
                    ? null
                    : properties.getHeaders().get(name);
            return value == null ? null : value.toString();
        }
    }

    private final Connection connection;
    private final Channel channel;
    private final String queue;
    private final List<Received> received = new CopyOnWriteArrayList<>();

    public MallQueue(String routingKey) throws Exception {
        this(5672, routingKey);
    }

    public MallQueue(int port, String routingKey) throws Exception {
        this(port, EXCHANGE, routingKey);
    }

    /** Bound to {@code exchange} (a durable topic exchange), for a class that stands in its own partner exchange. */
    public MallQueue(int port, String exchange, String routingKey) throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        factory.setPort(port);
        factory.setUsername("guest");
        factory.setPassword("guest");
        connection = factory.newConnection("mall-queue-test");
        channel = connection.createChannel();
        queue = "test_mall_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        channel.exchangeDeclare(exchange, "topic", true);
        channel.queueDeclare(queue, true, false, false, null);
        channel.queueBind(queue, exchange, routingKey);
        channel.basicConsume(queue, false, new DefaultConsumer(channel) {
            @Override
            public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body)
                    throws java.io.IOException {
                received.add(
                        new Received(envelope.getRoutingKey(), new String(body, StandardCharsets.UTF_8), properties));
                getChannel().basicAck(envelope.getDeliveryTag(), false);
            }
        });
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    /** Messages whose body names this team. */
    public List<Received> forTeam(String teamId) {
        return received.stream()
                .filter(r -> r.body().contains("\"teamId\":\"" + teamId + "\""))
                .toList();
    }

    @Override
    public void close() throws Exception {
        channel.queueDelete(queue);
        connection.close();
    }
}
