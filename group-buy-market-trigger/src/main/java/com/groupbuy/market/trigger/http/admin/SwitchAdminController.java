package com.groupbuy.market.trigger.http.admin;

import com.groupbuy.market.api.response.Response;
import com.groupbuy.market.domain.switches.model.valobj.SwitchChangeVO;
import com.groupbuy.market.domain.switches.service.LiveSwitchService;
import com.groupbuy.market.trigger.http.Envelope;
import com.groupbuy.market.types.enums.ResponseCode;
import com.groupbuy.market.types.exception.AppException;
import jakarta.servlet.http.HttpServletRequest;
import java.text.Normalizer;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Live switches (#17): read the values in force on this instance, change one (stored, audited, pushed to every
 * instance), list the audit. Every call needs header {@code X-Admin-Token}; no token configured refuses everyone.
 * The audit names the operator whose token (or console session) the change showed ({@link #audited}).
 */
@RestController
@RequestMapping("/api/v1/gbm/admin/switches")
public class SwitchAdminController {

    private static final int MAX_OPERATOR = 64;

    private final LiveSwitchService switches;
    private final AdminToken adminToken;

    public SwitchAdminController(LiveSwitchService switches, AdminToken adminToken) {
        this.switches = switches;
        this.adminToken = adminToken;
    }

    @GetMapping
    public ResponseEntity<Response<Map<String, String>>> current(
            @RequestHeader(value = "X-Admin-Token", required = false) String given) {
        return authorized(given, () -> switches.current().asMap());
    }

    @PostMapping("/{name}")
    public ResponseEntity<Response<SwitchChangeVO>> change(
            @RequestHeader(value = "X-Admin-Token", required = false) String given,
            @PathVariable String name,
            @RequestBody SwitchChangeRequest request,
            HttpServletRequest http) {
        return authorized(
                given,
                () -> switches.change(
                        name,
                        request.getValue(),
                        request.getExpected(),
                        audited(adminToken.caller(given), request.getOperator()),
                        http.getRemoteAddr()));
    }

    @GetMapping("/changes")
    public ResponseEntity<Response<List<SwitchChangeVO>>> changes(
            @RequestHeader(value = "X-Admin-Token", required = false) String given,
            @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "50") int size) {
        return authorized(given, () -> {
            int checkedSize = AdminPaging.size(size);
            return switches.changes(AdminPaging.page(page) * checkedSize, checkedSize);
        });
    }

    /**
     * Who asks: printable, 1 to 64 characters; the audit and the change's log line name them. No control character,
     * C1 (U+0080-U+009F) included: a NEL or an 8-bit CSI went into both as sent.
     */
    static String operator(String operator) {
        if (operator == null
                || operator.isBlank()
                || operator.length() > MAX_OPERATOR
                || operator.chars().anyMatch(Character::isISOControl)) {
            throw new AppException(
                    ResponseCode.ILLEGAL_PARAMETER,
                    "illegal parameter: operator must name who asks (1 to " + MAX_OPERATOR + " printable characters)");
        }
        return operator.trim();
    }

    /**
     * Who the audit names for a change by {@code caller} whose body says {@code operator}. A named operator
     * ({@code gbm.admin.operators.<name>}) is who their token or session says: the body may leave {@code operator}
     * out or repeat their name; naming anyone else is {@code 0002} and nothing is changed (one operator's token
     * never writes another's name into the audit). The shared {@code gbm.admin.token}'s holder names themselves in the
     * body, as always ({@link #operator}), but never a named operator: that name is theirs.
     */
    String audited(AdminToken.Operator caller, String operator) {
        if (caller == null) {
            throw new AppException(ResponseCode.ILLEGAL_PARAMETER, AdminToken.REFUSED_INFO);
        }
        if (caller.shared()) {
            String named = operator(operator);
            if (adminToken.isOperator(asRead(named))) {
                throw new AppException(
                        ResponseCode.ILLEGAL_PARAMETER,
                        "illegal parameter: operator names a named operator (gbm.admin.operators), who must use their "
                                + "own token; nothing changed");
            }
            return named;
        }
        if (operator != null && !operator.isBlank() && !operator.trim().equals(caller.name())) {
            throw new AppException(
                    ResponseCode.ILLEGAL_PARAMETER,
                    "illegal parameter: operator is not the holder of this token or session (" + caller.name()
                            + "); leave it out or give that name; nothing changed");
        }
        return caller.name();
    }

    /**
     * {@code name} as a reader sees it: compatibility forms folded (fullwidth letters, ligatures, a no-break space:
     * NFKC), invisible format characters (zero-width, soft hyphen, BOM) dropped, blanks at either end stripped, lower
     * case, and letters of other scripts drawn like Latin ones read as those ({@link LookalikeLetters}). Fullwidth
     * b-o-b, bob followed by a zero-width space, and b-o-b with a Cyrillic o read as {@code bob}.
     */
    static String asRead(String name) {
        return LookalikeLetters.asLatin(Normalizer.normalize(name, Normalizer.Form.NFKC)
                        .replaceAll("\\p{Cf}", "")
                        .strip())
                .toLowerCase(Locale.ROOT);
    }

    private <T> ResponseEntity<Response<T>> authorized(String given, Supplier<T> action) {
        if (adminToken.caller(given) == null) {
            return AdminToken.refusal();
        }
        return ResponseEntity.ok(Envelope.success(action.get()));
    }
}
