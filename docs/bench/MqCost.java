import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * What a close check costs RabbitMQ, message feature by feature (#19, branch mqcost): publishes N close-check-shaped
 * messages the way CloseCheckPublisher does (pages on one channel, publisher confirms, mandatory) with one feature
 * changed per mode, and prints the broker's CPU ticks (beam.smp, /proc) over each mode. No rate is measured.
 *
 *   java -cp amqp-client.jar:slf4j-api.jar docs/bench/MqCost.java PORT BEAM_PID N PAGE MODE...
 *
 * Modes: app (persistent, confirm, mandatory, expiration = 600 s into a dead-lettering lane: what a lock opening costs
 * the broker within a run), transient, noconfirm, nottl, nomandatory, expire (the whole life of a check: expiration
 * 1 ms, dead-lettered into the close queue, consumed with a manual ack), bundleK (app, K checks in one message),
 * expirebundleK (expire, K checks in one message).
 */
public class MqCost {
    static final String BODY =
            "{\"check\":\"team_expiry\",\"teamId\":\"%08d\",\"closeAt\":1796000000000,\"delayMs\":600000}";

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        long pid = Long.parseLong(args[1]);
        int n = Integer.parseInt(args[2]);
        int page = Integer.parseInt(args[3]);
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        factory.setPort(port);
        try (Connection connection = factory.newConnection()) {
            for (int a = 4; a < args.length; a++) {
                run(connection, pid, n, page, args[a]);
            }
        }
    }

    static void run(Connection connection, long pid, int n, int page, String mode) throws Exception {
        boolean expire = mode.startsWith("expire");
        int bundle = mode.contains("bundle") ? Integer.parseInt(mode.replaceAll("[^0-9]", "")) : 1;
        String lane = "mqcost.lane." + mode;
        String close = "mqcost.close." + mode;
        Channel setup = connection.createChannel();
        setup.queueDelete(lane);
        setup.queueDelete(close);
        setup.queueDeclare(close, true, false, false, null);
        setup.queueDeclare(lane, true, false, false, Map.of("x-dead-letter-exchange", "", "x-dead-letter-routing-key", close));
        setup.close();
        CountDownLatch consumed = new CountDownLatch(n / bundle);
        Channel consumer = connection.createChannel();
        if (expire) {
            consumer.basicQos(16);
            consumer.basicConsume(close, false, new DefaultConsumer(consumer) {
                @Override
                public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties p, byte[] body)
                        throws java.io.IOException {
                    getChannel().basicAck(envelope.getDeliveryTag(), false);
                    consumed.countDown();
                }
            });
        }
        Thread.sleep(2000);
        long t0 = ticks(pid);
        long n0 = System.nanoTime();
        Channel channel = connection.createChannel();
        boolean confirms = !mode.equals("noconfirm");
        if (confirms) {
            channel.confirmSelect();
        }
        boolean mandatory = !mode.equals("nomandatory");
        int messages = n / bundle;
        int seq = 0;
        for (int i = 0; i < messages; i++) {
            StringBuilder body = new StringBuilder(bundle == 1 ? "" : "{\"checks\":[");
            for (int b = 0; b < bundle; b++) {
                if (b > 0) {
                    body.append(',');
                }
                body.append(String.format(BODY, seq++));
            }
            if (bundle > 1) {
                body.append("]}");
            }
            AMQP.BasicProperties.Builder props = new AMQP.BasicProperties.Builder()
                    .contentType("application/json")
                    .contentEncoding("UTF-8")
                    .messageId("mqcost-" + i)
                    .deliveryMode(mode.equals("transient") ? 1 : 2);
            if (!mode.equals("nottl")) {
                props.expiration(expire ? "1" : "600000");
            }
            channel.basicPublish("", lane, mandatory, props.build(), body.toString().getBytes(StandardCharsets.UTF_8));
            if (confirms && (i + 1) % page == 0) {
                channel.waitForConfirmsOrDie(10_000);
            }
        }
        if (confirms) {
            channel.waitForConfirmsOrDie(10_000);
        }
        if (expire && !consumed.await(120, TimeUnit.SECONDS)) {
            System.out.println("# " + mode + ": only " + (messages - consumed.getCount()) + " consumed");
        }
        Thread.sleep(1000); // the broker's work after the last confirm (queue index, message store flush)
        long t1 = ticks(pid);
        double secs = (System.nanoTime() - n0) / 1e9;
        channel.close();
        consumer.close();
        Channel teardown = connection.createChannel();
        teardown.queueDelete(lane);
        teardown.queueDelete(close);
        teardown.close();
        System.out.printf(
                "mode=%s checks=%d messages=%d page=%d seconds=%.1f beam_ticks=%d us_per_check_gross=%.1f%n",
                mode, n, messages, page, secs, t1 - t0, (t1 - t0) * 10_000.0 / n);
    }

    static long ticks(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }
}
