import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The mall of docs/bench/drain.sh, in a process of its own: a durable queue bound to the notify exchange under the
 * run's routing key (as a mall binds it, so the broker writes each persistent message to disk before confirming it),
 * consumed with manual acks. Every second it writes how many messages arrived to the file named by its second
 * argument until the script stops it. The queue is auto-delete: it goes with this process's connection, however it ends.
 * <p>
 * Run: {@code java -cp amqp-client.jar:slf4j-api.jar DrainMall.java <routing key> <count file> [port]}
 */
public class DrainMall {

    public static void main(String[] args) throws Exception {
        String key = args[0];
        Path countFile = Path.of(args[1]);
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        factory.setPort(args.length > 2 ? Integer.parseInt(args[2]) : 5672);
        factory.setUsername("guest");
        factory.setPassword("guest");
        AtomicLong received = new AtomicLong();
        try (Connection connection = factory.newConnection("gbm-drain-bench-mall")) {
            Channel channel = connection.createChannel();
            channel.exchangeDeclare("group_buy_market_exchange", "topic", true);
            String queue = "gbm_bench_drain_" + key;
            channel.queueDeclare(queue, true, false, true, null);
            channel.queueBind(queue, "group_buy_market_exchange", key);
            channel.basicQos(500);
            channel.basicConsume(queue, false, new DefaultConsumer(channel) {
                @Override
                public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body)
                        throws java.io.IOException {
                    if (received.incrementAndGet() % 100 == 0) {
                        channel.basicAck(envelope.getDeliveryTag(), true);
                    }
                }
            });
            System.out.println("ready " + queue);
            System.out.flush();
            while (true) {
                Path next = Path.of(countFile + ".next");
                Files.writeString(next, received.get() + "\n");
                Files.move(next, countFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                Thread.sleep(500);
            }
        }
    }
}
