package com.groupbuy.market.domain.tag.model.entity;

import com.groupbuy.market.domain.tag.model.valobj.TagImportJobStatus;
import lombok.AllArgsConstructor;
import lombok.Builder;
import lombok.Getter;

/** One import batch of a tag (a {@code crowd_tags_job} row): created, done once its members are loaded, or abandoned. */
@Getter
@Builder
@AllArgsConstructor
public class CrowdTagJobEntity {

    private final String batchId;
    private final String tagId;
    private final TagImportJobStatus status;

    /** Whether a run may load it ({@link TagImportJobStatus#isRunnable}). */
    public boolean isRunnable() {
        return status.isRunnable();
    }

    /** Refuses a job no run may take, naming it: an abandoned one. */
    public void requireRunnable() {
        if (!isRunnable()) {
            throw new IllegalArgumentException("crowd tag job " + batchId + " is abandoned");
        }
    }

    /** The state a run of this job records when it finishes loading ({@link TagImportJobStatus#finishRun}). */
    public TagImportJobStatus finishRun() {
        return status.finishRun();
    }
}
