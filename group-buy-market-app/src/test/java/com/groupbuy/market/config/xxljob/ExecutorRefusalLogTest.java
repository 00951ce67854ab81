package com.groupbuy.market.config.xxljob;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.support.RawHttp;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * The executor logs every call refused for its token with the path asked for. Anyone who reaches the port can send
 * one; the path was logged decoded, so {@code %0D%0A} in it started a line of its own in our log (a forged entry) and
 * {@code %1B} reached the operator's terminal. It is logged as sent now, still percent-encoded.
 */
@ExtendWith(OutputCaptureExtension.class)
class ExecutorRefusalLogTest {

    private static final String FORGED = "2026-12-02T20:00:00.000Z ERROR forged";

    @Test
    void aRefusedCallsPathCannotStartALineOfOurLog(CapturedOutput output) throws Exception {
        try (ExecutorHttpServer server = ExecutorHttpServer.start(
                "127.0.0.1", 0, "unit-test-token-0123456789", BeanOnlyXxlJobExecutorTest.COUNTS_NOTHING, null)) {
            String path = "/beat%0D%0A" + FORGED.replace(" ", "%20") + "%1B%5B2J";
            RawHttp.Answer answer = RawHttp.sendRaw(
                    server.boundAddress().getPort(),
                    ("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));

            assertThat(answer.body()).contains("The access token is wrong.");
            assertThat(output.getOut().lines())
                    .as("no line of the log begins with the caller's text")
                    .noneMatch(line -> line.startsWith(FORGED));
            assertThat(output.getOut()).doesNotContain("\u001b[2J").contains("refused " + path);
        }
    }

    /**
     * A call with the right token whose body does not parse, or that asks for a glue type we refuse, is logged with
     * the reason: the parser's message quoted the body's value, and the glue type went as sent, so a CR/LF in either
     * started a line of its own in our log. Escaped now, as partner text is elsewhere.
     */
    @Test
    void aRefusedBodysTextCannotStartALineOfOurLog(CapturedOutput output) throws Exception {
        String token = "unit-test-token-0123456789";
        try (ExecutorHttpServer server =
                ExecutorHttpServer.start("127.0.0.1", 0, token, BeanOnlyXxlJobExecutorTest.COUNTS_NOTHING, null)) {
            for (String[] call : new String[][] {
                {"/kill", "{\"jobId\":\"7\\r\\n" + FORGED + "\\u001b[2J\"}"},
                {"/run", "{\"jobId\":7,\"glueType\":\"GLUE\\r\\n" + FORGED + "\\u001b[2J\"}"}
            }) {
                byte[] body = call[1].getBytes(StandardCharsets.UTF_8);
                RawHttp.Answer answer = RawHttp.sendRaw(
                        server.boundAddress().getPort(),
                        ("POST " + call[0] + " HTTP/1.1\r\nHost: 127.0.0.1\r\nXXL-JOB-ACCESS-TOKEN: " + token
                                        + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                                        + "\r\nConnection: close\r\n\r\n" + call[1])
                                .getBytes(StandardCharsets.UTF_8));
                assertThat(answer.body()).as(call[0]).contains("\"code\":500");
            }
            assertThat(output.getOut()).contains("malformed body").contains("glue type");
            assertThat(output.getOut().lines())
                    .as("no line of the log begins with the caller's text")
                    .noneMatch(line -> line.startsWith(FORGED));
            assertThat(output.getOut()).doesNotContain("\u001b[2J");
        }
    }
}
