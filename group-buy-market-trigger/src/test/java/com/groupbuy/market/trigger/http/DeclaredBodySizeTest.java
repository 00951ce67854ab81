package com.groupbuy.market.trigger.http;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.groupbuy.market.api.dto.LockMarketPayOrderRequestDTO;
import com.groupbuy.market.types.exception.AppException;
import org.junit.jupiter.api.Test;

/**
 * A JSON body declared past 64 KiB is refused from its {@code Content-Length} alone, with the answer reading it gives;
 * what this reader does not read (text and bytes, other content types) and bodies of no declared length are left to
 * the read.
 */
class DeclaredBodySizeTest {

    private static final long PAST = StrictJsonReader.MAX_BODY_BYTES + 1L;

    @Test
    void aJsonBodyDeclaredPastTheLimitIsRefusedAsReadingItWould() {
        for (String type : new String[] {
            "application/json", "application/json;charset=ISO-8859-1", "application/problem+json", "APPLICATION/JSON"
        }) {
            assertThatThrownBy(() ->
                            StrictJsonReader.refuseDeclaredTooLarge(LockMarketPayOrderRequestDTO.class, type, PAST))
                    .as(type)
                    .isInstanceOf(AppException.class)
                    .hasMessage("0002 illegal parameter: the body is larger than 64 KiB");
        }
    }

    @Test
    void whatTheReaderDoesNotReadOrAnUndeclaredLengthIsLeftToTheRead() {
        assertThatCode(() -> {
                    StrictJsonReader.refuseDeclaredTooLarge(
                            LockMarketPayOrderRequestDTO.class, "application/json", StrictJsonReader.MAX_BODY_BYTES);
                    StrictJsonReader.refuseDeclaredTooLarge(LockMarketPayOrderRequestDTO.class, "application/json", -1);
                    StrictJsonReader.refuseDeclaredTooLarge(String.class, "application/json", PAST);
                    StrictJsonReader.refuseDeclaredTooLarge(byte[].class, "application/json", PAST);
                    StrictJsonReader.refuseDeclaredTooLarge(LockMarketPayOrderRequestDTO.class, "text/plain", PAST);
                    StrictJsonReader.refuseDeclaredTooLarge(LockMarketPayOrderRequestDTO.class, null, PAST);
                    StrictJsonReader.refuseDeclaredTooLarge(LockMarketPayOrderRequestDTO.class, ";", PAST);
                })
                .doesNotThrowAnyException();
    }
}
