package com.groupbuy.market.domain.tag.model.valobj;

import static com.groupbuy.market.domain.tag.model.valobj.TagImportJobStatus.ABANDONED;
import static com.groupbuy.market.domain.tag.model.valobj.TagImportJobStatus.CREATED;
import static com.groupbuy.market.domain.tag.model.valobj.TagImportJobStatus.DONE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.groupbuy.market.types.exception.IllegalStateTransitionException;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every state x every transition: allowed -> its target, anything else refused; and the stored codes. */
class TagImportJobStatusTest {

    /** A finished run: created or done becomes done (a rerun, a rebuild); an abandoned job is refused. */
    private static final Map<TagImportJobStatus, TagImportJobStatus> FINISH_RUN = Map.of(CREATED, DONE, DONE, DONE);

    @ParameterizedTest
    @EnumSource(TagImportJobStatus.class)
    void aFinishedRun(TagImportJobStatus from) {
        TagImportJobStatus to = FINISH_RUN.get(from);
        if (to != null) {
            assertThat(from.finishRun()).isEqualTo(to);
        } else {
            assertThatThrownBy(from::finishRun)
                    .isInstanceOf(IllegalStateTransitionException.class)
                    .hasMessageContaining(from.name())
                    .hasMessageContaining("a finished run");
        }
    }

    @ParameterizedTest
    @EnumSource(TagImportJobStatus.class)
    void aRunTakesWhatItMayFinishFromAndTheGuardNamesExactlyThose(TagImportJobStatus status) {
        assertThat(status.isRunnable()).isEqualTo(FINISH_RUN.containsKey(status));
        assertThat(TagImportJobStatus.runnable().contains(status)).isEqualTo(status.isRunnable());
    }

    @Test
    void onlyAnOperatorAbandonsAJob() {
        // No transition of ours leads to ABANDONED: an operator writes it in the database, and it stands.
        assertThat(Arrays.stream(TagImportJobStatus.values())
                        .filter(TagImportJobStatus::isRunnable)
                        .map(TagImportJobStatus::finishRun))
                .doesNotContain(ABANDONED);
        assertThat(ABANDONED.isRunnable()).isFalse();
    }

    @Test
    void onlyADoneJobWasImported() {
        assertThat(Arrays.stream(TagImportJobStatus.values()).filter(TagImportJobStatus::isImported))
                .containsExactly(DONE);
        assertThat(TagImportJobStatus.imported()).containsExactly(DONE);
    }

    @Test
    void theStoredCodesAreTheColumnsAndWhatOperatorsSee() {
        assertThat(CREATED.code()).isZero();
        assertThat(DONE.code()).isEqualTo(1);
        assertThat(ABANDONED.code()).isEqualTo(2);
        for (TagImportJobStatus status : TagImportJobStatus.values()) {
            assertThat(TagImportJobStatus.of(status.code())).isEqualTo(status);
        }
        assertThatThrownBy(() -> TagImportJobStatus.of(3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("3");
    }
}
