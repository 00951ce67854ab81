package com.groupbuy.market.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * An integration test class that must not run beside another: it binds a queue on, or counts what reaches, the shared
 * broker's default exchange (a queue bound there receives every other class's callbacks and makes an unroutable key
 * routable), or it empties the shared Redis's script cache ({@code SCRIPT FLUSH}: a script of another class, loaded
 * again after one flush, met the next flush and answered 0001), or what it proves depends on having the machine's CPU
 * to itself. The build runs the other classes two
 * at a time, in two JVMs, and these afterwards, one at a time ({@code serial-its} in the app's pom).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@Tag(RunsAlone.TAG)
public @interface RunsAlone {

    /** The JUnit tag the build selects these classes by. */
    String TAG = "runs-alone";
}
