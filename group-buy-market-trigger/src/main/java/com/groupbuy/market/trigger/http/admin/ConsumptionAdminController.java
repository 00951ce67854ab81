package com.groupbuy.market.trigger.http.admin;

import com.groupbuy.market.api.response.Response;
import com.groupbuy.market.domain.trade.model.valobj.ConsumptionRecordVO;
import com.groupbuy.market.domain.trade.service.refund.ConsumptionRecordOperations;
import com.groupbuy.market.trigger.http.Envelope;
import com.groupbuy.market.types.enums.ResponseCode;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

/**
 * Operators' view of our consumers' records: by default the failed ones (dead-lettered, with the reason). Needs
 * header {@code X-Admin-Token} equal to {@code gbm.admin.token}, like the outbox endpoints.
 */
@RestController
@RequestMapping("/api/v1/gbm/admin/mq/")
public class ConsumptionAdminController {

    private final ConsumptionRecordOperations operations;
    private final byte[] token;

    public ConsumptionAdminController(ConsumptionRecordOperations operations,
                                      @Value("${gbm.admin.token:}") String token) {
        this.operations = operations;
        this.token = token.getBytes(StandardCharsets.UTF_8);
    }

    /** {@code status}: 0 processing, 1 success, 2 fail (the default); {@code all=true} for every status. */
    @GetMapping("consumption-records")
    public ResponseEntity<Response<List<ConsumptionRecordVO>>> records(
            @RequestHeader(value = "X-Admin-Token", required = false) String given,
            @RequestParam(required = false) Integer status, @RequestParam(defaultValue = "false") boolean all,
            @RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "50") int size) {
        boolean ok = token.length > 0 && given != null
                && MessageDigest.isEqual(token, given.getBytes(StandardCharsets.UTF_8));
        if (!ok) {
            return ResponseEntity.status(HttpStatus.FORBIDDEN).body(Response.<List<ConsumptionRecordVO>>builder()
                    .code(ResponseCode.ILLEGAL_PARAMETER.getCode()).info("admin token missing or wrong").build());
        }
        Integer filter = all ? null : status == null ? ConsumptionRecordVO.FAIL : status;
        return ResponseEntity.ok(Envelope.success(operations.list(filter, page, size)));
    }
}
