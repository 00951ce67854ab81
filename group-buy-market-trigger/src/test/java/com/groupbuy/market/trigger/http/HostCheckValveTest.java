package com.groupbuy.market.trigger.http;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletResponse;

/**
 * The valve in front of everything: a request whose raw {@code Host} names none of the allowed hosts is answered 421
 * {@code 0002} and goes no further; any other goes on to the next valve untouched.
 */
class HostCheckValveTest {

    private final AtomicInteger passed = new AtomicInteger();
    private final HostCheckValve valve = new HostCheckValve(new AllowedHosts(List.of("gbm.example.com"), false));

    HostCheckValveTest() {
        valve.setNext(new ValveBase() {
            @Override
            public void invoke(Request request, Response response) {
                passed.incrementAndGet();
            }
        });
    }

    @Test
    void anAllowedHostGoesOnUntouched() throws Exception {
        for (String host : new String[] {"gbm.example.com", "GBM.example.com:8091", "localhost", "10.0.0.5:8091"}) {
            MockHttpServletResponse answer = new MockHttpServletResponse();
            passed.set(0);

            valve.invoke(request(host, "10.0.0.5", null), response(answer));

            assertThat(passed.get()).as(host).isEqualTo(1);
            assertThat(answer.getStatus()).isEqualTo(200);
            assertThat(answer.getContentAsByteArray()).isEmpty();
        }
    }

    @Test
    void anyOtherHostIsAnswered421AndGoesNoFurther() throws Exception {
        for (String host : new String[] {"evil.example", "10.0.0.6", null, ""}) {
            MockHttpServletResponse answer = new MockHttpServletResponse();
            passed.set(0);

            valve.invoke(request(host, "10.0.0.5", "evil.example"), response(answer));

            assertThat(passed.get()).as("[%s]", host).isZero();
            assertThat(answer.getStatus()).isEqualTo(421);
            assertThat(answer.getContentType()).isEqualTo("application/json");
            assertThat(answer.getHeader("Cache-Control")).isEqualTo("no-store");
            byte[] body = answer.getContentAsByteArray();
            assertThat(answer.getContentLength()).isEqualTo(body.length);
            assertThat(new String(body, StandardCharsets.UTF_8))
                    .isEqualTo(HostCheckValve.REFUSAL)
                    .startsWith("{\"code\":\"0002\",")
                    .doesNotContain("evil");
        }
    }

    /** The raw Host is what is checked: a forwarded host (which any page may set) changes nothing. */
    @Test
    void theRawHostHeaderIsCheckedNotAForwardedName() throws Exception {
        MockHttpServletResponse answer = new MockHttpServletResponse();

        valve.invoke(request("evil.example", "10.0.0.5", "gbm.example.com"), response(answer));

        assertThat(passed.get()).isZero();
        assertThat(answer.getStatus()).isEqualTo(421);
    }

    /** A Tomcat request of a Host header, the address it arrived at and a forwarded host. */
    private static Request request(String host, String localAddress, String forwardedHost) {
        return new Request(null) {
            @Override
            public String getHeader(String name) {
                if ("Host".equalsIgnoreCase(name)) {
                    return host;
                }
                return "X-Forwarded-Host".equalsIgnoreCase(name) ? forwardedHost : null;
            }

            @Override
            public String getServerName() {
                return forwardedHost;
            }

            @Override
            public String getLocalAddr() {
                return localAddress;
            }
        };
    }

    /** A Tomcat response writing into {@code answer}. */
    private static Response response(MockHttpServletResponse answer) {
        return new Response() {
            @Override
            public void setStatus(int status) {
                answer.setStatus(status);
            }

            @Override
            public void setContentType(String type) {
                answer.setContentType(type);
            }

            @Override
            public void setContentLength(int length) {
                answer.setContentLength(length);
            }

            @Override
            public void setHeader(String name, String value) {
                answer.setHeader(name, value);
            }

            @Override
            public ServletOutputStream getOutputStream() {
                return new ServletOutputStream() {
                    @Override
                    public void write(int b) throws IOException {
                        answer.getOutputStream().write(b);
                    }

                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        answer.getOutputStream().write(b, off, len);
                    }

                    @Override
                    public boolean isReady() {
                        return true;
                    }

                    @Override
                    public void setWriteListener(WriteListener listener) {}
                };
            }
        };
    }
}
