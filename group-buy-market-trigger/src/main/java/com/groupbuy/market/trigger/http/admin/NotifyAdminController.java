package com.groupbuy.market.trigger.http.admin;

import com.groupbuy.market.api.response.Response;
import com.groupbuy.market.domain.outbox.model.valobj.DeliverNowResult;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyAttemptVO;
import com.groupbuy.market.domain.outbox.model.valobj.NotifyTaskSummaryVO;
import com.groupbuy.market.domain.outbox.service.NotifyTaskOperations;
import com.groupbuy.market.trigger.http.Envelope;
import com.groupbuy.market.trigger.job.DeliverNowParam;
import java.util.List;
import java.util.function.Supplier;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Operators' view of the callback outbox: list tasks, page a task's attempts (newest first), re-drive a failed task, deliver waiting
 * retries now. Every call
 * needs header {@code X-Admin-Token} equal to {@code gbm.admin.token}; with no token configured the endpoints
 * refuse everyone.
 */
@RestController
@RequestMapping("/api/v1/gbm/admin/notify/")
public class NotifyAdminController {

    private final NotifyTaskOperations operations;
    private final AdminToken adminToken;

    public NotifyAdminController(NotifyTaskOperations operations, AdminToken adminToken) {
        this.operations = operations;
        this.adminToken = adminToken;
    }

    @GetMapping("tasks")
    public ResponseEntity<Response<List<NotifyTaskSummaryVO>>> tasks(
            @RequestHeader(value = "X-Admin-Token", required = false) String given,
            @RequestParam(required = false) Integer status,
            @RequestParam(required = false) String teamId,
            @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "50") int size) {
        return authorized(given, () -> {
            AdminFilters.checkStatus(status, StatusLabels.NOTIFY_TASK);
            return operations.list(status, AdminTeamId.checked(teamId), AdminPaging.page(page), AdminPaging.size(size));
        });
    }

    @GetMapping("tasks/{taskId}/attempts")
    public ResponseEntity<Response<List<NotifyAttemptVO>>> attempts(
            @RequestHeader(value = "X-Admin-Token", required = false) String given,
            @PathVariable long taskId,
            @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "50") int size) {
        return authorized(given, () -> operations.attempts(taskId, AdminPaging.page(page), AdminPaging.size(size)));
    }

    @PostMapping("tasks/{taskId}/redrive")
    public ResponseEntity<Response<NotifyTaskSummaryVO>> redrive(
            @RequestHeader(value = "X-Admin-Token", required = false) String given, @PathVariable long taskId) {
        return authorized(given, () -> operations.redrive(taskId));
    }

    /**
     * "Deliver now": RETRY tasks waiting for their next attempt become due at once, for one partner host
     * ({@code host}), one {@code source} + {@code channel}, or {@code all=true}; answers how many moved.
     */
    @PostMapping("tasks/deliver-now")
    public ResponseEntity<Response<DeliverNowResult>> deliverNow(
            @RequestHeader(value = "X-Admin-Token", required = false) String given,
            @RequestParam(required = false) String host,
            @RequestParam(required = false) String source,
            @RequestParam(required = false) String channel,
            @RequestParam(required = false) Boolean all) {
        return authorized(given, () -> operations.deliverNow(DeliverNowParam.of(host, source, channel, all)));
    }

    private <T> ResponseEntity<Response<T>> authorized(String given, Supplier<T> action) {
        if (adminToken.caller(given) == null) {
            return AdminToken.refusal();
        }
        return ResponseEntity.ok(Envelope.success(action.get()));
    }
}
