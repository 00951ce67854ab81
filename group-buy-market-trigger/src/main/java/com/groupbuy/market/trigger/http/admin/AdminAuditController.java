package com.groupbuy.market.trigger.http.admin;

import com.groupbuy.market.api.response.Response;
import com.groupbuy.market.domain.audit.adapter.repository.IAdminAuditRepository;
import com.groupbuy.market.domain.audit.model.valobj.AdminActionVO;
import com.groupbuy.market.trigger.http.Envelope;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The audit of admin actions that changed state ({@link AdminAuditInterceptor}), newest first, paged as every admin
 * listing ({@link AdminPaging}). Needs the admin token or a console session, as every admin call.
 */
@RestController
@RequestMapping("/api/v1/gbm/admin/audit/")
public class AdminAuditController {

    private final IAdminAuditRepository audit;
    private final AdminToken adminToken;

    public AdminAuditController(IAdminAuditRepository audit, AdminToken adminToken) {
        this.audit = audit;
        this.adminToken = adminToken;
    }

    @GetMapping("actions")
    public ResponseEntity<Response<List<AdminActionVO>>> actions(
            @RequestHeader(value = "X-Admin-Token", required = false) String given,
            @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "50") int size) {
        if (adminToken.caller(given) == null) {
            return AdminToken.refusal();
        }
        int checkedSize = AdminPaging.size(size);
        return ResponseEntity.ok(Envelope.success(audit.actions(AdminPaging.page(page) * checkedSize, checkedSize)));
    }
}
