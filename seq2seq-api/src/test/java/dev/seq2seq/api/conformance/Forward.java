package dev.seq2seq.api.conformance;

import dev.seq2seq.api.backend.Op;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Marks a kit test that checks the forward values of these ops; the kit fails if an op has none. */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Forward {
  Op[] value();
}
