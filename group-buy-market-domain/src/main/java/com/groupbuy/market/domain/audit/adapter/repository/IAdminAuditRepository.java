package com.groupbuy.market.domain.audit.adapter.repository;

import com.groupbuy.market.domain.audit.model.valobj.AdminActionVO;
import java.time.Instant;
import java.util.List;

/** The stored audit of admin actions ({@code admin_action}). */
public interface IAdminAuditRepository {

    /** Stores one action (its id is ignored); answers the id it was given. */
    long record(AdminActionVO action);

    /** Deletes at most {@code limit} rows recorded before {@code before}; answers how many. */
    int deleteBefore(Instant before, int limit);

    /** Rows, newest first. */
    List<AdminActionVO> actions(int offset, int limit);
}
