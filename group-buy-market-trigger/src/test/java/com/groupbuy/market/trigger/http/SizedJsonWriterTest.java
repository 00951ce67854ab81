package com.groupbuy.market.trigger.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.groupbuy.market.api.response.Response;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.http.converter.json.MappingJackson2HttpMessageConverter;
import org.springframework.mock.http.MockHttpOutputMessage;

/**
 * #19: {@link SizedJsonWriter} writes the bytes Spring's Jackson converter writes, with {@code Content-Length} for an
 * answer of at most 8 KB and without it (chunked by the container) for a longer one.
 */
class SizedJsonWriterTest {

    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void aSmallAnswerCarriesItsLength() throws Exception {
        Response<String> answer = answerWithData("x");

        MockHttpOutputMessage sized = write(new SizedJsonWriter(mapper), answer);

        assertThat(sized.getBodyAsBytes())
                .isEqualTo(write(new MappingJackson2HttpMessageConverter(mapper), answer)
                        .getBodyAsBytes());
        assertThat(sized.getHeaders().getContentLength()).isEqualTo(sized.getBodyAsBytes().length);
    }

    @Test
    void anAnswerOfExactlyEightKilobytesCarriesItsLengthOneByteMoreDoesNot() throws Exception {
        int envelope = write(new SizedJsonWriter(mapper), answerWithData("")).getBodyAsBytes().length;
        Response<String> fits = answerWithData("y".repeat(SizedJsonWriter.MAX_SIZED_BYTES - envelope));
        Response<String> over = answerWithData("y".repeat(SizedJsonWriter.MAX_SIZED_BYTES - envelope + 1));

        MockHttpOutputMessage fitting = write(new SizedJsonWriter(mapper), fits);
        MockHttpOutputMessage longer = write(new SizedJsonWriter(mapper), over);

        assertThat(fitting.getBodyAsBytes()).hasSize(SizedJsonWriter.MAX_SIZED_BYTES);
        assertThat(fitting.getHeaders().getContentLength()).isEqualTo(SizedJsonWriter.MAX_SIZED_BYTES);
        assertThat(longer.getHeaders().getContentLength()).isEqualTo(-1);
        assertThat(longer.getBodyAsBytes())
                .isEqualTo(write(new MappingJackson2HttpMessageConverter(mapper), over)
                        .getBodyAsBytes());
    }

    @Test
    void aLongAnswerIsPassedOnWhole() throws Exception {
        Response<String> answer = answerWithData("z\u00e9".repeat(50_000));

        MockHttpOutputMessage sized = write(new SizedJsonWriter(mapper), answer);

        assertThat(sized.getHeaders().getContentLength()).isEqualTo(-1);
        assertThat(sized.getBodyAsBytes())
                .isEqualTo(write(new MappingJackson2HttpMessageConverter(mapper), answer)
                        .getBodyAsBytes());
    }

    private static Response<String> answerWithData(String data) {
        return Response.<String>builder()
                .code("0000")
                .info("success")
                .data(data)
                .build();
    }

    private static MockHttpOutputMessage write(MappingJackson2HttpMessageConverter converter, Object answer)
            throws Exception {
        MockHttpOutputMessage message = new MockHttpOutputMessage();
        converter.write(answer, Response.class, MediaType.APPLICATION_JSON, message);
        return message;
    }

    /** The lean path's answers follow the same rule: up to 8 KiB, 8 KiB included, carry their length. */
    @Test
    void theLeanPathFramesAnAnswerOfUpToEightKilobytes() {
        org.springframework.mock.web.MockHttpServletResponse atLimit =
                new org.springframework.mock.web.MockHttpServletResponse();
        SizedJsonWriter.frame(atLimit, SizedJsonWriter.MAX_SIZED_BYTES);
        assertThat(atLimit.getContentLength()).isEqualTo(SizedJsonWriter.MAX_SIZED_BYTES);

        org.springframework.mock.web.MockHttpServletResponse past =
                new org.springframework.mock.web.MockHttpServletResponse();
        SizedJsonWriter.frame(past, SizedJsonWriter.MAX_SIZED_BYTES + 1);
        assertThat(past.getHeader("Content-Length")).isNull();
    }
}
