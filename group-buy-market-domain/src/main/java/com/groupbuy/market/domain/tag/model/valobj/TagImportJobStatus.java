package com.groupbuy.market.domain.tag.model.valobj;

import com.groupbuy.market.types.exception.IllegalStateTransitionException;
import java.util.List;

/**
 * A crowd-tag import job's state (the stored {@code crowd_tags_job.status}) and its transitions:
 * <pre>
 * CREATED ──a run finishes──> DONE ──a run finishes (a rerun, or a rebuild after Redis lost the tag)──> DONE
 * CREATED, DONE ──an operator, in the database (no code of ours abandons a job)──> ABANDONED
 * ABANDONED: final for us; no run takes it, and a run finishing never records it done (the abandon stands)
 * </pre>
 * A run's finish is stored by one guarded update ({@code WHERE status IN runnable()}): an operator's abandon while the
 * run paged refuses it. The code is what operators see (the console's import list and the table), unchanged.
 */
public enum TagImportJobStatus {
    CREATED(0),
    DONE(1),
    ABANDONED(2);

    private final int code;

    TagImportJobStatus(int code) {
        this.code = code;
    }

    /** The stored value. */
    public int code() {
        return code;
    }

    private static final TagImportJobStatus[] ALL = values();

    public static TagImportJobStatus of(int code) {
        for (TagImportJobStatus status : ALL) {
            if (status.code == code) {
                return status;
            }
        }
        throw new IllegalArgumentException("no crowd tag job status " + code);
    }

    /** A run may load it: created, or done (a rerun); an abandoned job is never run. */
    public boolean isRunnable() {
        return this != ABANDONED;
    }

    /**
     * The states a run may take, and record done from: a job named by its tag is the newest in one of them, and the
     * finish's guard refuses any other (an abandon while the run paged).
     */
    public static List<TagImportJobStatus> runnable() {
        return List.of(CREATED, DONE);
    }

    /** An import of the job finished (its members were recorded): what a rebuild after a Redis loss reloads. */
    public boolean isImported() {
        return this == DONE;
    }

    /** The states of a job whose import finished, for a query that asks. */
    public static List<TagImportJobStatus> imported() {
        return List.of(DONE);
    }

    /** A run of a runnable job finished loading: it is done (again, for a rerun). An abandoned job is refused. */
    public TagImportJobStatus finishRun() {
        if (!isRunnable()) {
            throw new IllegalStateTransitionException("crowd tag job", name(), "a finished run");
        }
        return DONE;
    }
}
