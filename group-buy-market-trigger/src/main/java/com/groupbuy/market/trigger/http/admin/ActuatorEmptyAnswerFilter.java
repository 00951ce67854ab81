package com.groupbuy.market.trigger.http.admin;

import com.groupbuy.market.types.enums.ResponseCode;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * An actuator refusal that carries no body gets the envelope. The actuator answers "nothing by that name" (an unknown
 * metric, {@code /actuator/metrics/nope}; an unknown health component; a tag no meter has) with a bare 404, no body
 * and no content type, where every other answer of ours is {@code {code, info, data}}. Bodies the actuator writes
 * (health, metrics, the Prometheus text) and answers written by the filters before this one pass as they are.
 */
public class ActuatorEmptyAnswerFilter extends OncePerRequestFilter {

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        BodyWatch watched = new BodyWatch(response);
        chain.doFilter(request, watched);
        int status = response.getStatus();
        if (status >= 400 && !watched.bodyStarted && !response.isCommitted()) {
            String info = status == HttpServletResponse.SC_NOT_FOUND ? "no such path" : "refused (" + status + ")";
            byte[] body = ("{\"code\":\""
                            + (status >= 500 ? ResponseCode.UN_ERROR : ResponseCode.ILLEGAL_PARAMETER).getCode()
                            + "\",\"info\":\"" + info + "\",\"data\":null}")
                    .getBytes(StandardCharsets.UTF_8);
            response.setContentType(MediaType.APPLICATION_JSON_VALUE);
            response.setContentLength(body.length);
            response.getOutputStream().write(body);
        }
    }

    /** Notes whether anyone began writing a body, or left it to the error page. */
    private static final class BodyWatch extends HttpServletResponseWrapper {

        private boolean bodyStarted;

        BodyWatch(HttpServletResponse response) {
            super(response);
        }

        @Override
        public ServletOutputStream getOutputStream() throws IOException {
            bodyStarted = true;
            return super.getOutputStream();
        }

        @Override
        public PrintWriter getWriter() throws IOException {
            bodyStarted = true;
            return super.getWriter();
        }

        /** The container's error page answers a sent error (JsonErrorReportValve): not ours to write. */
        @Override
        public void sendError(int status) throws IOException {
            bodyStarted = true;
            super.sendError(status);
        }

        @Override
        public void sendError(int status, String message) throws IOException {
            bodyStarted = true;
            super.sendError(status, message);
        }
    }
}
