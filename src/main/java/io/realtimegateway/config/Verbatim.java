package io.realtimegateway.config;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On a secret of a {@code @ConfigMapping} that operators set directly as {@code GATEWAY_*} (never through an expression
 * in application.properties): {@link SettingsInterceptor} reads it without expression expansion, because a random
 * secret may contain {@code ${...}} or {@code \$}, which SmallRye would otherwise expand, unescape, or fail the boot on.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Verbatim {
}
