package io.cvmsim.metrics;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks tests that run a Prometheus server ({@code prometheus} on the PATH, or
 * /usr/bin/prometheus). Without one they are skipped with the reason, or fail when {@code CI=true}
 * or {@code -Dtools.required=true} (see {@link io.cvmsim.support.RequiredToolCondition}).
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ExtendWith(PrometheusCondition.class)
@interface RequiresPrometheus {}
