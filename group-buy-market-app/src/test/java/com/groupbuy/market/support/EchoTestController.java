package com.groupbuy.market.support;

import com.groupbuy.market.api.response.Response;
import lombok.Data;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Test-only endpoint for the error envelope: it writes one row per accepted request, so a test can prove that a
 * refused request wrote nothing.
 */
@RestController
public class EchoTestController {

    private final JdbcTemplate jdbc;

    public EchoTestController(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @PostMapping("/test-only/echo")
    public Response<EchoBody> echo(@RequestBody EchoBody body) {
        jdbc.update("INSERT INTO crowd_tags (tag_id, tag_name) VALUES (?, ?)", body.getName(), "echo " + body.getAmount());
        return Response.<EchoBody>builder().code("0000").info("success").data(body).build();
    }

    @Data
    public static class EchoBody {
        private String name;
        private Long amount;
    }
}
