package com.groupbuy.market.support;

import com.groupbuy.market.api.response.Response;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import lombok.Data;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Test-only endpoints for the error envelope. {@code echo} writes one row per accepted request, so a test can
 * prove that a refused request wrote nothing; {@code fail} is an unexpected fault of ours.
 */
@RestController
public class EchoTestController {

    /** What {@code fail} throws: its message must never reach the caller. */
    public static final String INTERNAL_DETAIL = "internal detail that must stay in the log";

    private final JdbcTemplate jdbc;

    public EchoTestController(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @PostMapping("/test-only/echo")
    public Response<EchoBody> echo(@Valid @RequestBody EchoBody body) {
        jdbc.update(
                "INSERT INTO crowd_tags (tag_id, tag_name) VALUES (?, ?)", body.getName(), "echo " + body.getAmount());
        return Response.<EchoBody>builder()
                .code("0000")
                .info("success")
                .data(body)
                .build();
    }

    @GetMapping("/test-only/echo")
    public Response<Long> echoParam(@RequestParam Long amount) {
        return Response.<Long>builder()
                .code("0000")
                .info("success")
                .data(amount)
                .build();
    }

    @PostMapping("/test-only/fail")
    public Response<Void> fail(@RequestBody EchoBody body) {
        throw new IllegalStateException(INTERNAL_DETAIL);
    }

    @Data
    public static class EchoBody {
        @NotBlank
        private String name;

        private Long amount;
    }
}
