package com.groupbuy.market.domain.audit.adapter.repository;

import com.groupbuy.market.domain.audit.model.valobj.AdminActionVO;
import java.time.Instant;
import java.util.List;

/** The stored audit of admin actions ({@code admin_action}). */
public interface IAdminAuditRepository {

    /** Stores one action as admitted, its outcome unknown (its id and outcome are ignored); answers its new id. */
    long record(AdminActionVO action);

    /**
     * Fills the outcome of the action {@code id} if it has none yet (a filled one is never changed); answers whether
     * it filled it.
     */
    boolean answer(long id, int httpStatus, String code, Instant answeredAt);

    /** Deletes at most {@code limit} rows recorded before {@code before}; answers how many. */
    int deleteBefore(Instant before, int limit);

    /** Rows, newest first. */
    List<AdminActionVO> actions(int offset, int limit);
}
