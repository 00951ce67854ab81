package com.groupbuy.market.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.groupbuy.market.support.AdminClient;
import com.groupbuy.market.support.IntegrationTest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

/**
 * {@code gbm.console.cookie-secure=always} (prod's setting): over plain HTTP, as the server sees a request a
 * TLS-terminating proxy forwards, the console's cookie is set and cleared with {@code Secure}, and keeps HttpOnly and
 * SameSite=Strict. On main it followed {@code request.isSecure()} only and went out without {@code Secure}.
 */
@IntegrationTest
@TestPropertySource(properties = {"gbm.admin.token=" + ConsoleCookieSecureIT.TOKEN, "gbm.console.cookie-secure=always"})
class ConsoleCookieSecureIT {

    static final String TOKEN = "it-console-cookie-secure-0123";

    @LocalServerPort
    int port;

    private final AdminClient admin = new AdminClient(() -> port);

    @Test
    void theCookieIsSecureBehindAProxyThatEndsTls() throws Exception {
        HttpResponse<String> login = admin.signInRequest(TOKEN).send();
        assertThat(login.statusCode()).isEqualTo(200);
        String set = login.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(set).startsWith("GBM_CONSOLE=").contains("; Secure", "HttpOnly", "SameSite=Strict");

        HttpResponse<String> out = admin.call("DELETE", AdminClient.SESSION)
                .cookie(AdminClient.cookie(login))
                .console()
                .send();
        assertThat(out.statusCode()).isEqualTo(200);
        assertThat(out.headers().firstValue("Set-Cookie").orElseThrow())
                .contains("Max-Age=0", "; Secure", "HttpOnly", "SameSite=Strict");
    }
}
