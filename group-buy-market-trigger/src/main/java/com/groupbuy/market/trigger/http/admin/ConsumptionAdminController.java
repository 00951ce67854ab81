package com.groupbuy.market.trigger.http.admin;

import com.groupbuy.market.api.response.Response;
import com.groupbuy.market.domain.trade.model.valobj.ConsumptionRecordVO;
import com.groupbuy.market.domain.trade.service.refund.ConsumptionRecordOperations;
import com.groupbuy.market.trigger.http.Envelope;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Operators' view of our consumers' records: by default the failed ones (dead-lettered, with the reason). Needs
 * header {@code X-Admin-Token} equal to {@code gbm.admin.token}, like the outbox endpoints.
 */
@RestController
@RequestMapping("/api/v1/gbm/admin/mq/")
public class ConsumptionAdminController {

    private final ConsumptionRecordOperations operations;
    private final AdminToken adminToken;

    public ConsumptionAdminController(ConsumptionRecordOperations operations, AdminToken adminToken) {
        this.operations = operations;
        this.adminToken = adminToken;
    }

    /**
     * {@code status}: 0 processing, 1 success, 2 fail (the default); {@code all=true} for every status. Any other
     * status is {@code 0002} naming these (before, an empty list).
     */
    @GetMapping("consumption-records")
    public ResponseEntity<Response<List<ConsumptionRecordVO>>> records(
            @RequestHeader(value = "X-Admin-Token", required = false) String given,
            @RequestParam(required = false) Integer status,
            @RequestParam(defaultValue = "false") boolean all,
            @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "50") int size) {
        if (adminToken.caller(given) == null) {
            return AdminToken.refusal();
        }
        AdminFilters.checkStatus(status, StatusLabels.CONSUMPTION_RECORD);
        Integer filter = all ? null : status == null ? ConsumptionRecordVO.FAIL : status;
        return ResponseEntity.ok(
                Envelope.success(operations.list(filter, AdminPaging.page(page), AdminPaging.size(size))));
    }
}
