package dev.seq2seq.api.conformance;

import dev.seq2seq.api.backend.Op;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Marks a kit test that checks these ops' gradients by finite differences; every differentiable op needs one. */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface GradientCheck {
  Op[] value();
}
