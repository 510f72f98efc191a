package io.cvmsim.ui;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks tests that drive a real browser: Debian's Chromium and chromedriver ({@link Browser}).
 * Without them the tests are skipped with the reason, or fail when {@code CI=true} or {@code
 * -Dchromium.required=true} (see {@link io.cvmsim.support.RequiredToolCondition}).
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ExtendWith(ChromiumCondition.class)
public @interface RequiresChromium {}
