package io.realtimegateway.config;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On a number or duration of a {@code @ConfigMapping}: 0 is a valid value (it means "none", "no wait", "unlimited" or
 * "always"). Every other number or duration setting must be positive; {@link SettingsInterceptor} FAILs a 0 there.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface ZeroAllowed {
}
